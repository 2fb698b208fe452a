/**
 * The inbox, dashboard and monthly report over an existing province-shaped snapshot (issue 16's step 5 at a scale a
 * shared laptop affords): BENCH_SCALE_SNAPSHOT (a snapshot.db with snapshot.db.key as hex beside it, opened read-only)
 * checked with the whole library (runChecks; the run is cached as JSON in BENCH_SCALE_CACHE when set), its findings
 * topped up to BENCH_FINDINGS (default 200,000) with repeats under new fingerprints (as bench/triage.ts), recorded into a
 * team store (as bench/province.ts), then timed through the dispatcher as the district's supervisor: inbox.page (first
 * 200 by priority), inbox.facets, report.dashboard and report.monthly (PDF). BENCH_SCALE_DATA keeps the workstation's
 * folder between runs (the first records, later ones only log in and time); BENCH_SCALE_REPORTS=0 times the inbox alone;
 * BENCH_SCALE_DUMP=PREFIX writes the first facets and dashboard answers as JSON (to compare before and after a change).
 * docs/performance.md, "Inbox, dashboard and report at province scale".
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runChecks, type CheckRun } from '../src-main/services/checks/rule-engine.js';
import { withSubjects } from '../src-main/services/checks/check-service.js';
import { SnapshotDb } from '../src-main/store/snapshot/snapshot-db.js';
import { systemClock } from '../src-main/platform/clock.js';
import { benchWorkstation, topUpFindings } from './bench-stack.js';

const FILE = process.env.BENCH_SCALE_SNAPSHOT ?? '/work/scratch/s1m/snapshot.db';
const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 200_000);
const CACHE = process.env.BENCH_SCALE_CACHE;
const REPORTS = process.env.BENCH_SCALE_REPORTS !== '0';
const summary = JSON.parse(readFileSync(join(dirname(FILE), 'summary.json'), 'utf8')) as { asOf: string; jurisdiction: string[]; persons: number };
const snapshot = SnapshotDb.open(FILE, Buffer.from(readFileSync(`${FILE}.key`, 'utf8').trim(), 'hex'));
const median = (xs: number[]) => +[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(1);
const timed = async <T>(f: () => Promise<T>) => { const s = performance.now(); const value = await f(); return { ms: +(performance.now() - s).toFixed(1), value }; };

/** The whole library's findings (topped up to FINDINGS) into the team store, as the district's supervisor. */
async function record({ ws, staff }: ReturnType<typeof benchWorkstation>) {
  let run: CheckRun;
  if (CACHE && existsSync(CACHE)) run = JSON.parse(readFileSync(CACHE, 'utf8')) as CheckRun;
  else {
    const t = Date.now();
    run = await runChecks(snapshot, { clock: systemClock });
    console.log(`full library: ${run.findings.length} findings in ${Date.now() - t} ms`);
    if (CACHE) writeFileSync(CACHE, JSON.stringify(run));
  }
  const real = withSubjects(snapshot, run.findings);
  const findings = topUpFindings(real, FINDINGS);
  await staff([{ username: 'sup', role: 'supervisor', scope: summary.jurisdiction }], 'bench-own-pass-1');
  const team = ws.internals.team.forUser(ws.internals.sessions.get('sup')!.user.id);
  const recorded = await timed(async () => team.findings.recordRun({ ...run, runBy: 'sup' }, findings));
  console.log(`${run.findings.length} real findings, ${findings.length} recorded in ${recorded.ms} ms; load ${loadavg()[0]!.toFixed(2)}`);
}

// BENCH_SCALE_DATA keeps the workstation's data folder: the first run records the findings, later runs log in and time.
const KEEP = process.env.BENCH_SCALE_DATA;
const dir = KEEP ?? mkdtempSync(join(tmpdir(), 'aw-bench-scale-'));
const reuse = !!KEEP && existsSync(join(dir, 'data'));
try {
  const stack = benchWorkstation(join(dir, 'data'), snapshot);
  const { ws, ok } = stack;
  if (reuse) await ok('sup', 'auth.login', { username: 'sup', password: 'bench-own-pass-1' });
  else await record(stack);

  const page: number[] = [];
  const facets: number[] = [];
  let total = 0;
  for (let i = 0; i < 5; i++) {
    const p = await timed(() => ok('sup', 'inbox.page', { filter: {}, sort: { column: 'priority', direction: 'desc' }, offset: 0, limit: 200 }) as Promise<{ total: number }>);
    const f = await timed(() => ok('sup', 'inbox.facets', { filter: {} }));
    total = p.value.total;
    page.push(p.ms);
    facets.push(f.ms);
    if (process.env.BENCH_SCALE_DUMP && i === 0) writeFileSync(`${process.env.BENCH_SCALE_DUMP}.facets.json`, JSON.stringify(f.value));
  }
  console.log(`inbox over ${total}: page ${page.join(' ')} (median ${median(page)}) ms, facets ${facets.join(' ')} (median ${median(facets)}) ms`);
  const result: Record<string, unknown> = { persons: summary.persons, visible: total, pageMs: median(page), facetsMs: median(facets), firstRenderMs: +(median(page) + median(facets)).toFixed(1) };
  if (REPORTS) {
    const dashboard: number[] = [];
    for (let i = 0; i < 3; i++) {
      const d = await timed(() => ok('sup', 'report.dashboard', {}));
      dashboard.push(d.ms);
      if (process.env.BENCH_SCALE_DUMP && i === 0) writeFileSync(`${process.env.BENCH_SCALE_DUMP}.dashboard.json`, JSON.stringify(d.value));
    }
    console.log(`dashboard ${dashboard.join(' ')} ms`);
    const sections = ['summary', 'anomalies', 'streets', 'cases', 'spending', 'budget', 'recoveries'] as const;
    const pdf = await timed(() => ok('sup', 'report.monthly', { period: summary.asOf.slice(0, 7), sections: [...sections], format: 'pdf', purpose: 'benchmark' }) as Promise<{ bytes: number }>);
    console.log(`monthly PDF ${pdf.ms} ms (${pdf.value.bytes} bytes)`);
    Object.assign(result, { dashboardMs: median(dashboard), pdfMs: pdf.ms });
  }
  result.loadAtEnd = +loadavg()[0]!.toFixed(2);
  result.rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  console.log(JSON.stringify(result));
  ws.close();
} finally {
  snapshot.close();
  if (!KEEP) rmSync(dir, { recursive: true, force: true });
}
