/**
 * The data's own words, in Chinese: what each table and column is called and what each code means — read from the
 * feed schema (the one place columns are spelled out) with the few labels a feed never needs. Screens, evidence,
 * exports and the data-quality report name things with these, never with column names or codes.
 */
import { DICTIONARIES, FEED_TABLES, snapshotColumnOf, type Dictionary } from './feed-schema.js';

/** Columns the feeds leave unlabelled (a department's file never needs a Chinese header for them). */
const EXTRA_COLUMN_LABELS: Readonly<Record<string, string>> = {
  status: '状态',
  household_id: '家庭编号',
  person_id: '公民身份号码',
  payment_id: '发放编号',
  enrollment_id: '业务编号',
  valid_from: '有效期起',
  valid_to: '有效期止',
  usage: '用途',
  registered_date: '登记日期',
  deregistered_date: '注销日期',
  role: '任职类型',
  entity_name: '市场主体名称',
  established_date: '成立日期',
  visit_id: '走访编号',
  visit_date: '走访日期',
  outcome: '走访结论',
  note: '备注',
  effective_from: '生效日期',
  program: '救助业务',
  source: '来源',
  period: '所属月份',
  // Evidence-only values (computed by the rules, not stored in a table).
  months: '统计月份',
  income_cents: '家庭收入合计',
  members: '家庭人数',
  standard_monthly_cents: '低保标准（每人每月）',
  payments: '发放笔数',
  kind: '类别',
  since: '起始日期',
  age: '年龄',
  certificate_level: '残疾等级',
};

const TABLE_LABELS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(FEED_TABLES.map((t) => [t.table, t.label])),
  // Evidence rows of the economic test name an asset by its kind.
  business: '市场主体登记',
};

export function tableLabel(table: string): string {
  return TABLE_LABELS[table] ?? '其他记录';
}

/** A column's Chinese label, in a table or anywhere (a snapshot column: money in `_cents`). */
export function columnLabel(column: string, table?: string): string {
  const tables = table ? FEED_TABLES.filter((t) => t.table === table) : FEED_TABLES;
  for (const t of [...tables, ...FEED_TABLES]) {
    const c = t.columns.find((x) => snapshotColumnOf(x) === column || x.key === column);
    if (c?.label) return c.label;
  }
  return EXTRA_COLUMN_LABELS[column] ?? EXTRA_COLUMN_LABELS[column.replace(/_cents$/, '')] ?? '其他';
}

/** The dictionary of a coded column (in a table, or the first column of that name). */
function dictionaryOf(column: string, table?: string): Dictionary | undefined {
  // A column of a known table has that table's dictionary or none (death_record.source is free text, income_record's
  // source is coded).
  const own = FEED_TABLES.find((t) => t.table === table)?.columns.find((x) => snapshotColumnOf(x) === column);
  if (own) return own.dictionary;
  for (const t of FEED_TABLES) {
    const c = t.columns.find((x) => snapshotColumnOf(x) === column);
    if (c?.dictionary) return c.dictionary;
  }
  if (column === 'kind') return { ...DICTIONARIES.vehicleType, ...DICTIONARIES.usage, ...DICTIONARIES.role };
  return undefined;
}

/** A code's Chinese name ('move_out' → 迁出), or null when the column has no dictionary or the code is not in it. */
export function codeLabel(column: string, code: string, table?: string): string | null {
  return dictionaryOf(column, table)?.[code]?.[0] ?? null;
}

/** Whether a column holds a code with a dictionary. */
export function isCodedColumn(column: string, table?: string): boolean {
  return dictionaryOf(column, table) !== undefined;
}

/** The Chinese name of a programme code. */
export function programLabel(code: string): string {
  return DICTIONARIES.program[code]?.[0] ?? code;
}
