/**
 * The data's own words, in Chinese: what each table and column is called and what each code means — read from the
 * feed schema (the one place columns are spelled out) with the few labels a feed never needs. Screens, evidence,
 * exports and the data-quality report name things with these, never with column names or codes. Asked for English
 * (a user who reads the app in English), each word is said by vocabulary-en.ts; Chinese stays the default, so exports
 * and reports made in Chinese read as before.
 */
import { programName } from '../programs.js';
import { DICTIONARIES, FEED_TABLES, snapshotColumnOf, type Dictionary, type FeedColumn } from './feed-schema.js';
import { ENGLISH_WORDS } from './vocabulary-en.js';

export type VocabularyLanguage = 'zh-CN' | 'en';

/** A Chinese word of the data in the language asked for (the Chinese word itself where English has none). */
export function inLanguage(word: string, language: VocabularyLanguage = 'zh-CN'): string {
  return language === 'en' ? (ENGLISH_WORDS[word] ?? word) : word;
}

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

/**
 * Schema v2's columns the contract leaves without a Chinese header (their feeds use the English key), named for screens
 * by table: `kind` or `status` means something different in each v2 table.
 */
const V2_COLUMN_LABELS: Readonly<Record<string, string>> = {
  'gradual_exit.reason': '渐退原因',
  'school_enrollment.start_date': '入学日期',
  'school_enrollment.status': '学籍状态',
  'medical_settlement.settlement_id': '结算编号',
  'imprisonment.kind': '羁押类别',
  'disaster_victim.kind': '灾害类别',
  'review.result': '核查结果',
  'consent.role': '签署人身份',
  'consent.method': '签署方式',
  'application.outcome': '办理结果',
};

const TABLE_LABELS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(FEED_TABLES.map((t) => [t.table, t.label])),
  // Evidence rows of the economic test name an asset by its kind.
  business: '市场主体登记',
};

/**
 * Columns looked up across tables (a column named without its table, or one its table leaves unlabelled): v1's first,
 * so that a v2 label (consent's 有效期至, financial_asset's 类别) never renames a v1 column or evidence value.
 */
const v1Columns = FEED_TABLES.flatMap((t) => t.columns.filter((c) => !t.since && !c.since));
const v2Columns = FEED_TABLES.flatMap((t) => t.columns.filter((c) => t.since || c.since));
const named = (column: string) => (c: FeedColumn) => snapshotColumnOf(c) === column || c.key === column;

export function tableLabel(table: string, language: VocabularyLanguage = 'zh-CN'): string {
  return inLanguage(TABLE_LABELS[table] ?? '其他记录', language);
}

/** A column's Chinese label, in a table or anywhere (a snapshot column: money in `_cents`). */
export function columnLabel(column: string, table?: string, language: VocabularyLanguage = 'zh-CN'): string {
  const own = FEED_TABLES.find((t) => t.table === table)?.columns.find(named(column));
  const label =
    own?.label ??
    V2_COLUMN_LABELS[`${table}.${column}`] ??
    v1Columns.find((c) => c.label && named(column)(c))?.label ??
    EXTRA_COLUMN_LABELS[column] ??
    EXTRA_COLUMN_LABELS[column.replace(/_cents$/, '')] ??
    v2Columns.find((c) => c.label && named(column)(c))?.label ??
    '其他';
  return inLanguage(label, language);
}

/** The dictionary of a coded column (in a table, or the first column of that name). */
function dictionaryOf(column: string, table?: string): Dictionary | undefined {
  // A column of a known table has that table's dictionary or none (death_record.source is free text, income_record's
  // source is coded).
  const own = FEED_TABLES.find((t) => t.table === table)?.columns.find((x) => snapshotColumnOf(x) === column);
  if (own) return own.dictionary;
  const v1 = v1Columns.find((c) => c.dictionary && snapshotColumnOf(c) === column);
  if (v1) return v1.dictionary;
  if (column === 'kind') return { ...DICTIONARIES.vehicleType, ...DICTIONARIES.usage, ...DICTIONARIES.role };
  return v2Columns.find((c) => c.dictionary && snapshotColumnOf(c) === column)?.dictionary;
}

/** A code's Chinese name ('move_out' → 迁出), or null when the column has no dictionary or the code is not in it. */
export function codeLabel(column: string, code: string, table?: string, language: VocabularyLanguage = 'zh-CN'): string | null {
  const word = dictionaryOf(column, table)?.[code]?.[0];
  if (word === undefined) return null;
  // A programme's English name is the programme dictionary's (resources/dictionaries/programs.json).
  return language === 'en' && column === 'program' ? programLabel(code, language) : inLanguage(word, language);
}

/** Whether a column holds a code with a dictionary. */
export function isCodedColumn(column: string, table?: string): boolean {
  return dictionaryOf(column, table) !== undefined;
}

/** The name of a programme code (Chinese unless English is asked for). */
export function programLabel(code: string, language: VocabularyLanguage = 'zh-CN'): string {
  const zh = DICTIONARIES.program[code]?.[0];
  if (zh === undefined) return code;
  return language === 'en' ? programName(code, 'en') : zh;
}
