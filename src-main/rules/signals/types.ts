/**
 * What a monitoring signal (预警指标, monitoring.md "Risk signals") is: like a rule of the library, a folder of data and
 * one statement, but of family `monitoring` and with a level instead of money. A signal finds households at risk (因病、
 * 因残、因失业…); the monitoring service (services/monitoring/) groups every signal's hits into one warning per household.
 */
import type { RuleParameter } from '../../domain/rules/rule-library.js';
import type { DistrictRows, PlantKit } from '../plant-kit.js';

export type SignalLevel = 'red' | 'orange' | 'yellow';

/** Levels from the highest: a warning's level is the highest of its signals'. */
export const LEVELS: readonly SignalLevel[] = ['red', 'orange', 'yellow'];
export const levelRank = (level: SignalLevel): number => LEVELS.indexOf(level);
export const highestLevel = (levels: Iterable<SignalLevel>): SignalLevel => [...levels].reduce((a, b) => (levelRank(b) < levelRank(a) ? b : a), 'yellow' as SignalLevel);

export interface SignalDefinition {
  id: string;
  version: number;
  family: 'monitoring';
  subjectKind: 'household';
  /** 致困因素: 因病, 因残, 因失业, 因学, 因灾 … (Chinese first). */
  cause: { zh: string; en: string };
  name: { zh: string; en: string };
  /** What the signal finds and what it asks of the street (入户排查), Chinese first. */
  description: { zh: string; en: string };
  /** 政策依据. */
  basis: { zh: string; en: string }[];
  /** monitoring.md's exact text, for the technically minded. */
  policy: string;
  /** When each level applies, in words (a local choice is labelled as one). */
  levels: { level: SignalLevel; zh: string; en: string }[];
  /** The event key's shape (what identifies a hit across snapshots). */
  eventKey: string;
  /** The feeds (snapshot tables) the signal cannot judge without (rules.md §F). */
  requires: string[];
  parameters: RuleParameter[];
}

/**
 * One hit of a signal, as its statement returns it (one row per household and event):
 *   household_id, division_code, level ('red' | 'orange' | 'yellow'), event_key (identifies the hit across snapshots),
 *   evidence (JSON: the figures a sentence about the hit needs — persons, dates, amounts, the thresholds compared with).
 */
export interface SignalRow {
  household_id: string;
  division_code: string;
  level: SignalLevel;
  event_key: string;
  evidence: string;
}

/** What the truth finds: a hit of the signal in a household, with its level. */
export interface SignalTruth {
  householdId: string;
  eventKey: string;
  level: SignalLevel;
}

/**
 * The bound values every signal may read besides its parameters (services/monitoring/windows.ts computes them from D,
 * the parameters and the snapshot's feeds): months as YYYY-MM, dates as YYYY-MM-DD.
 */
export interface SignalContext {
  asOf: string;
  parameters: Record<string, unknown>;
  /** The newest income_record period delivered (meta.feeds), YYYY-MM; null when none. */
  incomeFeedMonth: string | null;
}

export interface SignalModule {
  definition: SignalDefinition;
  /** One set-oriented statement returning SignalRow's columns. */
  sql: string;
  /** Plants the signal's cases and near-misses at its boundaries into a generated district (rules/plant-kit.ts). */
  plant?: (kit: PlantKit) => void;
  /** monitoring.md in plain TypeScript over a district's rows, independent of the SQL (tests hold one to the other). */
  truth: (rows: DistrictRows, ctx: SignalContext) => SignalTruth[];
  /**
   * The worker thread the signal runs on when an evaluation uses two (balanced by measured cost on the dense profile:
   * the two full scans of income_record, M-INCOME-DROP's and M-UNEMPLOYED's, on different threads).
   */
  thread: 0 | 1;
}
