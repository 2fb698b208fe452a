/**
 * Reports: every figure of the dashboard, the spending review and the monthly report equals an independent
 * recomputation — in plain TypeScript over the rows of the snapshot and the team store, not through the report SQL —
 * on a generated district with real case work. The monthly PDF's text reads back (pdftotext) with its Chinese
 * headings, and a page rendered to PNG (pdftoppm) is not blank; the xlsx holds the same figures.
 */
import { execFileSync } from 'node:child_process';
import { resolveParameters } from '../../src-main/domain/rules/rule-library.js';
import { ruleModule } from '../../src-main/rules/index.js';
import { amountDue } from '../../src-main/rules/shared/gradual-exit.js';
import type { GradualExitRow } from '../../src-main/domain/exchange/rows.js';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { caseKeyFor } from '../../src-main/domain/cases/case-key.js';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCategories } from '../../src-main/domain/reports/report-terms.js';
import { BUILTIN_RULES } from '../../src-main/rules/index.js';
import type { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import type { TeamDb } from '../../src-main/store/team/team-db.js';
import { makeSnapshot } from '../helpers/platform-fixture.js';
import { makeBench, waitForRun, withStaff, type TestBench } from '../helpers/workstation.js';

let b: TestBench;
let staff: Awaited<ReturnType<typeof withStaff>>;
let snapshot: SnapshotDb;
let team: TeamDb;
const SCOPE = ['320111', '320116'];
/** The monthly report's anomaly types, each with the rules its row counts (rules declare their type). */
const ANOMALY_TYPES = reportCategories(BUILTIN_RULES).map(({ category, ruleIds }) => ({ ...category, ruleIds }));
const sort = { column: 'amount', direction: 'desc' } as const;
const raw = (x: SnapshotDb | TeamDb) => (x as unknown as { db: Database }).db;

beforeAll(async () => {
  b = makeBench();
  staff = await withStaff(b, SCOPE);
  await b.ok('auditor-client', 'checks.run', {});
  await waitForRun(b, 'auditor-client');
  // Case work: confirmations with outcomes (some recovered in part), dismissals, cases in review with assignees.
  const page = await b.ok('auditor-client', 'inbox.page', { filter: { families: ['reminder', 'spending'] }, sort, offset: 0, limit: 40 });
  const act = async (fingerprint: string, command: object, client = 'auditor-client') => {
    const detail = await b.ok(client, 'finding.detail', { fingerprint });
    return (await b.ok(client, 'case.act', { fingerprint, expectedHead: detail.case.head, command: command as never })).case;
  };
  for (const [i, row] of page.rows.entries()) {
    if (i < 8) {
      await act(row.fingerprint, { kind: 'transition', to: 'in_review' });
      await act(row.fingerprint, { kind: 'transition', to: 'awaiting_verification' });
      await act(row.fingerprint, { kind: 'verify', verification: { method: 'document_check', date: '2024-07-02', verifiedBy: '核查员', result: 'confirms', note: '' } });
      const c = await act(row.fingerprint, { kind: 'transition', to: 'confirmed' });
      if (c.pending) await act(row.fingerprint, { kind: 'approve' }, 'supervisor-client');
      await act(row.fingerprint, { kind: 'record_outcome', outcome: { benefit: 'stopped', toRecoverCents: row.amountCents ?? 10_000, recoveredCents: i % 2 ? Math.floor((row.amountCents ?? 10_000) / 2) : 0, date: '2024-07-10' } });
    } else if (i < 14) {
      await act(row.fingerprint, { kind: 'transition', to: 'in_review' });
      const c = await act(row.fingerprint, { kind: 'transition', to: 'dismissed', reasonCode: 'data_error' });
      if (c.pending) await act(row.fingerprint, { kind: 'approve' }, 'supervisor-client');
    } else if (i < 24) {
      await act(row.fingerprint, { kind: 'transition', to: 'in_review' });
      await act(row.fingerprint, { kind: 'assign', assigneeId: i % 2 ? staff.auditor.id : staff.supervisor.id });
    }
  }
  snapshot = b.ws.internals.snapshots.forUser(staff.supervisor.id, b.ws.internals.sessions.get('supervisor-client')!.workspace)!;
  team = b.ws.internals.team.forUser(staff.supervisor.id);
}, 120_000);
afterAll(() => b.cleanup());

/** Each enrollment's 渐退 rows (rules.md v2: F-AFTER-EXIT exempts a payment inside one, F-AMOUNT applies its ratio). */
function gradualExits(db: Database): (enrollmentId: string | null) => GradualExitRow[] {
  const byEnrollment = new Map<string, GradualExitRow[]>();
  for (const g of db.prepare('SELECT * FROM gradual_exit').all() as GradualExitRow[]) byEnrollment.set(g.enrollment_id, [...(byEnrollment.get(g.enrollment_id) ?? []), g]);
  return (enrollmentId) => (enrollmentId ? (byEnrollment.get(enrollmentId) ?? []) : []);
}
const inGradualExit = (gradual: readonly GradualExitRow[], period: string) => gradual.some((g) => g.start_period <= period && period <= g.end_period);

/** The snapshot's rows, read plainly. */
function ledger() {
  const db = raw(snapshot);
  const households = new Map((db.prepare('SELECT household_id, division_code FROM household').all() as { household_id: string; division_code: string }[]).map((h) => [h.household_id, h.division_code]));
  const firstHousehold = new Map<string, string>();
  for (const m of db.prepare('SELECT person_id, household_id FROM household_member').all() as { person_id: string; household_id: string }[]) {
    const prev = firstHousehold.get(m.person_id);
    if (!prev || m.household_id < prev) firstHousehold.set(m.person_id, m.household_id);
  }
  const divisionOf = (personId: string) => households.get(firstHousehold.get(personId) ?? '') ?? null;
  const payments = db.prepare('SELECT * FROM payment').all() as { payment_id: string; enrollment_id: string | null; person_id: string; program: string; period: string; amount_cents: number }[];
  const enrollments = new Map((db.prepare('SELECT enrollment_id, start_date, end_date, monthly_amount_cents FROM enrollment').all() as { enrollment_id: string; start_date: string; end_date: string | null; monthly_amount_cents: number }[]).map((e) => [e.enrollment_id, e]));
  const deaths = new Map((db.prepare('SELECT person_id, death_date FROM death_record').all() as { person_id: string; death_date: string }[]).map((d) => [d.person_id, d.death_date]));
  const budgets = db.prepare('SELECT * FROM budget').all() as { division_prefix: string; program: string; year: number; amount_cents: number }[];
  return { divisionOf, payments, enrollments, deaths, budgets, gradualOf: gradualExits(db) };
}

const inScope = (division: string | null) => division !== null && SCOPE.some((p) => division.startsWith(p));

describe('reports', () => {
  it('the spending review equals a payment-by-payment recomputation from the ledger', async () => {
    const review = await b.ok('finance-client', 'report.spending', {});
    const { divisionOf, payments, enrollments, deaths, budgets, gradualOf } = ledger();
    const expected = new Map<string, { payments: number; amountCents: number; shortCents: number }>();
    const addTo = (rule: string, cents: number, short = 0) => {
      const e = expected.get(rule) ?? { payments: 0, amountCents: 0, shortCents: 0 };
      e.payments++;
      e.amountCents += cents;
      e.shortCents += short;
      expected.set(rule, e);
    };
    const seen = new Map<string, string>();
    const sorted = [...payments].sort((x, y) => (x.payment_id < y.payment_id ? -1 : 1));
    // Each flagged payment once, with the largest flagged part any rule gives it (the total across rules).
    const once = new Map<string, number>();
    const add = (rule: string, cents: number, short = 0) => {
      addTo(rule, cents, short);
      if (cents > 0) once.set(currentId, Math.max(once.get(currentId) ?? 0, cents));
    };
    let currentId = '';
    for (const p of sorted) {
      if (!inScope(divisionOf(p.person_id)) || p.period > review.asOf.slice(0, 7)) continue;
      currentId = p.payment_id;
      const death = deaths.get(p.person_id);
      if (death && p.period > death.slice(0, 7)) add('F-AFTER-DEATH', p.amount_cents);
      const e = p.enrollment_id ? enrollments.get(p.enrollment_id) : undefined;
      const outside = !e || p.period < e.start_date.slice(0, 7) || (e.end_date && p.period > e.end_date.slice(0, 7));
      if (outside && !inGradualExit(gradualOf(p.enrollment_id), p.period)) add('F-AFTER-EXIT', p.amount_cents);
      const key = `${p.person_id}|${p.program}|${p.period}`;
      if (seen.has(key)) add('F-DUPLICATE', p.amount_cents);
      else seen.set(key, p.payment_id);
      const due = e ? amountDue(e.monthly_amount_cents, p.period, gradualOf(p.enrollment_id)) : 0;
      if (e && p.amount_cents !== due) add('F-AMOUNT', Math.max(p.amount_cents - due, 0), Math.max(due - p.amount_cents, 0));
    }
    expect(expected.size).toBe(4);
    // 临时救助's money joins the review once (rules.md v2 "Reports"): each payment R-LINSHI's open findings attribute a
    // part to, with that part; held to the rule's truth per household, and once per payment with the F-rules'.
    const linshi = ruleModule('R-LINSHI')!;
    const truthRows = Object.fromEntries(
      (raw(snapshot).prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name <> 'meta'").pluck().all() as string[]).map((t) => [t, raw(snapshot).prepare(`SELECT * FROM main.${t}`).all()]),
    );
    const linshiTruth = linshi.truth!(truthRows, { asOf: review.asOf, jurisdiction: SCOPE, parameters: resolveParameters(linshi.definition) });
    const linshiHouseholds = new Set(linshiTruth.map((t) => t.subjectId));
    const parts = raw(team)
      .prepare("SELECT p.payment_id, max(p.cents) AS cents, min(f.subject_id) AS household FROM finding f JOIN finding_payment p USING (fingerprint) WHERE f.rule_id = 'R-LINSHI' AND f.state = 'open' AND p.cents > 0 GROUP BY p.payment_id")
      .all() as { payment_id: string; cents: number; household: string }[];
    const periodOf = new Map(payments.map((p) => [p.payment_id, p.period]));
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.every((x) => linshiHouseholds.has(x.household))).toBe(true);
    for (const x of parts) {
      if ((periodOf.get(x.payment_id) ?? '9999') > review.asOf.slice(0, 7)) continue;
      addTo('R-LINSHI', x.cents);
      once.set(x.payment_id, Math.max(once.get(x.payment_id) ?? 0, x.cents));
    }
    // The amounts per household are the truth's (the test district's 临时救助 plants all lie inside the scope).
    expect(expected.get('R-LINSHI')!.amountCents).toBe(linshiTruth.reduce((n, t) => n + (t.amountCents ?? 0), 0));
    expect(review.totalOnce).toEqual({ payments: once.size, amountCents: [...once.values()].reduce((n, c) => n + c, 0) });
    // Adding the rules up never gives less (a payment two rules flag counts once in the total).
    expect([...expected.values()].reduce((n, e) => n + e.amountCents, 0)).toBeGreaterThanOrEqual(review.totalOnce.amountCents);
    expect(Object.fromEntries(review.byRule.map((r) => [r.rule, { payments: r.payments, amountCents: r.amountCents, shortCents: r.shortCents }]))).toEqual(Object.fromEntries(expected));
    // Both directions of an amount deviation are in the data: paid over (flagged) and paid short (owed, apart).
    expect(expected.get('F-AMOUNT')!.amountCents).toBeGreaterThan(0);
    expect(expected.get('F-AMOUNT')!.shortCents).toBeGreaterThan(0);
    const linshiRows = await b.ok('finance-client', 'report.payments', { rule: 'R-LINSHI', limit: 1000 });
    expect(linshiRows.reduce((n, r) => n + r.flaggedCents, 0)).toBe(expected.get('R-LINSHI')!.amountCents);
    const amountRows = await b.ok('finance-client', 'report.payments', { rule: 'F-AMOUNT', limit: 1000 });
    expect(amountRows.reduce((n, r) => n + r.shortCents, 0)).toBe(expected.get('F-AMOUNT')!.shortCents);
    expect(amountRows.every((r) => r.flaggedCents === 0 || r.shortCents === 0)).toBe(true);
    // The other cuts add up to the same totals.
    for (const cut of [review.byProgram, review.byStreet, review.byMonth]) {
      for (const [rule, e] of expected) expect(cut.filter((c) => c.rule === rule).reduce((n, c) => n + c.amountCents, 0)).toBe(e.amountCents);
    }

    // Budget execution: paid in the year through the snapshot's month, per budget prefix inside the scope.
    const through = review.asOf.slice(0, 7);
    const year = Number(through.slice(0, 4));
    const months = Number(through.slice(5, 7));
    const lines = budgets.filter((l) => l.year === year && SCOPE.some((p) => l.division_prefix.startsWith(p)));
    expect(review.budget).toHaveLength(lines.length);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      const paid = payments
        .filter((p) => p.program === l.program && p.period >= `${year}-01` && p.period <= through && (divisionOf(p.person_id) ?? '').startsWith(l.division_prefix))
        .reduce((n, p) => n + p.amount_cents, 0);
      const got = review.budget.find((x) => x.divisionPrefix === l.division_prefix && x.program === l.program)!;
      expect(got).toMatchObject({ budgetCents: l.amount_cents, paidCents: paid, monthsElapsed: months, expectedCents: Math.round((l.amount_cents * months) / 12), forecastCents: Math.round((paid / months) * 12) });
      const pace = paid / Math.round((l.amount_cents * months) / 12);
      expect(got.status).toBe(pace > 1.1 ? 'over' : pace < 0.9 ? 'under' : 'on_pace');
    }
    // The estimate of payments prevented: the stopped persons' enrolments active at the data date, apart from payments.
    const stopped = raw(team)
      .prepare(`SELECT DISTINCT f.person_id FROM case_file c JOIN finding f ON f.case_key = c.fingerprint WHERE c.decision = 'confirmed' AND c.outcome_benefit = 'stopped' AND f.person_id IS NOT NULL`)
      .pluck()
      .all() as string[];
    const active = raw(snapshot).prepare('SELECT person_id, status, start_date, end_date, monthly_amount_cents FROM enrollment').all() as { person_id: string; status: string; start_date: string; end_date: string | null; monthly_amount_cents: number }[];
    const monthly = active
      .filter((e) => stopped.includes(e.person_id) && e.status === 'active' && e.start_date <= review.asOf && (e.end_date === null || e.end_date >= review.asOf))
      .reduce((n, e) => n + e.monthly_amount_cents, 0);
    expect(stopped.length).toBeGreaterThan(0);
    expect(review.prevented).toEqual({ persons: stopped.length, monthlyCents: monthly, annualCents: monthly * 12 });
    // A drill-down lists the payments behind a cell, with opaque references and masked ID numbers.
    const rule = review.byRule.find((r) => r.payments > 0)!;
    const rows = await b.ok('finance-client', 'report.payments', { rule: rule.rule as never, limit: 1000 });
    expect(rows).toHaveLength(Math.min(rule.payments, 1000));
    expect(JSON.stringify(rows)).not.toMatch(/(?<![0-9])[0-9]{17}[0-9X](?![0-9])/);
  });

  it('the dashboard equals a recomputation from the team store', async () => {
    const dash = await b.ok('supervisor-client', 'report.dashboard', {});
    const db = raw(team);
    const findings = db.prepare('SELECT fingerprint, rule_id, family, division_code, amount_cents, state, change, last_run_id, person_id FROM finding').all() as {
      fingerprint: string; rule_id: string; family: string; division_code: string; amount_cents: number | null; state: string; change: string; last_run_id: number; person_id: string | null;
    }[];
    // 一人一案: a person's findings are one case, keyed as every workstation keys it.
    const caseOf = (f: { person_id: string | null; fingerprint: string }) => caseKeyFor(f.person_id, f.fingerprint);
    const distinct = <T>(list: T[]) => [...new Set(list)];
    const cases = new Map((db.prepare('SELECT fingerprint, state, decision, assignee_id, to_recover_cents, recovered_cents FROM case_file').all() as {
      fingerprint: string; state: string; decision: string | null; assignee_id: string | null; to_recover_cents: number | null; recovered_cents: number | null;
    }[]).map((c) => [c.fingerprint, c]));
    const mine = findings.filter((f) => inScope(f.division_code));
    const open = mine.filter((f) => f.state === 'open');
    expect(dash.byRule.reduce((n, r) => n + r.count, 0)).toBe(open.length);
    for (const r of dash.byRule) {
      const of = open.filter((f) => f.rule_id === r.ruleId);
      expect([r.count, r.amountCents]).toEqual([of.length, of.reduce((n, f) => n + (f.amount_cents ?? 0), 0)]);
    }
    expect(dash.byFamilyStreet.reduce((n, r) => n + r.count, 0)).toBe(distinct(open.map((f) => `${caseOf(f)}|${f.family}`)).length);
    const sample = dash.byFamilyStreet[0]!;
    expect(sample.count).toBe(distinct(open.filter((f) => f.family === sample.family && f.division_code.startsWith(sample.street)).map(caseOf)).length);
    expect(dash.changes.new + dash.changes.persisting).toBe(open.length);
    // The funnel: 8 confirmed, 6 dismissed, 10 in review, the rest not started.
    const stage = (s: string) => dash.funnel.find((f) => f.stage === s)!.count;
    expect([stage('confirmed'), stage('dismissed'), stage('in_review')]).toEqual([8, 6, 10]);
    const openCases = distinct(open.map(caseOf));
    expect(openCases.length).toBeLessThan(open.length);
    expect(stage('new')).toBe(openCases.filter((k) => !cases.has(k)).length);
    expect(dash.workload.reduce((n, w) => n + w.open, 0)).toBe([...cases.values()].filter((c) => !['closed', 'dismissed'].includes(c.state)).length);
    expect(dash.ageing.reduce((n, a) => n + a.count, 0)).toBe(openCases.filter((k) => !['closed', 'dismissed'].includes(cases.get(k)?.state ?? 'new')).length);
    const confirmed = mine.filter((f) => cases.get(caseOf(f))?.decision === 'confirmed');
    const confirmedCases = distinct(confirmed.map(caseOf));
    // Money once: each payment counts once across rules, recomputed here from the snapshot's own rows.
    const atRisk = paymentsAtRisk(raw(snapshot), db, open.map((f) => f.fingerprint), snapshot.meta().asOf);
    const confirmedOnce = paymentsAtRisk(raw(snapshot), db, confirmed.map((f) => f.fingerprint), snapshot.meta().asOf);
    // (Counting per finding would count the same payments more than once: the test district has such overlaps.)
    expect(open.reduce((n, f) => n + (f.amount_cents ?? 0), 0)).toBeGreaterThan(atRisk);
    expect(dash.money).toEqual({
      atRiskCents: atRisk,
      confirmedCents: confirmedOnce,
      toRecoverCents: confirmedCases.reduce((n, k) => n + (cases.get(k)!.to_recover_cents ?? 0), 0),
      recoveredCents: distinct(mine.map(caseOf)).reduce((n, k) => n + (cases.get(k)?.recovered_cents ?? 0), 0),
    });
    expect(dash.money.recoveredCents).toBeGreaterThan(0);
    // 8 confirmed cases; each counts for every rule it lists.
    expect(confirmedCases).toHaveLength(8);
    expect(dash.precision.reduce((n, p) => n + p.confirmed, 0)).toBe(distinct(confirmed.map((f) => `${caseOf(f)}|${f.rule_id}`)).length);
    // Each chart's drill-down lists exactly the findings it counted.
    const drill = await b.ok('supervisor-client', 'inbox.page', { filter: { families: [sample.family] }, divisionPrefix: sample.street, sort, offset: 0, limit: 1 });
    expect(drill.total).toBe(sample.count);
    const bucket = dash.ageing.find((a) => a.count > 0)!;
    const aged = await b.ok('supervisor-client', 'inbox.page', { filter: { firstRunFrom: bucket.firstRunFrom!, firstRunTo: bucket.firstRunTo!, caseStates: ['new', 'in_review', 'awaiting_verification', 'confirmed', 'escalated'] }, sort, offset: 0, limit: 1 });
    expect(aged.total).toBe(bucket.count);
    // Finance staff and auditors do not get the dashboard.
    expect(await b.call('auditor-client', 'report.dashboard', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
  });

  it('names the benefits owed (应享未享) in the inbox and the finding, never as money at risk', async () => {
    const page = await b.ok('supervisor-client', 'inbox.page', { filter: { ruleIds: ['R-MISSED'] }, sort, offset: 0, limit: 20 });
    expect(page.rows.length).toBeGreaterThan(0);
    for (const row of page.rows) {
      expect(row.amountCents).toBeNull();
      expect(row.owedReasons?.length, row.fingerprint).toBeGreaterThan(0);
      for (const r of row.owedReasons!) expect(['living', 'care', 'single']).toContain(r);
    }
    const detail = await b.ok('supervisor-client', 'finding.detail', { fingerprint: page.rows[0]!.fingerprint });
    expect(detail.explanation.owed).toMatch(/^应享未享：(困难残疾人生活补贴|重度残疾人护理补贴|单人保)/);
    expect(detail.explanation.summary.join('')).toContain('不计入涉及金额');
    // Other findings carry no such words.
    const other = await b.ok('supervisor-client', 'inbox.page', { filter: { ruleIds: ['R-DEATH'] }, sort, offset: 0, limit: 1 });
    expect(other.rows[0]!.owedReasons).toBeNull();
    expect((await b.ok('supervisor-client', 'finding.detail', { fingerprint: other.rows[0]!.fingerprint })).explanation.owed).toBeNull();
  });

  it('writes the monthly report as PDF (Chinese text, charts, page numbers) and xlsx with the same figures', async () => {
    const sections = ['summary', 'anomalies', 'streets', 'cases', 'spending', 'budget', 'recoveries'] as const;
    const pdf = await b.ok('supervisor-client', 'report.monthly', { period: '2024-06', sections: [...sections], format: 'pdf', purpose: '月度报告测试' });
    expect(statSync(pdf.file).size).toBeGreaterThan(10_000);
    mkdirSync('test-results', { recursive: true });
    copyFileSync(pdf.file, 'test-results/monthly-report.pdf');
    const text = execFileSync('pdftotext', ['-raw', pdf.file, '-']).toString('utf8');
    for (const heading of ['社会救助数据比对月度报告（2024-06）', '一、总体情况', '二、各类异常情况', '五、资金审核', '六、预算执行', '七、追回情况', ...ANOMALY_TYPES.map((t) => t.zh)]) {
      expect(text, heading).toContain(heading);
    }
    expect(text).toMatch(/第 1 页 \/ 共 \d+ 页/);
    // The first page carries the title and the overview (not only the watermark and the footer).
    const first = execFileSync('pdftotext', ['-raw', '-f', '1', '-l', '1', pdf.file, '-']).toString('utf8');
    expect(first).toContain('社会救助数据比对月度报告');
    expect(first).toContain('一、总体情况');
    expect(text).toContain(pdf.exportId);
    // A page as an image: not blank (the charts and text are drawn), kept as a test artifact.
    mkdirSync('test-results', { recursive: true });
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf.file, 'test-results/monthly-report']);
    const png = ['test-results/monthly-report-1.png', 'test-results/monthly-report-01.png'].find((f) => existsSync(f))!;
    expect(statSync(png).size).toBeGreaterThan(15_000);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');

    // The xlsx: the anomalies table holds, per type, the open findings the dashboard counts.
    const xlsx = await b.ok('supervisor-client', 'report.monthly', { period: '2024-06', sections: ['anomalies', 'spending'], format: 'xlsx', purpose: '月度报告测试' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx.file);
    const dash = await b.ok('supervisor-client', 'report.dashboard', {});
    const sheet = book.worksheets.find((w) => w.name.includes('各类异常'))!;
    const firstFound = raw(team)
      .prepare(`SELECT f.rule_id AS ruleId, f.division_code AS division FROM finding f JOIN rule_run r ON r.run_id = f.first_run_id WHERE r.as_of BETWEEN '2024-06-01' AND '2024-06-30'`)
      .all() as { ruleId: string; division: string }[];
    // A type's money at risk, recomputed from the snapshot's rows: its rules' open findings in scope, each payment once.
    const openFindings = raw(team).prepare(`SELECT fingerprint, rule_id, division_code FROM finding WHERE state = 'open'`).all() as { fingerprint: string; rule_id: string; division_code: string }[];
    const atRiskOnce = (ruleIds: string[]) =>
      paymentsAtRisk(raw(snapshot), raw(team), openFindings.filter((f) => ruleIds.includes(f.rule_id) && inScope(f.division_code)).map((f) => f.fingerprint), snapshot.meta().asOf);
    for (const t of ANOMALY_TYPES) {
      let found = false;
      sheet.eachRow((row) => {
        if (row.getCell(1).value === t.zh) {
          found = true;
          expect(row.getCell(3).value).toBe(dash.byRule.filter((r) => t.ruleIds.includes(r.ruleId)).reduce((n, r) => n + r.count, 0));
          expect(row.getCell(2).value).toBe(firstFound.filter((f) => t.ruleIds.includes(f.ruleId) && inScope(f.division)).length);
          // Money at risk once per payment within the type; none for money owed to persons (应享未享).
          expect(row.getCell(4).value ?? null, t.zh).toBe(t.owed ? null : atRiskOnce(t.ruleIds) / 100); // the xlsx holds 元
        }
      });
      expect(found, t.zh).toBe(true);
    }
    // Decisions are counted in the month they were taken (the cases were decided on 2024-07-01 by the test clock).
    const july = await b.ok('supervisor-client', 'report.monthly', { period: '2024-07', sections: ['anomalies'], format: 'xlsx', purpose: '月度报告测试' });
    const julyBook = new ExcelJS.Workbook();
    await julyBook.xlsx.readFile(july.file);
    const decided = raw(team)
      .prepare(`SELECT DISTINCT c.fingerprint, f.rule_id AS ruleId, c.decision, json_extract(c.view, '$.decidedAt') AS at FROM case_file c JOIN finding f ON f.case_key = c.fingerprint WHERE c.decision IS NOT NULL`)
      .all() as { ruleId: string; decision: string; at: string }[];
    expect(decided.every((d) => d.at.startsWith('2024-07'))).toBe(true);
    const julySheet = julyBook.worksheets.find((w) => w.name.includes('各类异常'))!;
    for (const t of ANOMALY_TYPES) {
      julySheet.eachRow((row) => {
        if (row.getCell(1).value !== t.zh) return;
        expect([row.getCell(5).value, row.getCell(6).value], t.zh).toEqual([
          decided.filter((d) => t.ruleIds.includes(d.ruleId) && d.decision === 'confirmed').length,
          decided.filter((d) => t.ruleIds.includes(d.ruleId) && d.decision === 'dismissed').length,
        ]);
      });
    }
    expect(decided.filter((d) => ANOMALY_TYPES.some((t) => t.ruleIds.includes(d.ruleId))).length).toBeGreaterThan(0);

    // Both are in the export register, as reports.
    const register = await b.ok('supervisor-client', 'export.register', { limit: 10 });
    expect(register.filter((e) => e.kind === 'report' && e.status === 'complete').map((e) => e.exportId)).toEqual(expect.arrayContaining([pdf.exportId, xlsx.exportId]));
  });

  it('produces the same report headless: npm run cli -- report --snapshot FILE --period 2024-06 --out DIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aw-report-cli-'));
    try {
      const snap = makeSnapshot(dir, 'R-1', 1500, 5);
      writeFileSync(`${snap.file}.key`, snap.key.toString('hex'));
      const out = execFileSync(process.execPath, ['--import', 'tsx', 'src-main/shells/cli/main.ts', 'report', '--snapshot', snap.file, '--period', '2024-06', '--out', join(dir, 'out')]).toString('utf8');
      expect(out).toMatch(/report [0-9a-f-]{36}: \d+ findings/);
      const files = readdirSync(join(dir, 'out'));
      expect(files.filter((f) => f.endsWith('.pdf'))).toHaveLength(1);
      expect(files.filter((f) => f.endsWith('.xlsx'))).toHaveLength(1);
      const text = execFileSync('pdftotext', ['-raw', join(dir, 'out', files.find((f) => f.endsWith('.pdf'))!), '-']).toString('utf8');
      for (const heading of ['社会救助数据比对月度报告（2024-06）', '二、各类异常情况', '五、资金审核', ...ANOMALY_TYPES.map((t) => t.zh)]) expect(text, heading).toContain(heading);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
  it('produces the app\'s report, case work included, for a scheduled run on the workstation: cli report --user', async () => {
    const anomalies = async (file: string) => {
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(file);
      const rows: unknown[][] = [];
      book.worksheets.find((w) => w.name.includes('各类异常'))!.eachRow((row) => rows.push((row.values as unknown[]).slice(1, 7)));
      return rows.filter((r) => ANOMALY_TYPES.some((t) => t.zh === r[0]));
    };
    const inApp = await anomalies((await b.ok('supervisor-client', 'report.monthly', { period: '2024-07', sections: ['anomalies'], format: 'xlsx', purpose: '月度报告测试' })).file);
    // The decisions of the cases are there (the snapshot-only report has none).
    expect(inApp.some((r) => Number(r[4]) > 0)).toBe(true);
    const out = mkdtempSync(join(tmpdir(), 'aw-report-user-'));
    b.ws.close();
    try {
      const run = execFileSync(process.execPath, ['--import', 'tsx', 'src-main/shells/cli/main.ts', 'report', '--user', staff.supervisor.username, '--period', '2024-07', '--out', out, '--data', b.dir], {
        env: { ...process.env, AW_PASSWORD: staff.supervisor.password },
      }).toString('utf8');
      expect(run).toMatch(/in the export register/);
      const files = readdirSync(out);
      expect(files.filter((f) => f.endsWith('.pdf'))).toHaveLength(1);
      expect(await anomalies(join(out, files.find((f) => f.endsWith('.xlsx'))!))).toEqual(inApp);
    } finally {
      b.reopen();
      rmSync(out, { recursive: true, force: true });
    }
    // Registered as the supervisor's reports, and audited like the screen's.
    await b.ok('supervisor-client', 'auth.login', { username: staff.supervisor.username, password: staff.supervisor.password });
    const register = await b.ok('supervisor-client', 'export.register', { limit: 5 });
    expect(register.filter((e) => e.kind === 'report' && e.purpose === '定时生成（命令行）')).toHaveLength(2);
  }, 120_000);
});

/**
 * Money at risk once per payment, recomputed in plain TypeScript from the snapshot's rows (rules.md's semantics, not
 * the rule SQL): for each finding, the payments its rule holds at risk and how much of each; each payment then counts
 * once, with the largest part any finding gives it.
 */
function paymentsAtRisk(sdb: Database, tdb: Database, fingerprints: readonly string[], asOf: string): number {
  type Pay = { payment_id: string; person_id: string; program: string; period: string; amount_cents: number; enrollment_id: string | null };
  const payments = sdb.prepare('SELECT payment_id, person_id, program, period, amount_cents, enrollment_id FROM payment').all() as Pay[];
  const byPerson = new Map<string, Pay[]>();
  for (const p of payments) byPerson.set(p.person_id, [...(byPerson.get(p.person_id) ?? []), p]);
  const deaths = new Map((sdb.prepare('SELECT person_id, death_date FROM death_record').all() as { person_id: string; death_date: string }[]).map((d) => [d.person_id, d.death_date]));
  const enrollments = new Map((sdb.prepare('SELECT enrollment_id, start_date, end_date, monthly_amount_cents FROM enrollment').all() as { enrollment_id: string; start_date: string; end_date: string | null; monthly_amount_cents: number }[]).map((e) => [e.enrollment_id, e]));
  const moves = sdb.prepare('SELECT person_id, event_type, event_date FROM hukou_event WHERE event_date <= ? ORDER BY event_date DESC, event_type DESC').all(asOf) as { person_id: string; event_type: string; event_date: string }[];
  const gradualOf = gradualExits(sdb);
  // The money of the rules that attribute it their own way (临时救助's awards, 互斥's (programme, month) across pairs,
  // 属性不符's imprisonment), per subject, from their truths (rules.md in plain TypeScript over the snapshot's rows).
  const tables = (sdb.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table'").pluck().all() as string[]).filter((t) => t !== 'meta');
  const rows = Object.fromEntries(tables.map((t) => [t, sdb.prepare(`SELECT * FROM main.${t}`).all()]));
  const stored = sdb.prepare("SELECT value FROM meta WHERE key = 'jurisdiction'").pluck().get() as string;
  const jurisdiction = stored.startsWith('[') ? (JSON.parse(stored) as string[]) : stored.split(',');
  const truthOf = (id: string) => {
    const m = ruleModule(id)!;
    return new Map(m.truth!(rows, { asOf, jurisdiction, parameters: resolveParameters(m.definition) }).map((t) => [t.subjectId, t.amountCents ?? 0]));
  };
  const truths = new Map(['R-LINSHI', 'R-MUTEX', 'R-ATTR', 'R-EXIT', 'R-SINGLE'].map((id) => [id, truthOf(id)]));
  const best = new Map<string, number>();
  const add = (p: Pay, cents: number) => cents > 0 && best.set(p.payment_id, Math.max(best.get(p.payment_id) ?? 0, cents));
  const findings = tdb.prepare('SELECT f.fingerprint, f.rule_id, f.subject_id, d.evidence FROM finding f JOIN finding_detail d USING (fingerprint)').all() as { fingerprint: string; rule_id: string; subject_id: string; evidence: string }[];
  const wanted = new Set(fingerprints);
  for (const f of findings.filter((x) => wanted.has(x.fingerprint))) {
    const own = byPerson.get(f.subject_id) ?? [];
    switch (f.rule_id) {
      case 'R-DEATH':
      case 'F-AFTER-DEATH':
        for (const p of own) if (p.period > deaths.get(f.subject_id)!.slice(0, 7)) add(p, p.amount_cents);
        break;
      case 'R-HUKOU-OUT': {
        const last = moves.find((m) => m.person_id === f.subject_id)!;
        for (const p of own) if (p.period > last.event_date.slice(0, 7)) add(p, p.amount_cents);
        break;
      }
      case 'F-AFTER-EXIT':
        for (const p of own) {
          const e = p.enrollment_id ? enrollments.get(p.enrollment_id) : undefined;
          const outside = !e || p.period < e.start_date.slice(0, 7) || (e.end_date && p.period > e.end_date.slice(0, 7));
          if (outside && !inGradualExit(gradualOf(p.enrollment_id), p.period)) add(p, p.amount_cents);
        }
        break;
      case 'F-DUPLICATE': {
        const seen = new Set<string>();
        for (const p of [...own].sort((a, b) => (a.payment_id < b.payment_id ? -1 : 1))) {
          const k = `${p.program}|${p.period}`;
          if (seen.has(k)) add(p, p.amount_cents);
          seen.add(k);
        }
        break;
      }
      case 'F-AMOUNT':
        for (const p of own) {
          const e = p.enrollment_id ? enrollments.get(p.enrollment_id) : undefined;
          if (e) add(p, p.amount_cents - amountDue(e.monthly_amount_cents, p.period, gradualOf(p.enrollment_id)));
        }
        break;
      case 'R-MUTEX':
      case 'R-ATTR':
      case 'R-LINSHI':
      case 'R-EXIT':
      case 'R-SINGLE': {
        // Which payment carries how much is the rule's own attribution (docs/rules-v2.md: 临时救助's awards, 互斥's
        // (programme, month) across pairs, 属性不符's imprisonment, 应退's months outside 渐退, 单人保's enrollment); the
        // total is held to the rule's truth here, and each payment then counts once with the other rules (a 临时救助
        // paid after death is also 死亡后发放).
        const parts = tdb.prepare('SELECT payment_id, cents FROM finding_payment WHERE fingerprint = ?').all(f.fingerprint) as { payment_id: string; cents: number }[];
        expect(parts.reduce((n, x) => n + x.cents, 0), `${f.rule_id} ${f.subject_id}`).toBe(truths.get(f.rule_id)!.get(f.subject_id));
        for (const x of parts) best.set(x.payment_id, Math.max(best.get(x.payment_id) ?? 0, x.cents));
        break;
      }
    }
  }
  return [...best.values()].reduce((n, c) => n + c, 0);
}
