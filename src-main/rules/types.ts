/**
 * What a rule of the library is, in one place: its definition (names, family, severity, policy text, basis,
 * parameters), its SQL, the temporary table it shares with other rules, its reference semantics in TypeScript, and
 * what the pre-check says when it fires. One folder per rule exports one RuleModule; rules/index.ts lists them.
 */
import type { EvaluationContext, HouseholdFacts, PersonFacts } from '../domain/rules/facts.js';
import type { RuleDefinition } from '../domain/rules/rule-library.js';
import type { DerivedBase, RulePrelude } from '../store/snapshot/snapshot-db.js';
import type { DistrictRows, PlantKit, TruthFinding } from './plant-kit.js';

export type { DerivedBase, RulePrelude };

/** rules.md in plain TypeScript over one person's rows (person rules) or one household's (household rules). */
export type RuleReference =
  | { subject: 'person'; fires(f: PersonFacts, ctx: EvaluationContext): boolean }
  | { subject: 'household'; fires(h: HouseholdFacts, ctx: EvaluationContext): boolean };

/** Why the pre-check refuses an applicant the rule fires on (services/checks/precheck.ts). */
export type RulePrecheckCode = 'DECEASED' | 'MOVED_OUT' | 'EXCLUSIVE_PROGRAM' | 'ATTRIBUTES';

export interface RuleModule {
  definition: RuleDefinition;
  /**
   * One set-oriented statement over a snapshot. Every statement returns the same columns:
   *
   *   subject_id     person_id, household_id, or a record reference ("enrollment:EN…")
   *   household_id   the household the finding belongs to (for division and profile links)
   *   division_code  where that household lives (scope filtering, reports)
   *   amount_cents   amount at risk from `payment`, or NULL where no money is involved
   *   payments       (rules with money) JSON [[payment_id, cents], …]: the payments behind amount_cents, so that money
   *                  at risk can be counted once per payment across rules (a payment after death is both 死亡未停保 and
   *                  死亡后发放)
   *   facts          the facts that identify *this* anomaly (part of the finding's fingerprint)
   *   evidence       JSON: { rows: [{ table, key, values }], comparisons: [{ label, value, op, threshold }] }
   *
   * Parameters are bound by name (SnapshotDb.runRule): @d (as_of), @month (its YYYY-MM), @from (first month of the
   * income window), @months, @jurisdiction (JSON array of prefixes) and the rule's own parameters (JSON where they are
   * lists). Conditions come from the store's fragments (store/sql-fragments.ts).
   */
  sql: string;
  /**
   * The feeds (snapshot tables) the rule cannot judge without (rules.md §F). A snapshot whose `meta.feeds` lacks one
   * was not delivered it: the rule does not run, and the run says 未运行：缺少 X 数据.
   */
  requires?: readonly string[];
  /**
   * Parameters without a value of which a part of the rule does not run (R-RIGID's income reason without the region's
   * per-capita disposable income, which has no national default): a run whose base pass lacks one records it, and the
   * screen says 部分条件未运行：缺少参数.
   */
  partialWithout?: readonly string[];
  /** Plants the rule's own cases, and near-misses at its boundaries, into a generated district (rules/plant-kit.ts). */
  plant?: (kit: PlantKit) => void;
  /**
   * The truth, independently of the SQL: what the rule finds in a district's rows, by rules.md in plain TypeScript, with
   * the parameters of the run (tests hold the SQL to it; precision and recall 1.0).
   */
  truth?: (rows: DistrictRows, ctx: { asOf: string; jurisdiction: readonly string[]; parameters: Record<string, unknown> }) => TruthFinding[];
  /** A temporary table shared with other rules (built once per run and window; see rules/shared/). */
  prelude?: RulePrelude;
  /**
   * Tables the statement reads that depend on the snapshot and its D alone (bound to @d, @month and @jurisdiction
   * only): stored in the snapshot when it is built, so that a run with other values applies them to these instead of
   * reading the feeds again (RuleStatement.bases).
   */
  bases?: readonly DerivedBase[];
  reference?: RuleReference;
  /** Pre-check: the reason and the figures for the reviewer, from the applicant's facts as they are (without the application). */
  precheck?: (f: PersonFacts, asOf: string) => { code: RulePrecheckCode; details: Record<string, unknown> };
  /**
   * F-rules: the payments the rule flags, one row per payment, for the spending review (store/snapshot/spending-queries.ts):
   * `SELECT '<rule id>' AS rule, payment_id, person_id, program, period, paid, flagged, short FROM …`.
   */
  paymentFlags?: string;
}
