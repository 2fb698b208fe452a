/**
 * Every monitoring signal (rules/signals/<m-id>/truth.ts: monitoring.md in plain TypeScript over the district's rows)
 * is held to its truth on generated districts at three seeds and sizes, and a dense one — each with the signals' planted cases and
 * near-misses at every boundary — hit by hit (household, event key, level): precision and recall 1.0 per signal; then
 * every warning's level and signal levels, and the monitored population's layers, against the truths grouped the same way
 * — at the national defaults and again with the example region's values (counted income with the employment deduction,
 * the margin at 2 × S).
 */
import { describe, expect, it } from 'vitest';
import { resolveParameters } from '../../src-main/domain/rules/rule-library.js';
import { highestLevel, POPULATION, populationTruth, SIGNAL_MODULES, type SignalLevel, type SignalModule, type SignalTruth } from '../../src-main/rules/signals/index.js';
import { EXAMPLE_REGION } from '../../src-main/rules/shared/example-region.js';
import { evaluateMonitoring, monitoredHouseholds, regionalForSignals, type MonitorRun } from '../../src-main/services/monitoring/evaluate.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { buildDistrictWithRows } from '../helpers/district.js';

const DISTRICTS = [
  [11, 3000, 'sparse'],
  [23, 5000, 'sparse'],
  [37, 8000, 'sparse'],
  // A province's feeds: every earner's monthly incomes, larger households (the income signals' other shape).
  [41, 6000, 'dense'],
] as const;
const clock = { now: () => Date.parse('2026-01-01T00:00:00Z') };
/** The example region's values (rules/shared/example-region.json: a deduction of 0.3 × S, a margin of 2 × S…). */
const EXAMPLE = Object.fromEntries(EXAMPLE_REGION.values.map((v) => [v.name, v.value]));

describe('monitoring signals against their own truth', () => {
  for (const [seed, persons, profile] of DISTRICTS) {
    it(`seed ${seed}, ${persons} persons (${profile}): every signal, every warning's level and the population are exactly the truth`, async () => {
      const { db, rows, summary } = buildDistrictWithRows(seed, persons, {}, profile);
      const snapshot = SnapshotDb.fromDatabase(db, 'demo');
      const incomeFeedMonth = snapshot.deliveredFeeds().income_record?.slice(0, 7) ?? null;
      for (const [label, values] of [['defaults', {}], ['example region', EXAMPLE]] as const) {
        const run = await evaluateMonitoring(snapshot, { clock, overrides: Object.fromEntries(SIGNAL_MODULES.map((m) => [m.definition.id, values])) });
        holdToTruth(run, label, (m) => m.truth(rows, { asOf: summary.asOf, parameters: resolveParameters(m.definition, values), incomeFeedMonth }));
        if (label === 'example region') {
          // The same values set for the example's region only (§P): its households are judged with them, the others with
          // the defaults — one pass per region, each household in the narrowest region containing it.
          const region = EXAMPLE_REGION.values[0]!.divisionPrefix;
          const regional = regionalForSignals(EXAMPLE_REGION.values);
          const inRegion = new Set((rows.household ?? []).filter((h) => h.division_code.startsWith(region)).map((h) => h.household_id));
          const mixed = await evaluateMonitoring(snapshot, { clock, regional });
          holdToTruth(mixed, 'regional', (m) => [
            ...m.truth(rows, { asOf: summary.asOf, parameters: resolveParameters(m.definition, values), incomeFeedMonth }).filter((t) => inRegion.has(t.householdId)),
            ...m.truth(rows, { asOf: summary.asOf, parameters: resolveParameters(m.definition), incomeFeedMonth }).filter((t) => !inRegion.has(t.householdId)),
          ]);
          continue;
        }
        // The monitored population: every household's layers, and each warning's.
        const { households: population, persons } = populationTruth(rows, { asOf: summary.asOf, parameters: resolveParameters(POPULATION), incomeFeedMonth });
        const monitored = monitoredHouseholds(snapshot, {});
        expect(Object.fromEntries(monitored), 'population').toEqual(Object.fromEntries(population));
        expect(run.population.personsByLayer, 'monitored persons by layer').toEqual(persons);
        for (const w of run.warnings) {
          expect(w.layers, w.household).toEqual(population.get(w.household) ?? []);
          expect(w.monitored).toBe(population.has(w.household));
        }
        for (const layer of ['exited', 'refused']) expect(run.warnings.some((w) => w.layers.includes(layer as never)), `a warning in layer ${layer}`).toBe(true);
      }
      snapshot.close();
    }, 120_000);
  }
});

/** Precision and recall 1.0 per signal (household, event key, level), then one warning per household at the highest level. */
function holdToTruth(run: MonitorRun, label: string, truthOf: (m: SignalModule) => SignalTruth[]): void {
  const expectedLevels = new Map<string, Map<string, SignalLevel>>();
  for (const m of SIGNAL_MODULES) {
    const id = `${m.definition.id} (${label})`;
    const truth = truthOf(m);
    expect(truth.length, `${id}: the plants give it cases`).toBeGreaterThan(0);
    for (const level of m.definition.levels.map((l) => l.level)) expect(truth.some((t) => t.level === level), `${id}: a ${level} case is planted`).toBe(true);
    const found = run.warnings.flatMap((w) => w.hits.filter((h) => h.signal === m.definition.id).map((h) => `${w.household}|${h.eventKey}|${h.level}`));
    expect(found.sort(), `${id}: hits`).toEqual(truth.map((t) => `${t.householdId}|${t.eventKey}|${t.level}`).sort());
    for (const t of truth) {
      const levels = expectedLevels.get(t.householdId) ?? new Map<string, SignalLevel>();
      const signal = m.definition.id;
      levels.set(signal, levels.has(signal) ? highestLevel([levels.get(signal)!, t.level]) : t.level);
      expectedLevels.set(t.householdId, levels);
    }
  }
  // One warning per household, its level the highest of its signals'.
  expect(run.warnings.length).toBe(expectedLevels.size);
  expect(new Set(run.warnings.map((w) => w.household)).size).toBe(run.warnings.length);
  for (const w of run.warnings) {
    const levels = expectedLevels.get(w.household)!;
    expect(w.signalLevels, w.household).toEqual(Object.fromEntries(levels));
    expect(w.level, w.household).toBe(highestLevel(levels.values()));
  }
}
