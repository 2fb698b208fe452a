/** A generated district in memory, with its ground truth: the common starting point of rule and generator tests. */
import { generateDistrict, type GeneratorProfile, type PlantRates, type TruthRow } from '../../src-main/generator/district-generator.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';
import type { DistrictRows } from '../../src-main/rules/plant-kit.js';
import { BUILTIN_RULES, ruleModule } from '../../src-main/rules/index.js';

/** Rates high enough that every rule has subjects even in a small district. */
export const HIGH_RATES: Partial<PlantRates> = { death: 0.08, hukouOut: 0.08, mutex: 0.08, attr: 0.08, exit: 0.3, cover: 0.3, payment: 0.25, quality: 0.03 };

export function buildDistrict(seed: number, persons: number, rates: Partial<PlantRates> = {}, profile: GeneratorProfile = 'sparse') {
  const writer = SnapshotWriter.inMemory();
  const truth: TruthRow[] = [];
  const summary = generateDistrict({ seed, persons, rates, profile }, { row: (r) => writer.write(r), truth: (t) => truth.push(t) });
  const db = writer.finish({ snapshotId: `t-${seed}`, asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: 'now' })!;
  return { db, truth, summary };
}

/** The same, keeping every row by table too (what a rule's truth.ts reads). */
export function buildDistrictWithRows(seed: number, persons: number, rates: Partial<PlantRates> = {}, profile: GeneratorProfile = 'sparse') {
  const writer = SnapshotWriter.inMemory();
  const rows: DistrictRows = {};
  const summary = generateDistrict({ seed, persons, rates, profile }, {
    row: (r) => {
      writer.write(r);
      ((rows[r.table] ??= []) as unknown[]).push(r.row);
    },
    truth: () => undefined,
  });
  const db = writer.finish({ snapshotId: `t-${seed}`, asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: 'now' })!;
  return { db, rows, summary };
}

/**
 * Every built-in rule's findings against the generator's truth: one line per rule with false positives or misses (empty
 * when precision and recall are 1.0), and the rules nothing was planted for.
 */
export function truthMismatches(findings: readonly { ruleId: string; subjectId: string }[], truth: readonly TruthRow[]) {
  const report: string[] = [];
  const unplanted: string[] = [];
  // The generator's truth is the v1 references'; a rule with a truth of its own is held to it in rule-truth.test.ts.
  for (const rule of BUILTIN_RULES.filter((r) => !ruleModule(r.id)?.truth)) {
    const expected = new Set(truth.filter((t) => t.rule === rule.id).map((t) => t.subjectId));
    const found = new Set(findings.filter((f) => f.ruleId === rule.id).map((f) => f.subjectId));
    const falsePositives = [...found].filter((s) => !expected.has(s));
    const missed = [...expected].filter((s) => !found.has(s));
    if (falsePositives.length || missed.length) report.push(`${rule.id}: ${falsePositives.length} false positives ${falsePositives.slice(0, 3)}, ${missed.length} missed ${missed.slice(0, 3)}`);
    if (expected.size === 0) unplanted.push(rule.id);
  }
  return { report, unplanted };
}
