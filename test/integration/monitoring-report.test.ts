/**
 * The monthly report's 动态监测 section and the dashboard's monitoring card (issue 17, Deliver 5), over the service
 * contract with the injected clock: a supervisor runs monitoring, the loop is worked through the public calls (visits
 * on time and late, a referral without a visit, 纳入 by two programmes, 临时救助, 不符合, 无需救助, a red warning visited
 * and left undecided), and every figure of the section — on the screen's preview, in the xlsx and in the PDF — is
 * checked against what this test did, worked out here from the contract (red 3/10, orange 7/20, yellow 15/30 Beijing
 * days), not by the code under test.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOutput } from '../../src-main/contract/contract.js';
import { addMember, ADMIN, makeBench, type TestBench } from '../helpers/workstation.js';

type Row = CallOutput<'monitoring.page'>['rows'][number];
type Report = CallOutput<'report.preview'>;

const LEVEL = { red: '红色预警', orange: '橙色预警', yellow: '黄色预警' } as const;

let b: TestBench;
const passwords: Record<string, string> = {};
let rows: Row[];
let street: string;
/** The warnings this test works, by role in the story. */
const w: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G', Row> = {} as never;

async function all(client: string): Promise<Row[]> {
  const out: Row[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await b.ok(client, 'monitoring.page', { filter: {}, offset, limit: 500 });
    out.push(...page.rows);
    if (out.length >= page.total) return out;
  }
}

async function moveTo(t: number) {
  b.clock.t = t;
  for (const [client, password] of Object.entries(passwords)) await b.call(client, 'auth.unlock', { password });
}

const head = async (client: string, id: string) => (await b.ok(client, 'monitoring.detail', { warningId: id })).head;
const visit = async (client: string, id: string, date: string) =>
  b.ok(client, 'monitoring.act', { warningId: id, expectedHead: await head(client, id), command: { kind: 'visit', visit: { date, visitors: '核查员一、社区干部', situation: '入户了解', income: '不详', needs: '待定' } } });
const decide = async (client: string, id: string, decision: Record<string, unknown>) =>
  b.ok(client, 'monitoring.act', { warningId: id, expectedHead: await head(client, id), command: { kind: 'decide', decision: { departments: [], ...decision } as never } });

const section = (r: Report, id: string) => r.sections.find((s) => s.id === id)!;
const figure = (r: Report, id: string, label: string) => section(r, id).figures!.find((f) => f.label === label)!.value;
const tableRow = (r: Report, id: string, first: string) => section(r, id).table!.rows.find((x) => x[0] === first);

