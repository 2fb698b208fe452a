/**
 * Every rule with a truth of its own (rules/<rule>/truth.ts: rules.md in plain TypeScript over the district's rows) is
 * held to it: on generated districts at several seeds and sizes — each with the rule's own planted cases and near-misses
 * — the SQL finds exactly the truth's subjects (precision and recall 1.0) and, where the rule has money, the same
 * amounts to the cent: once at the national defaults, and once with the example region's parameter set (the plants aim
 * boundaries at its values: a vehicle worth exactly its limit, a wage equal to its deduction…).
 */
import { describe, expect, it } from 'vitest';
import { resolveParameters } from '../../src-main/domain/rules/rule-library.js';
import { RULE_MODULES } from '../../src-main/rules/index.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { EXAMPLE_REGION } from '../../src-main/rules/shared/example-region.js';
import { buildDistrictWithRows } from '../helpers/district.js';
import { FAR_VALUES } from '../helpers/far-values.js';

const WITH_TRUTH = RULE_MODULES.filter((m) => m.truth);
const DISTRICTS = [
  [11, 3000],
  [23, 5000],
  [37, 8000],
] as const;

describe.runIf(WITH_TRUTH.length > 0)('rules against their own truth', () => {
  for (const [seed, persons] of DISTRICTS) {
    it(`seed ${seed}, ${persons} persons: every rule finds exactly its truth`, () => {
      const { db, rows, summary } = buildDistrictWithRows(seed, persons);
      const snapshot = SnapshotDb.fromDatabase(db, 'demo');
      const example = Object.fromEntries(EXAMPLE_REGION.values.map((v) => [v.name, v.value]));
      for (const [m, overrides, label] of WITH_TRUTH.flatMap((m) => [[m, {}, 'defaults'], [m, example, 'example region']] as const)) {
        snapshot.startRun();
        const parameters = resolveParameters(m.definition, overrides);
        const found = snapshot.runRule(m, parameters, null);
        const truth = m.truth!(rows, { asOf: summary.asOf, jurisdiction: summary.jurisdiction, parameters });
        const id = `${m.definition.id} (${label})`;
        expect(truth.length, `${id}: the plants give it cases`).toBeGreaterThan(0);
        expect(found.map((r) => r.subject_id).sort(), `${id}: subjects`).toEqual(truth.map((t) => t.subjectId).sort());
        if (m.definition.money) {
          const amounts = new Map(found.map((r) => [r.subject_id, r.amount_cents]));
          for (const t of truth) expect(amounts.get(t.subjectId), `${id} ${t.subjectId}: amount`).toBe(t.amountCents ?? null);
        }
      }
      snapshot.close();
    });
  }
});

describe('the household judgement with another income window (incomeMonths)', () => {
  it('finds exactly the truth of each of its rules, over a quarter and over two years: the line moves with the window', () => {
    const { db, rows, summary } = buildDistrictWithRows(37, 8000);
    const snapshot = SnapshotDb.fromDatabase(db, 'demo');
    const judged = WITH_TRUTH.filter((m) => m.prelude);
    expect(judged.map((m) => m.definition.id).sort()).toEqual(['R-COVER', 'R-EDGE', 'R-EXIT', 'R-RIGID', 'R-SINGLE']);
    for (const m of judged) {
      const counts: number[] = [];
      for (const incomeMonths of [3, 12, 24]) {
        snapshot.startRun();
        const parameters = resolveParameters(m.definition, { incomeMonths });
        const found = snapshot.runRule(m, parameters, null);
        const truth = m.truth!(rows, { asOf: summary.asOf, jurisdiction: summary.jurisdiction, parameters });
        expect(found.map((r) => r.subject_id).sort(), `${m.definition.id} over ${incomeMonths} months`).toEqual(truth.map((t) => t.subjectId).sort());
        counts.push(found.length);
      }
      if (m.definition.id !== 'R-RIGID') expect(new Set(counts).size, `${m.definition.id} ${JSON.stringify(counts)}`).toBeGreaterThan(1);
    }
    snapshot.close();
  });
});

describe('rules that read what the build derived for D alone (RuleModule.bases), at values far from the defaults', () => {
  it('find exactly their truth, and the values change what they find', () => {
    const { db, rows, summary } = buildDistrictWithRows(23, 5000);
    const snapshot = SnapshotDb.fromDatabase(db, 'demo');
    const withBases = RULE_MODULES.filter((m) => m.bases);
    expect(withBases.map((m) => m.definition.id).sort()).toEqual(Object.keys(FAR_VALUES).sort());
    for (const m of withBases) {
      const counts: number[] = [];
      for (const set of FAR_VALUES[m.definition.id]!) {
        snapshot.startRun();
        const parameters = resolveParameters(m.definition, set);
        const found = snapshot.runRule(m, parameters, null);
        const truth = m.truth!(rows, { asOf: summary.asOf, jurisdiction: summary.jurisdiction, parameters });
        expect(found.map((r) => r.subject_id).sort(), `${m.definition.id} ${JSON.stringify(set)}`).toEqual(truth.map((t) => t.subjectId).sort());
        counts.push(found.length);
      }
      // Else this would prove nothing about applying the values at the run.
      expect(new Set(counts).size, `${m.definition.id} ${JSON.stringify(counts)}`).toBe(counts.length);
    }
    snapshot.close();
  });
});
