/** A generated district in memory, with its ground truth: the common starting point of rule and generator tests. */
import { generateDistrict, type GeneratorProfile, type PlantRates, type TruthRow } from '../../src-main/generator/district-generator.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';

/** Rates high enough that every rule has subjects even in a small district. */
export const HIGH_RATES: Partial<PlantRates> = { death: 0.08, hukouOut: 0.08, mutex: 0.08, attr: 0.08, exit: 0.3, cover: 0.3, payment: 0.25, quality: 0.03 };

export function buildDistrict(seed: number, persons: number, rates: Partial<PlantRates> = {}, profile: GeneratorProfile = 'sparse') {
  const writer = SnapshotWriter.inMemory();
  const truth: TruthRow[] = [];
  const summary = generateDistrict({ seed, persons, rates, profile }, { row: (r) => writer.write(r), truth: (t) => truth.push(t) });
  const db = writer.finish({ snapshotId: `t-${seed}`, asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: 'now' })!;
  return { db, truth, summary };
}
