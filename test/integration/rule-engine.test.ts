/** Must show: on generated data with planted anomalies, every built-in rule finds exactly the ground truth (precision and recall 1.0). */
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src-main/domain/rules/rule-library.js';
import { generateDistrict, type TruthRow } from '../../src-main/generator/district-generator.js';
import { runChecks } from '../../src-main/services/checks/rule-engine.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';

function district(seed: number, persons: number, rates = {}) {
  const writer = SnapshotWriter.inMemory();
  const truth: TruthRow[] = [];
  const summary = generateDistrict({ seed, persons, rates }, { row: (r) => writer.write(r), truth: (t) => truth.push(t) });
  const db = writer.finish({ snapshotId: `t${seed}`, asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: 'x' })!;
  return { snapshot: SnapshotDb.fromDatabase(db, 'synced'), truth };
}

const HIGH = { death: 0.08, hukouOut: 0.08, mutex: 0.08, attr: 0.08, exit: 0.3, cover: 0.3, payment: 0.2, quality: 0.03 };

describe('built-in rules against the ground truth', () => {
  for (const [seed, persons, rates] of [
    [1, 3000, HIGH],
    [2, 6000, HIGH],
    [3, 20000, {}],
    [4, 40000, HIGH],
  ] as const) {
    it(`precision and recall are 1.0 for every rule (seed ${seed}, ${persons} persons)`, async () => {
      const { snapshot, truth } = district(seed, persons, rates);
      const run = await runChecks(snapshot);
      const report: string[] = [];
      for (const rule of BUILTIN_RULES) {
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
      snapshot.close();
    }, 60_000);
  }
});
