/** A generated district in memory, with its ground truth: the common starting point of rule and generator tests. */
import { generateDistrict, type PlantRates, type TruthRow } from '../../src-main/generator/district-generator.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';
import type { DistrictRows } from '../../src-main/rules/plant-kit.js';

/** Rates high enough that every rule has subjects even in a small district. */
export const HIGH_RATES: Partial<PlantRates> = { death: 0.08, hukouOut: 0.08, mutex: 0.08, attr: 0.08, exit: 0.3, cover: 0.3, payment: 0.25, quality: 0.03 };

export function buildDistrict(seed: number, persons: number, rates: Partial<PlantRates> = {}) {
  const writer = SnapshotWriter.inMemory();
  const truth: TruthRow[] = [];
  const summary = generateDistrict({ seed, persons, rates }, { row: (r) => writer.write(r), truth: (t) => truth.push(t) });
  const db = writer.finish({ snapshotId: `t-${seed}`, asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: 'now' })!;
  return { db, truth, summary };
}

/** The same, keeping every row by table too (what a rule's truth.ts reads). */
export function buildDistrictWithRows(seed: number, persons: number, rates: Partial<PlantRates> = {}) {
  const writer = SnapshotWriter.inMemory();
  const rows: DistrictRows = {};
  const summary = generateDistrict({ seed, persons, rates }, {
    row: (r) => {
      writer.write(r);
      ((rows[r.table] ??= []) as unknown[]).push(r.row);
    },
    truth: () => undefined,
  });
  const db = writer.finish({ snapshotId: `t-${seed}`, asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: 'now' })!;
  return { db, rows, summary };
}
