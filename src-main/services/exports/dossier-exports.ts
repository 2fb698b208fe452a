/**
 * The two dossier exports: one person's file (一人一档) and one case file (the finding, its evidence and the case's
 * history). Both are tables of facts, one row per fact — section, item, content, date, amount — so they go through the
 * same writers, watermarks, marks and register as the findings list, in xlsx, CSV or PDF.
 */
import { maskIdNumber } from '../../domain/id-number.js';
import { applyNameMasking, type ExportMasking } from '../../domain/export/masking.js';
import { PROGRAMS } from '../../domain/programs.js';
import type { SnapshotDb } from '../../store/snapshot/snapshot-db.js';
import type { TeamDb } from '../../store/team/team-db.js';
import type { SessionUser } from '../sessions.js';
import { formatLocalTime } from '../../domain/local-time.js';
import { codeLabel } from '../../domain/exchange/vocabulary.js';
import { ruleById } from '../../rules/index.js';
import { terms } from '../../platform/terms.js';
import { describeCaseEvent, describeRecord } from '../evidence/explain-evidence.js';
import { divisionNames, type TriageService } from '../triage/triage-service.js';
import type { Cell } from '../../platform/export-writer.js';
import type { ExportRow, ExportTable } from './export-service.js';

export const DOSSIER_COLUMNS = ['行标记', '部分', '项目', '内容', '日期', '金额（元）'];
/** 部分 and 项目 are labels of ours: they carry the invisible tag. */
const DOSSIER_TAGGED = [1, 2];
const DOSSIER_WIDTHS = [1.2, 1, 1.6, 5, 1, 1];

type Fact = [section: string, item: string, content: string, date?: string | null, amountCents?: number | null];

const program = (code: string) => PROGRAMS.find((p) => p.code === code)?.zh ?? code;
const yuan = (cents: number | null | undefined): Cell => (cents === null || cents === undefined ? null : cents / 100);

function table(kind: 'person' | 'case', title: string, identity: string, query: unknown, masking: ExportMasking, facts: Fact[]): Omit<ExportTable, 'approvalId'> {
  const rows: ExportRow[] = facts.map(([section, item, content, date, cents], i) => ({
    identity: `${identity}:${i}`,
    cells: ['', section, item, content, date ?? '', yuan(cents)],
  }));
  return { kind, title, columns: DOSSIER_COLUMNS, markColumn: 0, taggedColumns: DOSSIER_TAGGED, pdfWidths: DOSSIER_WIDTHS, query, masking, rows };
}

export function personDossier(snapshot: SnapshotDb, team: TeamDb, user: SessionUser, personId: string, masking: ExportMasking): Omit<ExportTable, 'approvalId'> | null {
  const asOf = snapshot.meta().asOf;
  const file = snapshot.profiles().personFile(personId, user.scope, asOf);
  if (!file) return null;
  const names = divisionNames(snapshot, user.scope);
  const t = terms('zh-CN');
  const describe = { t, divisionName: (code: string) => snapshot.divisionName(code) };
  const relation = (code: string | null) => (code ? (codeLabel('relation', code) ?? code) : '—');
  const p = file.person;
  const name = (n: string) => applyNameMasking(n, masking);
  const facts: Fact[] = [
    ['基本信息', '姓名', name(p.name)],
    ['基本信息', '身份证号', maskIdNumber(p.personId)],
    ['基本信息', '性别 / 民族', [p.gender, p.ethnicity].filter(Boolean).join(' / ')],
    ['基本信息', '出生日期', '', p.birthDate],
    // Phone numbers are masked for every role.
    ['基本信息', '联系电话', p.phone ? `${p.phone.slice(0, 3)}****${p.phone.slice(-4)}` : ''],
    ['基本信息', '数据截至', snapshot.meta().snapshotId, asOf],
  ];
  for (const h of file.households) {
    facts.push(['家庭', `户 ${h.householdId}`, `${names.get(h.divisionCode) ?? h.divisionCode} · ${h.address ?? ''} · 与户主关系：${relation(h.relation)}`]);
    for (const m of h.members) {
      const programs = m.activePrograms.map(program).join('、') || '无在享救助';
      facts.push(['家庭成员', relation(m.relation), `${name(m.name)} · ${maskIdNumber(m.personId)} · ${programs}${m.deathDate ? ` · 已于 ${m.deathDate} 死亡` : ''}`, m.birthDate]);
    }
  }
  for (const e of file.enrollments) {
    facts.push(['救助记录', program(e.program), `${codeLabel('status', e.status, 'enrollment') ?? e.status}${e.active ? '（在享）' : ''} · ${e.startDate} 至 ${e.endDate ?? '今'} · 月标准`, e.startDate, e.monthlyAmountCents]);
  }
  for (const pay of file.payments) facts.push(['发放记录', program(pay.program), `期别 ${pay.period}`, pay.paidDate, pay.amountCents]);
  for (const e of file.events) {
    facts.push(['部门数据', t(`person.eventKinds.${e.kind}`), describeRecord(e.table, e.values, describe).map((f) => `${f.label}：${f.value}`).join('；'), e.date]);
  }
  for (const f of team.inbox.aboutPerson(user.scope, personId, file.households[0]?.householdId ?? null)) {
    facts.push(['核查线索', ruleById(f.ruleId)?.name.zh ?? f.ruleId, `案件状态 ${t(`triage.states.${f.caseState}`)}${f.assigneeName ? ` · 经办 ${f.assigneeName}` : ''}`, f.dueDate, f.amountCents]);
  }
  return table('person', '一人一档', `person:${personId}`, { person: maskIdNumber(personId) }, masking, facts);
}

