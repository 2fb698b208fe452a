/**
 * The household judgement in parts (store/snapshot-threads/thread-pool.ts unitsByPrelude): each snapshot thread judges
 * its part of the households and runs the rules over them. Put together, the parts give exactly the rows of a whole
 * run, in the same order — for every rule that reads the judgement, at the policy values, at other values (the v1
 * preset) and within a street's scope — and neither part is empty, so the split is real.
 */
import { describe, expect, it } from 'vitest';
import { generateDistrict } from '../../src-main/generator/district-generator.js';
import { resolveParameters } from '../../src-main/domain/rules/rule-library.js';
import { BUILTIN_RULES, ruleModule } from '../../src-main/rules/index.js';
import { unitsByPrelude, type SnapshotJob } from '../../src-main/store/snapshot-threads/thread-pool.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';
import { PRELUDE_PARTS } from '../../src-main/store/sql-fragments.js';

const writer = SnapshotWriter.inMemory();
const summary = generateDistrict({ seed: 23, persons: 5000, rates: { quality: 0.02, payment: 0.02 } }, { row: (r) => writer.write(r), truth: () => undefined });
const db = writer.finish({ snapshotId: 'parts', asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: '2024-07-01T00:00:00Z' })!;
const snapshot = SnapshotDb.fromDatabase(db, 'synced');
/** The households the connection's judgement (the prelude's temporary table) holds now. */
const judgedHouseholds = () => (db.prepare('SELECT household_id FROM temp.household_judgement ORDER BY household_id').pluck().all() as string[]);
const judged = BUILTIN_RULES.filter((r) => ruleModule(r.id)!.prelude);

describe('the household judgement in parts', () => {
  it('each part takes about its share of the households', () => {
    snapshot.runStatement(ruleModule('R-EXIT')!, resolveParameters(judged.find((r) => r.id === 'R-EXIT')!), null, 0);
    const first = judgedHouseholds().length;
    snapshot.runStatement(ruleModule('R-EXIT')!, resolveParameters(judged.find((r) => r.id === 'R-EXIT')!), null, 1);
    const second = judgedHouseholds().length;
    expect(Math.min(first, second) / Math.max(first, second)).toBeGreaterThan(0.8);
  });

  it('is read by the household-means rules, and the threads get one unit per part', () => {
    expect(judged.map((r) => r.id).sort()).toEqual(['R-COVER', 'R-EDGE', 'R-EXIT', 'R-RIGID', 'R-SINGLE']);
    const jobs: SnapshotJob[] = BUILTIN_RULES.map((r) => ({ id: r.id, statement: ruleModule(r.id)!, passes: [{ parameters: {}, scope: null }] }));
    const units = unitsByPrelude(jobs);
    expect(units.slice(0, PRELUDE_PARTS).map((u) => [...new Set(u.map((j) => j.part))])).toEqual(Array.from({ length: PRELUDE_PARTS }, (_, i) => [i]));
    expect(units.slice(PRELUDE_PARTS).every((u) => u.length === 1 && u[0]!.part === undefined)).toBe(true);
    expect(units.flat().length).toBe(jobs.length + judged.length * (PRELUDE_PARTS - 1));
  });

  for (const preset of ['policy', 'v1'] as const) {
    for (const scope of [null, ['320111']]) {
      it(`parts put together give the whole run's rows in its order (${preset}, ${scope ? 'one street' : 'whole district'})`, () => {
        for (const rule of judged) {
          const statement = ruleModule(rule.id)!;
          const parameters = resolveParameters(rule, {}, preset);
          snapshot.startRun();
          const whole = snapshot.runStatement(statement, parameters, scope);
          const households = judgedHouseholds();
          const inPart: string[][] = [];
          const parts = Array.from({ length: PRELUDE_PARTS }, (_, part) => {
            const rows = snapshot.runStatement(statement, parameters, scope, part);
            inPart.push(judgedHouseholds());
            return rows;
          });
          expect(parts.flat(), rule.id).toEqual(whole);
          // Each part judged only its own households, and together all of them.
          expect(inPart.flat().sort()).toEqual(households);
          for (const part of inPart) expect(part.length).toBeLessThan(households.length);
          if (!scope) for (const rows of parts) expect(rows.length, `${rule.id}: a part without rows`).toBeGreaterThan(0);
        }
      });
    }
  }
});