beforeAll(async () => {
  b = makeBench();
  await b.ok('admin-client', 'auth.setupAdmin', ADMIN);
  await b.ok('admin-client', 'users.create', { username: 'sup', displayName: '主管甲', role: 'supervisor', scope: ['320111', '320116'], initialPassword: 'initial-pass-1' });
  await b.ok('sup', 'auth.login', { username: 'sup', password: 'initial-pass-1' });
  await b.ok('sup', 'auth.changePassword', { currentPassword: 'initial-pass-1', newPassword: 'sup-pass-5678' });
  passwords.sup = 'sup-pass-5678';
  for (const client of ['aud1', 'aud2']) {
    await addMember(b, 'sup', { client, username: client, displayName: client === 'aud1' ? '核查员一' : '核查员二', role: 'auditor', scope: ['320111', '320116'], password: `${client}-pass-5678` });
    passwords[client] = `${client}-pass-5678`;
  }
  // 2024-07-01 16:00 Beijing: every warning is pushed on 07-01 (period 2024-07).
  await b.ok('sup', 'monitoring.run');
  rows = await all('sup');
  const of = (level: string) => rows.filter((r) => r.level === level);
  [w.A, w.F, w.G] = of('red') as [Row, Row, Row];
  [w.B, w.C, w.D] = of('orange') as [Row, Row, Row];
  [w.E] = of('yellow') as [Row];
  expect(Object.values(w).every(Boolean)).toBe(true);
  // A street auditor elsewhere: the pre-check shows them nothing of G's household.
  street = rows.find((x) => x.divisionCode.slice(0, 9) !== w.G.divisionCode.slice(0, 9))!.divisionCode;
  await addMember(b, 'sup', { client: 'aud-street', username: 'aud-street', displayName: '街道核查员', role: 'auditor', scope: [street.slice(0, 9)], password: 'aud-street-pass-5678' });
  passwords['aud-street'] = 'aud-street-pass-5678';
  const aud1 = (await b.ok('sup', 'team.members')).find((m) => m.displayName === '核查员一')!;
  await b.ok('sup', 'monitoring.assign', { warningIds: Object.values(w).map((r) => r.warningId), assigneeId: aud1.id, apply: true });

  // 07-02 (Beijing): visits on time, decisions.
  await moveTo(Date.UTC(2024, 6, 2, 2));
  await visit('aud1', w.A.warningId, '2024-07-02');
  await decide('aud2', w.A.warningId, { outcome: 'enrolled', program: 'dibao', departments: ['medical_insurance'] });
  await b.ok('aud2', 'monitoring.act', { warningId: w.A.warningId, expectedHead: await head('aud2', w.A.warningId), command: { kind: 'feed_back', to: '区民政局' } });
  await decide('aud1', w.B.warningId, { outcome: 'referred', departments: ['human_resources', 'education'] });
  await visit('aud1', w.C.warningId, '2024-07-02');
  await decide('aud1', w.C.warningId, { outcome: 'not_eligible', reason: 'income' });
  await visit('aud1', w.D.warningId, '2024-07-02');
  await decide('aud1', w.D.warningId, { outcome: 'no_need', reason: 'recovered' });
  await visit('aud1', w.E.warningId, '2024-07-02');
  await decide('aud1', w.E.warningId, { outcome: 'linshi', departments: ['housing'] });
  await visit('aud1', w.G.warningId, '2024-07-02');
  // 07-06: F's visit comes after its due date (07-04); a colleague decides 纳入特困.
  await moveTo(Date.UTC(2024, 6, 6, 2));
  await visit('aud1', w.F.warningId, '2024-07-06');
  await decide('aud2', w.F.warningId, { outcome: 'enrolled', program: 'tekun' });
  // 07-20 10:00 Beijing: every visit deadline of the month has passed (yellow: 07-16); G's decision (red: 07-11) too.
  await moveTo(Date.UTC(2024, 6, 20, 2));
}, 300_000);
afterAll(() => b.cleanup());

