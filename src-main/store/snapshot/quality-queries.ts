/**
 * The data-quality side of a build. Row-level defects (invalid ID numbers, unparseable values, missing required fields,
 * duplicate keys) are caught while importing a feed; what only shows across rows and tables is found by the Q-rules of
 * the rule library, the same SQL a workstation runs (run when the snapshot is finished: derived-results.ts).
 */
import type { Db } from '../sqlcipher.js';
import { snapshotTables } from './schema.js';

export interface QualityFinding {
  rule: string;
  subject: string;
  detail: string;
}

/** How each department's feed is dated: the newest of this column is how fresh the feed is. */
const NEWEST: Readonly<Record<string, string>> = {
  enrollment: 'max(start_date)',
  payment: 'max(paid_date)',
  death_record: 'max(death_date)',
  hukou_event: 'max(event_date)',
  disability_cert: 'max(valid_from)',
  income_record: "max(period) || '-01'",
  vehicle: 'max(registered_date)',
  real_estate: 'max(registered_date)',
  business_registration: 'max(established_date)',
  grid_visit: 'max(visit_date)',
  // Schema v2: months as the first day, like income_record, so every value is a date.
  financial_asset: 'max(as_of_date)',
  gradual_exit: "max(start_period) || '-01'",
  school_enrollment: 'max(start_date)',
  medical_settlement: 'max(settle_date)',
  unemployment_registration: 'max(registered_date)',
  imprisonment: 'max(start_date)',
  disaster_victim: 'max(event_date)',
  review: 'max(review_date)',
  consent: 'max(signed_date)',
  application: 'max(applied_date)',
};

/**
 * The newest date per table: how fresh each department's feed is — for the dated feeds the snapshot holds, or, given
 * `tables` (what a build delivered: v2's `meta.feeds`), for exactly those, undated ones (person, policy…) as null.
 * `known`: an earlier answer of this function on the same, unchanged database, reused instead of scanning again.
 */
export function feedFreshness(db: Db, tables?: readonly string[], known?: Readonly<Record<string, string | null>>): Record<string, string | null> {
  const present = new Set(snapshotTables(db));
  const wanted = tables ?? Object.keys(NEWEST);
  // `known`: dates this database gave already (the build's report); each is a scan of a whole table (1 s for 5 million income lines).
  const newest = (table: string) =>
    known && Object.hasOwn(known, table) ? known[table]! : NEWEST[table] ? (db.prepare(`SELECT ${NEWEST[table]} AS v FROM ${table}`).get() as { v: string | null }).v : null;
  return Object.fromEntries(wanted.filter((t) => present.has(t)).map((t) => [t, newest(t)]));
}
