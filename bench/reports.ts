/**
 * Reports benchmark at BENCH_PERSONS (default 1,000,000) persons, through the real service stack (dispatcher,
 * validation, scope, audit entry): a supervisor's dashboard load, the finance spending review and a drill-down, and the
 * monthly report as PDF and xlsx; then the headless report (`cli report`) over the same snapshot. The team store holds
 * the findings of a real rule run over the snapshot, with cases on 500 of them. Writes bench/results/reports.json: the
 * sparse profile's figures at the top level (as before), and each profile's under `profiles` (BENCH_PROFILES, default
 * sparse,dense: the dense district's denser incomes and five years of payments are what the spending review and the
 * report's ledger read).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { withSubjects } from '../src-main/services/checks/check-service.js';
import { runChecks } from '../src-main/services/checks/rule-engine.js';
import { headlessMonthlyReport } from '../src-main/services/reports/headless-report.js';
import { benchSnapshot, benchWorkstation } from './bench-stack.js';
import { systemClock } from '../src-main/platform/clock.js';
import type { GeneratorProfile } from '../src-main/generator/district-generator.js';

const PERSONS = Number(process.env.BENCH_PERSONS ?? 1_000_000);
const PROFILES = (process.env.BENCH_PROFILES ?? 'sparse,dense').split(',') as GeneratorProfile[];
const median = (xs: number[]) => +[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(1);

async function reportsRun(profile: GeneratorProfile) {
  const dir = mkdtempSync(join(tmpdir(), `aw-bench-reports-${profile}-`));
  try {
    let t = Date.now();
    const { snapshot, summary } = benchSnapshot(dir, { id: 'bench-reports', seed: 7, persons: PERSONS, profile });
    console.log(`[${profile}] snapshot of ${summary.persons} persons built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const run = await runChecks(snapshot, { clock: systemClock });
    const { ws, ok, staff } = benchWorkstation(join(dir, 'data'), snapshot);
    const timed = async <T>(work: () => Promise<T>) => {
      const s = performance.now();
      const value = await work();
      return { value, ms: performance.now() - s };
    };
    await staff([{ username: 'sup', role: 'supervisor', scope: summary.jurisdiction }, { username: 'fin', role: 'finance', scope: summary.jurisdiction }], 'bench-own-pass-1');
    const team = ws.internals.team.forUser(ws.internals.sessions.get('sup')!.user.id);
    team.findings.recordRun({ ...run, runBy: 'sup' }, withSubjects(snapshot, run.findings));
    const page = (await ok('sup', 'inbox.page', { filter: {}, sort: { column: 'amount', direction: 'desc' }, offset: 0, limit: 500 })) as { rows: { fingerprint: string }[] };
    for (const [i, row] of page.rows.entries()) {
      await ok('sup', 'case.act', { fingerprint: row.fingerprint, expectedHead: null, command: { kind: 'transition', to: 'in_review' } });
      if (i % 3 === 0) {
        const detail = (await ok('sup', 'finding.detail', { fingerprint: row.fingerprint })) as { case: { head: string } };
        await ok('sup', 'case.act', { fingerprint: row.fingerprint, expectedHead: detail.case.head, command: { kind: 'assign', assigneeId: ws.internals.sessions.get('sup')!.user.id } });
      }
    }

    const dashboard: number[] = [];
    for (let i = 0; i < 5; i++) dashboard.push((await timed(() => ok('sup', 'report.dashboard', {}))).ms);
    const sections = ['summary', 'anomalies', 'streets', 'cases', 'spending', 'budget', 'recoveries'] as const;
    // The PDF first, while the ledger's figures are not cached yet; the xlsx after, when they are.
    const pdf = await timed(() => ok('sup', 'report.monthly', { period: summary.asOf.slice(0, 7), sections: [...sections], format: 'pdf', purpose: 'benchmark' }) as Promise<{ bytes: number }>);
    const spending: number[] = [];
    for (let i = 0; i < 3; i++) spending.push((await timed(() => ok('fin', 'report.spending', {}))).ms);
    const drill = await timed(() => ok('fin', 'report.payments', { rule: 'F-AFTER-DEATH', limit: 500 }) as Promise<unknown[]>);
    const xlsx = await timed(() => ok('sup', 'report.monthly', { period: summary.asOf.slice(0, 7), sections: [...sections], format: 'xlsx', purpose: 'benchmark' }) as Promise<{ bytes: number }>);
    t = Date.now();
    const headless = await headlessMonthlyReport({ clock: systemClock, snapshot, period: summary.asOf.slice(0, 7), outDir: join(dir, 'cli') });
    const headlessMs = Date.now() - t;
    ws.close();
    snapshot.close();

    return {
      profile,
      persons: summary.persons,
      findings: run.findings.length,
      casesWorked: page.rows.length,
      dashboardLoad: { medianMs: median(dashboard), firstMs: +dashboard[0]!.toFixed(1), runs: dashboard.length },
      spendingReview: { medianMs: median(spending), firstMs: +spending[0]!.toFixed(1), note: 'the ledger figures are cached per snapshot and scope after the first computation (here: by the PDF report before)' },
      drillDownPayments: { ms: +drill.ms.toFixed(1), rows: drill.value.length },
      monthlyReport: { pdfMs: +pdf.ms.toFixed(1), pdfBytes: pdf.value.bytes, xlsxMs: +xlsx.ms.toFixed(1), xlsxBytes: xlsx.value.bytes, note: 'the PDF computes the ledger figures; the xlsx reuses them' },
      headlessReport: { ms: headlessMs, findings: headless.findings, note: 'includes the full rule run over the snapshot' },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const profiles: Record<string, Awaited<ReturnType<typeof reportsRun>>> = {};
for (const profile of PROFILES) {
  profiles[profile] = await reportsRun(profile);
  console.log(JSON.stringify(profiles[profile], null, 2));
}
const result = {
  benchmark: 'reports',
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadAverage: loadavg().map((x) => +x.toFixed(2)) },
  ...(profiles.sparse ?? Object.values(profiles)[0]),
  profiles,
  note: 'service calls through the dispatcher; the spending review reads every payment of the ledger (F-rules per payment), the dashboard only the team store',
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/reports.json', JSON.stringify(result, null, 2) + '\n');