export function caseDossier(
  triage: TriageService,
  team: TeamDb,
  snapshot: SnapshotDb | null,
  user: SessionUser,
  fingerprint: string,
  customRules: { ruleId: string; definition: unknown }[],
  masking: ExportMasking,
  /** The reader's zone for the times of the case's history (their screen's: Beijing time for these users). */
  timeZone?: string,
): Omit<ExportTable, 'approvalId'> {
  // 一人一案: the file holds the whole case — every finding about the person, each with its rule, reasons and evidence.
  const d = triage.detail(team, snapshot, user, fingerprint, customRules);
  const findings = d.caseFindings.map((f) => (f.fingerprint === fingerprint ? d : triage.detail(team, snapshot, user, f.fingerprint, customRules)));
  const t = terms('zh-CN');
  const facts: Fact[] = [
    ['案件', '对象', `${applyNameMasking(d.row.subjectName, masking)} · ${d.row.subjectLabel} · ${d.row.divisionName ?? d.row.divisionCode}`],
    ['案件', '涉及规则', findings.map((f) => f.rule.name.zh).join('、')],
    ['案件', '涉及金额（每笔发放只计一次）', '', null, d.row.caseAmountCents],
    ...findings.flatMap((f): Fact[] => {
      const part = `线索：${f.rule.name.zh}`;
      return [
        [part, '规则', `${f.rule.name.zh}（${f.rule.id}，第 ${f.rule.version} 版）`],
        [part, '规则说明', f.rule.description.zh],
        ...f.rule.basis.map((b): Fact => [part, '政策依据', b.zh]),
        [part, '涉及金额', '', null, f.row.amountCents],
        [part, '发现于', `${f.firstSnapshot} → ${f.lastSnapshot}`],
        ...f.rule.parameters.map((p): Fact => [part, `参数：${p.label.zh}`, String(p.value)]),
        ...f.explanation.summary.map((s): Fact => [part, '触发原因', s]),
        ...f.explanation.rows.map((r): Fact => [part, `证据：${r.table} ${r.key}`, r.fields.map((x) => `${x.label}：${/姓名|名称/.test(x.label) ? applyNameMasking(x.value, masking) : x.value}`).join('；')]),
      ];
    }),
    [
      '案件',
      '状态',
      `${d.case.pending ? t('triage.case.pendingState') : t(`triage.states.${d.case.state}`)}${d.case.reasonCode && d.case.state === 'dismissed' ? ` · ${t(`triage.reasons.${d.case.reasonCode}`)}` : ''}${d.case.assigneeName ? ` · 经办 ${d.case.assigneeName}` : ''}`,
      d.case.dueDate,
    ],
    ...d.events.map((e): Fact => ['历史', t(`triage.events.${e.kind}`), `${e.actorName}（${t(`roles.${e.actorRole}`)}）${describeCaseEvent(e.body, t)}`, formatLocalTime(e.at, { timeZone })]),
  ];
  return table('case', '案件档案', `case:${d.row.caseKey}`, { fingerprint, caseKey: d.row.caseKey }, masking, facts);
}