describe('the monthly report\'s 动态监测 section', () => {
  it('holds exactly the month\'s figures, on the screen\'s preview', async () => {
    const r = await b.ok('sup', 'report.preview', { period: '2024-07', sections: ['monitoring'] });
    expect(r.sections.map((s) => s.id)).toEqual(['monitoring', 'monitoring-signals', 'monitoring-visits', 'monitoring-outcomes', 'monitoring-referrals', 'monitoring-overdue']);
    expect(r.sections.every((s) => s.title.startsWith('八、动态监测'))).toBe(true);

    // Population: the last run's, in the layers' names.
    const status = await b.ok('sup', 'monitoring.status');
    const pop = status.lastRun!.population as { households: number; byLayer: Record<string, number>; personsByLayer: Record<string, number> };
    expect(figure(r, 'monitoring', '监测对象（户）')).toBe(pop.households);
    expect(tableRow(r, 'monitoring', '低保对象')).toEqual(['低保对象', pop.byLayer.dibao ?? 0, pop.personsByLayer.dibao ?? 0]);
    expect(section(r, 'monitoring').table!.rows.reduce((n, x) => n + Number(x[2]), 0)).toBe(Object.values(pop.personsByLayer).reduce((n, x) => n + x, 0));

    // Warnings pushed in July by level (all of them: one run on 07-01), and in the loop (A was fed back).
    const count = (f: (x: Row) => boolean) => rows.filter(f).length;
    expect(figure(r, 'monitoring', '本期推送预警')).toBe(rows.length);
    for (const l of ['red', 'orange', 'yellow'] as const) expect(figure(r, 'monitoring', `本期${LEVEL[l]}`)).toBe(count((x) => x.level === l));
    expect(figure(r, 'monitoring', '在办预警')).toBe(rows.length - 1);

    // By signal and level: a warning under each of its signals; the total row once per warning.
    const signals = section(r, 'monitoring-signals').table!;
    expect(signals.rows.at(-1)).toEqual(['合计（户）', count((x) => x.level === 'red'), count((x) => x.level === 'orange'), count((x) => x.level === 'yellow'), rows.length]);
    const bySignal = new Map<string, number>();
    for (const x of rows) for (const s of x.signals) bySignal.set(s, (bySignal.get(s) ?? 0) + 1);
    expect(signals.rows.slice(0, -1).map((x) => x[4]).sort()).toEqual([...bySignal.values()].sort());
    expect(signals.rows.flat().join()).not.toMatch(/M-[A-Z]/);

    // Visits: every warning's visit deadline fell in July and has passed. On time: A, C, D, E, G (07-02); late: F;
    // B was referred without a visit; the rest were never visited.
    expect(figure(r, 'monitoring-visits', '本期到期')).toBe(rows.length);
    expect(figure(r, 'monitoring-visits', '按时入户')).toBe(5);
    expect(figure(r, 'monitoring-visits', '逾期入户')).toBe(1);
    expect(figure(r, 'monitoring-visits', '未入户即认定')).toBe(1);
    expect(figure(r, 'monitoring-visits', '未入户')).toBe(rows.length - 7);
    expect(figure(r, 'monitoring-visits', '按时入户率')).toBe(Math.round((5 / rows.length) * 1000) / 10);

    // Outcomes and referrals decided in July.
    expect(section(r, 'monitoring-outcomes').table!.rows).toEqual([
      ['纳入救助（低保）', 1],
      ['纳入救助（特困供养）', 1],
      ['纳入救助（低保边缘）', 0],
      ['纳入救助（刚性支出困难）', 0],
      ['给予临时救助', 1],
      ['转介', 1],
      ['不符合', 1],
      ['无需救助', 1],
      ['合计', 6],
    ]);
    expect(section(r, 'monitoring-referrals').table!.rows).toEqual([
      ['医保', 1],
      ['教育', 1],
      ['人社', 1],
      ['住建', 1],
    ]);

    // Overdue at 07-20 by street: every warning not visited nor decided (to visit), and G (visited, red decision due 07-11).
    const worked = new Set(Object.values(w).map((x) => x.warningId));
    const expected = new Map<string, { visit: number; decide: number }>();
    const at = (code: string) => expected.get(code.slice(0, 9)) ?? (expected.set(code.slice(0, 9), { visit: 0, decide: 0 }), expected.get(code.slice(0, 9))!);
    for (const x of rows.filter((x) => !worked.has(x.warningId))) at(x.divisionCode).visit++;
    at(w.G.divisionCode).decide++;
    const overdue = section(r, 'monitoring-overdue').table!.rows;
    expect(overdue.map((x) => [String(x[0]).match(/（(\d{9})）$/)![1], x[1], x[2], x[3]]).sort()).toEqual(
      [...expected].map(([s, e]) => [s, e.visit, e.decide, e.visit + e.decide]).sort(),
    );
    expect(overdue.every((x) => /[\u4e00-\u9fff]+（\d{9}）$/.test(String(x[0])))).toBe(true);
    // The same figure as the supervisors' overdue audit view.
    const audit = Object.fromEntries((await b.ok('sup', 'monitoring.audit')).map((v) => [v.view, v.count]));
    expect(overdue.reduce((n, x) => n + Number(x[3]), 0)).toBe(audit.overdue);
  });

  it('counts only inside the scope asked for, and another month is empty', async () => {
    const county = w.A.divisionCode.slice(0, 6);
    const r = await b.ok('sup', 'report.preview', { period: '2024-07', sections: ['monitoring'], divisionPrefix: county });
    const inCounty = rows.filter((x) => x.divisionCode.startsWith(county));
    expect(figure(r, 'monitoring', '本期推送预警')).toBe(inCounty.length);
    // The run covered the whole district, not this county alone: no population is claimed for the county.
    expect(figure(r, 'monitoring', '监测对象（户）')).toBe(0);
    expect(section(r, 'monitoring').note).toContain('尚无监测运行');
    const june = await b.ok('sup', 'report.preview', { period: '2024-06', sections: ['monitoring'] });
    expect(figure(june, 'monitoring', '本期推送预警')).toBe(0);
    expect(section(june, 'monitoring-outcomes').table!.rows.at(-1)).toEqual(['合计', 0]);
    // Auditors have no report calls.
    expect(await b.call('aud1', 'report.preview', { period: '2024-07', sections: ['monitoring'] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
  });

  it('writes the same figures into the xlsx and the PDF', async () => {
    const preview = await b.ok('sup', 'report.preview', { period: '2024-07', sections: ['monitoring'] });
    const xlsx = await b.ok('sup', 'report.monthly', { period: '2024-07', sections: ['monitoring'], format: 'xlsx', purpose: '月度报告测试' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx.file);
    const outcomes = book.worksheets.find((s) => s.name.includes('处置结果'))!;
    const values = outcomes.getSheetValues().map((x) => (Array.isArray(x) ? x.slice(1) : []));
    for (const row of section(preview, 'monitoring-outcomes').table!.rows) expect(values).toContainEqual(row);
    const visits = book.worksheets.find((s) => s.name.includes('按时入户'))!;
    const vv = visits.getSheetValues().map((x) => (Array.isArray(x) ? x.slice(1) : []));
    expect(vv).toContainEqual(['按时入户', 5]);
    const pdf = await b.ok('sup', 'report.monthly', { period: '2024-07', sections: ['monitoring'], format: 'pdf', purpose: '月度报告测试' });
    const text = execFileSync('pdftotext', ['-raw', pdf.file, '-']).toString('utf8');
    // Kept as a test artifact, with its first page as an image to look at.
    mkdirSync('test-results', { recursive: true });
    copyFileSync(pdf.file, 'test-results/monitoring-report.pdf');
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '2', pdf.file, 'test-results/monitoring-report']);
    for (const heading of ['八、动态监测：监测对象与预警', '八、动态监测：处置结果', '八、动态监测：逾期情况', '纳入救助（特困供养）', '按时入户']) expect(text).toContain(heading);
  });
});

describe('the dashboard\'s monitoring card', () => {
  it('shows the month\'s warnings in the loop by level, overdue and visited on time — the report\'s own figures', async () => {
    const d = await b.ok('sup', 'report.dashboard', {});
    const count = (l: string) => rows.filter((x) => x.level === l && x.warningId !== w.A.warningId).length;
    expect(d.monitoring.period).toBe('2024-07');
    expect(d.monitoring.open).toEqual({ red: count('red'), orange: count('orange'), yellow: count('yellow') });
    expect(d.monitoring.visits).toMatchObject({ due: rows.length, onTime: 5, late: 1 });
    const audit = Object.fromEntries((await b.ok('sup', 'monitoring.audit')).map((v) => [v.view, v.count]));
    expect(d.monitoring.overdueTotal.visit + d.monitoring.overdueTotal.decide).toBe(audit.overdue);
    expect(d.monitoring.overdueTotal.decide).toBe(1);
    // 07-31 23:59 Beijing is still July; 08-01 00:00 Beijing (07-31 16:00 UTC) is August.
    await moveTo(Date.UTC(2024, 6, 31, 16) - 1);
    expect((await b.ok('sup', 'report.dashboard', {})).monitoring.period).toBe('2024-07');
    await moveTo(Date.UTC(2024, 6, 31, 16));
    expect((await b.ok('sup', 'report.dashboard', {})).monitoring).toMatchObject({ period: '2024-08', visits: { due: 0, onTime: 0 } });
  });
});

describe('申请预审 shows the applicant household\'s open warnings (Deliver 6)', () => {
  const idOf = async (row: Row) => (await b.ok('sup', 'person.reveal', { personRef: row.personRef!, reason: '预审测试：以户主身份号码模拟申请' })).idNumber;

  it('lists the household\'s open warning with its level, signals, state and days left; a closed one is not listed', async () => {
    const id = await idOf(w.G);
    const r = await b.ok('aud1', 'precheck.household', { personIds: [id], program: 'dibao', divisionCode: w.G.divisionCode });
    // G: red, visited on 07-02, decision due 07-11 (pushed 07-01 + 10 Beijing days); today by the clock, Beijing.
    const today = new Date(b.clock.t + 8 * 3_600_000).toISOString().slice(0, 10);
    const daysLeft = Math.round((Date.parse('2024-07-11') - Date.parse(today)) / 86_400_000);
    expect(r.warnings).toEqual([{ warningId: w.G.warningId, level: 'red', signals: w.G.signals, state: 'visited', daysLeft, overdue: 'decide', streetName: w.G.streetName }]);
    expect(daysLeft).toBeLessThan(0);
    // A was fed back: closed, not shown.
    const a = await b.ok('aud1', 'precheck.household', { personIds: [await idOf(w.A)], program: 'dibao', divisionCode: w.A.divisionCode });
    expect(a.warnings).toEqual([]);
  });

  it('shows nothing of a household outside the caller\'s scope', async () => {
    const r = await b.ok('aud-street', 'precheck.household', { personIds: [await idOf(w.G)], program: 'dibao', divisionCode: street });
    expect(r.warnings).toEqual([]);
    expect(JSON.stringify(r)).not.toContain(w.G.warningId);
  });
});

describe('warnings exported like findings (Deliver 5)', () => {
  it('exports the filtered list with a purpose, masked ID numbers, keyed marks and a register entry a leak is traced by', async () => {
    const reds = rows.filter((x) => x.level === 'red');
    expect(await b.call('sup', 'export.warnings', { format: 'csv', purpose: '', filter: { level: ['red'] } })).toMatchObject({ ok: false });
    const exported = await b.ok('sup', 'export.warnings', { format: 'csv', purpose: '报送区民政局核对', filter: { level: ['red'] } });
    expect(exported.rows).toBe(reds.length);
    const text = readFileSync(exported.file, 'utf8').replace(/^\uFEFF/, '');
    expect(text).not.toMatch(/\d{17}[\dX]/);
    expect(text).toContain('红色预警');
    expect(text).toContain('户主身份证号');
    const lines = parse(text, { relax_column_count: true }) as string[][];
    const header = lines.findIndex((l) => l[0] === '线索编号');
    const data = lines.slice(header + 1).filter((l) => l.length > 3);
    expect(data).toHaveLength(reds.length);
    // Each row names its warning's state and level in words; G (visited) is there as 已入户核查.
    expect(data.every((l) => l[1] === '红色预警')).toBe(true);
    // (Descriptive cells may carry the export's invisible tag: compared without it.)
    expect(data.some((l) => l[7]!.replace(/[\u200b-\u200f\u2060-\u2064]/g, '') === '已入户核查')).toBe(true);
    const register = await b.ok('sup', 'export.register', {});
    expect(register.find((e) => e.exportId === exported.exportId)).toMatchObject({ kind: 'warnings', purpose: '报送区民政局核对', rowCount: reds.length });
    const trace = await b.ok('sup', 'export.trace', { text: data.slice(0, 3).map((r) => r.join('\t')).join('\n') });
    expect(trace.candidates[0]).toMatchObject({ exportId: exported.exportId, attributed: true });
    // An audit view's warnings: the overdue view's, exactly.
    const overdue = await b.ok('sup', 'export.warnings', { format: 'xlsx', purpose: '逾期预警督办', filter: { auditView: 'overdue' } });
    const audit = Object.fromEntries((await b.ok('sup', 'monitoring.audit')).map((v) => [v.view, v.count]));
    expect(overdue.rows).toBe(audit.overdue);
    // Only the caller's scope: the street auditor's export holds their street's warnings alone.
    const mine = await b.ok('aud-street', 'export.warnings', { format: 'csv', purpose: '街道自查', filter: {} });
    expect(mine.rows).toBe(rows.filter((x) => x.divisionCode.startsWith(street.slice(0, 9))).length);
  });
});
