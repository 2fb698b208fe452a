/** Must show: on generated data with planted anomalies, every built-in rule finds exactly the ground truth (precision and recall 1.0). */
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES, ruleModule } from '../../src-main/rules/index.js';
import { runChecks } from '../../src-main/services/checks/rule-engine.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { buildDistrict, HIGH_RATES } from '../helpers/district.js';
import { systemClock } from '../../src-main/platform/clock.js';

function district(seed: number, persons: number, rates = {}) {
  const { db, truth } = buildDistrict(seed, persons, rates);
  return { snapshot: SnapshotDb.fromDatabase(db, 'synced'), truth };
}

const HIGH = HIGH_RATES;
/** The rules the generator's ground truth judges; a rule with a truth of its own is held to it in rule-truth.test.ts. */
const JUDGED = BUILTIN_RULES.filter((r) => !ruleModule(r.id)?.truth);

describe('built-in rules against the ground truth', () => {
  for (const [seed, persons, rates] of [
    [1, 3000, HIGH],
    [2, 6000, HIGH],
    [3, 20000, {}],
    [4, 40000, HIGH],
  ] as const) {
    it(`precision and recall are 1.0 for every rule (seed ${seed}, ${persons} persons)`, async () => {
      const { snapshot, truth } = district(seed, persons, rates);
      const run = await runChecks(snapshot, { clock: systemClock });
      const report: string[] = [];
      for (const rule of JUDGED) {
        const expected = new Set(truth.filter((t) => t.rule === rule.id).map((t) => t.subjectId));
        const found = new Set(run.findings.filter((f) => f.ruleId === rule.id).map((f) => f.subjectId));
        const falsePositives = [...found].filter((s) => !expected.has(s));
        const missed = [...expected].filter((s) => !found.has(s));
        if (falsePositives.length || missed.length) report.push(`${rule.id}: ${falsePositives.length} false positives ${falsePositives.slice(0, 3)}, ${missed.length} missed ${missed.slice(0, 3)}`);
        if (rates === HIGH) expect(expected.size, `${rule.id} planted`).toBeGreaterThan(0);
      }
      expect(report).toEqual([]);
      // One finding per subject and rule.
      expect(new Set(run.findings.map((f) => f.fingerprint)).size).toBe(run.findings.length);
      // A finding with money names the payments behind it, and they add up to its amount to the cent.
      for (const f of run.findings.filter((x) => BUILTIN_RULES.find((r) => r.id === x.ruleId)!.money && x.amountCents)) {
        expect(f.payments?.reduce((n, [, cents]) => n + Math.max(cents, 0), 0), `${f.ruleId} ${f.subjectId}`).toBe(f.amountCents);
      }
      snapshot.close();
    }, 60_000);
  }
});

describe('re-running on a later snapshot', () => {
  it('splits findings into new, persisting and resolved by fingerprint, and keeps their history', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { randomBytes } = await import('node:crypto');
    const { TeamDb } = await import('../../src-main/store/team/team-db.js');
    const dir = mkdtempSync(join(tmpdir(), 'aw-rerun-'));
    const team = TeamDb.open(join(dir, 'team.db'), randomBytes(32), { create: true });
    const ws = { findings: () => team.findings, close: () => team.close() };
    try {
      const { snapshot } = district(9, 6000, HIGH);
      const first = await runChecks(snapshot, { clock: systemClock });
      const r1 = ws.findings().recordRun({ ...first, runBy: 'u' }, first.findings);
      expect(r1).toMatchObject({ newCount: first.findings.length, persistingCount: 0, resolvedCount: 0 });

      // Next month: one dead person's enrollment is finally stopped (resolved), someone else dies (new).
      const db = (snapshot as unknown as { db: import('better-sqlite3-multiple-ciphers').Database }).db;
      const dead = first.findings.find((f) => f.ruleId === 'R-DEATH')!;
      db.prepare(`UPDATE enrollment SET status = 'stopped', end_date = (SELECT death_date FROM death_record WHERE person_id = ?) WHERE person_id = ?`).run(dead.subjectId, dead.subjectId);
      const victim = db
        .prepare(`SELECT e.person_id FROM enrollment e WHERE e.status = 'active' AND e.end_date IS NULL AND e.person_id NOT IN (SELECT person_id FROM death_record) ORDER BY e.person_id LIMIT 1`)
        .pluck()
        .get() as string;
      db.prepare(`INSERT INTO death_record VALUES (?, '2024-06-15', '公安')`).run(victim);
      db.prepare(`UPDATE meta SET value = 't9-next' WHERE key = 'snapshot_id'`).run();

      const second = await runChecks(snapshot, { clock: systemClock });
      const r2 = ws.findings().recordRun({ ...second, runBy: 'u' }, second.findings);
      const deathNew = second.findings.find((f) => f.ruleId === 'R-DEATH' && f.subjectId === victim)!;
      expect(ws.findings().byFingerprint(deathNew.fingerprint)).toMatchObject({ state: 'open', change: 'new', first_run_id: r2.runId });
      expect(ws.findings().byFingerprint(dead.fingerprint)).toMatchObject({ state: 'resolved', change: 'resolved', first_run_id: r1.runId });
      const kept = first.findings.find((f) => f.ruleId === 'R-HUKOU-OUT')!;
      expect(ws.findings().byFingerprint(kept.fingerprint)).toMatchObject({ state: 'open', change: 'persisting', first_run_id: r1.runId, last_run_id: r2.runId });
      expect(r2.resolvedCount).toBeGreaterThanOrEqual(1);
      expect(r2.newCount).toBeGreaterThanOrEqual(1);
      expect(r2.persistingCount).toBe(second.findings.length - r2.newCount);
      // No duplicates: one row per fingerprint, however many runs.
      const rows = ws.findings().summaryByRule().reduce((n, r) => n + r.open + r.resolved, 0);
      expect(rows).toBe(new Set([...first.findings, ...second.findings].map((f) => f.fingerprint)).size);
      snapshot.close();
    } finally {
      ws.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rule runs on worker threads', () => {
  it('a snapshot file is checked on two threads with exactly the findings of a run on this thread', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { randomBytes } = await import('node:crypto');
    const { generateDistrict } = await import('../../src-main/generator/district-generator.js');
    const { SnapshotWriter } = await import('../../src-main/store/snapshot/snapshot-writer.js');
    const dir = mkdtempSync(join(tmpdir(), 'aw-workers-'));
    try {
      const key = randomBytes(32);
      const writer = SnapshotWriter.toFile(join(dir, 's.db'), key);
      const summary = generateDistrict({ seed: 12, persons: 6000, rates: HIGH }, { row: (r) => writer.write(r), truth: () => undefined });
      writer.finish({ snapshotId: 'w', asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: 'x' });
      const snapshot = SnapshotDb.open(join(dir, 's.db'), key);
      const progress: string[] = [];
      const threaded = await runChecks(snapshot, { clock: systemClock, onProgress: (p) => p.ruleId && progress.push(p.ruleId), scope: ['320111'] });
      const inline = await runChecks(snapshot, { clock: systemClock, threads: 1, scope: ['320111'] });
      expect(threaded.findings.map((f) => f.fingerprint)).toEqual(inline.findings.map((f) => f.fingerprint));
      expect(threaded.rules.map((r) => r.id)).toEqual(BUILTIN_RULES.map((r) => r.id));
      expect(new Set(progress).size).toBe(BUILTIN_RULES.length);
      // Cancelling stops the threads.
      const cancelled = await runChecks(snapshot, { clock: systemClock, isCancelled: () => true });
      expect(cancelled.cancelled).toBe(true);
      snapshot.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
