/**
 * How a rule plants its own cases into a generated district (rules.md v2 "Must show": every rule planted, with a
 * near-miss at every boundary). A rule's `plants.ts` builds whole households of its own — persons, enrollments,
 * payments and the v2 rows its boundaries need — through this kit; the generator calls every rule's plant once, after
 * its own households, on a random stream of the rule's own (so no plant shifts another's draws or v1's).
 *
 * Plants are judged like everything else: the truth is what the rule's reference (`truth.ts`, plain TypeScript over the
 * district's rows) finds, not what the plant meant — so a near-miss is simply a household the reference does not flag.
 * A plant's households must not make any *other* rule fire (the generator's truth for the v1 rules does not know them).
 */
import type { AnyRow, TableRows } from '../domain/exchange/rows.js';
import type { SeededRandom } from '../domain/random.js';

export interface PlantKit {
  /** The rule's own random stream. */
  readonly rnd: SeededRandom;
  /** D, the district's data date. */
  readonly asOf: string;
  /** How many cases of each kind to plant (grows with the district; at least 2). */
  readonly count: number;
  /** A community (12-digit division code) inside the jurisdiction. */
  community(): string;
  /** The 低保 standard in force at D for a division (cents per person per month). */
  dibaoStandardCents(division: string): number;
  /** A valid, unused citizen ID number for a person born on that date. */
  personId(birthDate: string, gender: '1' | '2'): string;
  /** A fresh id in the district's own format for households (HH…), enrollments (EN…) and payments (PM…). */
  nextId(kind: 'household' | 'enrollment' | 'payment'): string;
  /** A fresh id for other records, with a prefix of the rule's choosing. */
  nextRecordId(prefix: string): string;
  /** Adds a row to the district. */
  emit(row: AnyRow): void;
  /**
   * Data-quality rules only (Q-*, which have no truth.ts): records a planted defect in the generator's ground truth under
   * the planting rule's id, as the generator records its own quality plants (rule-engine.test.ts holds the rule to it).
   */
  recordDefect(subjectId: string): void;
}

/** A district's rows by table, as the generator wrote them (what a rule's truth.ts reads). */
export type DistrictRows = { [T in keyof TableRows]?: TableRows[T][] };

/** What a rule's truth finds: its subjects, with the amount at risk where the rule has money. */
export interface TruthFinding {
  subjectId: string;
  amountCents?: number | null;
}
