/**
 * Backup benchmark, through the real service stack: a supervisor's workspace and a team store holding 200,000
 * findings (BENCH_BACKUP_FINDINGS) from a rule run over a generated district of 100,000 persons.
 * - a full piece: time, size, peak memory added;
 * - an incremental piece after 200 case notes: pages carried, time;
 * - a restore of the set (full + incremental) on a new laptop: time.
 * The piece is written while the databases are held still, so the app does not answer meanwhile: that time is what a
 * user waits. Writes bench/results/backup.json.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { withSubjects } from '../src-main/services/checks/check-service.js';
import { runChecks } from '../src-main/services/checks/rule-engine.js';
import { benchSnapshot, benchWorkstation } from './bench-stack.js';
import { withPeakMemory } from './peak-memory.js';
import { systemClock } from '../src-main/platform/clock.js';

const FINDINGS = Number(process.env.BENCH_BACKUP_FINDINGS ?? 200_000);
const RATES = { death: 0.08, hukouOut: 0.08, mutex: 0.08, attr: 0.08, exit: 0.3, cover: 0.3, payment: 0.25, quality: 0.03 };
const dir = mkdtempSync(join(tmpdir(), 'aw-bench-backup-'));
const usb = join(dir, 'usb');
mkdirSync(usb);
const sort = { column: 'priority' as const, direction: 'desc' as const };
const PASSWORD = 'bench-own-pass-1';

try {
  const { snapshot, summary } = benchSnapshot(dir, { id: 'bench-backup', seed: 21, persons: 100_000, rates: RATES });
  const county = summary.jurisdiction[0]!;
  const run = await runChecks(snapshot, { clock: systemClock, scope: [county] });
  const real = withSubjects(snapshot, run.findings);
  const laptop = (name: string) => benchWorkstation(join(dir, name), snapshot);
  const staff = (l: ReturnType<typeof laptop>) => l.staff([{ username: 'sup', role: 'supervisor', scope: [county] }], PASSWORD);

  const a = laptop('a');
  await staff(a);
  const team = a.ws.internals.team.forUser(a.ws.internals.sessions.get('sup')!.user.id);
  const findings = [...real];
  for (let copy = 1; findings.length < FINDINGS; copy++) {
    for (const f of real) {
      if (findings.length >= FINDINGS) break;
      findings.push({ ...f, fingerprint: createHash('sha256').update(`${f.fingerprint}:${copy}`).digest('hex').slice(0, 32) });
    }
  }
  team.findings.recordRun({ ...run, runBy: 'sup' }, findings.slice(0, FINDINGS));
  const teamBytes = statSync(join(dir, 'a', 'team.db')).size;

  type Piece = { piece: number; kind: string; pages: number; bytes: number; ms: number; dir: string };
  const full = await withPeakMemory(() => a.ok('sup', 'backup.run', { folder: usb, password: PASSWORD }) as Promise<Piece>);
  const page = (await a.ok('sup', 'inbox.page', { filter: {}, sort, offset: 0, limit: 200 })) as { rows: { fingerprint: string }[] };
  for (const row of page.rows) await a.ok('sup', 'case.act', { fingerprint: row.fingerprint, expectedHead: null, command: { kind: 'note', text: '备份基准' } });
  const incremental = await withPeakMemory(() => a.ok('sup', 'backup.run', { folder: usb, password: PASSWORD }) as Promise<Piece>);

  const b = laptop('b');
  await staff(b);
  const restoreStarted = Date.now();
  const restored = (await b.ok('sup', 'backup.restore', { dir: full.value.dir, password: PASSWORD })) as { restoredPiece: number; team: string };
  const restoreMs = Date.now() - restoreStarted;
  if (restored.restoredPiece !== 2 || restored.team !== 'restored') throw new Error(`restore ended at ${JSON.stringify(restored)}`);

  const result = {
    machine: { cpus: cpus().length, node: process.version },
    findings: FINDINGS,
    teamStoreBytes: teamBytes,
    full: { pages: full.value.pages, bytes: full.value.bytes, ms: full.value.ms, peakRssAddedMiB: full.peakRssAddedMiB },
    incrementalAfter200Notes: { pages: incremental.value.pages, bytes: incremental.value.bytes, ms: incremental.value.ms, peakRssAddedMiB: incremental.peakRssAddedMiB },
    restoreFullPlusIncrementalMs: restoreMs,
    notes: 'ms includes one scrypt (N=2^14 here; production N=2^17 adds about 0.4 s); the rest is the time the app holds the databases still',
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/backup.json', JSON.stringify(result, null, 2) + '\n');
  for (const l of [a, b]) l.ws.close();
  snapshot.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
