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

/**
 * How each department's feed is dated: the newest value of this column is how fresh the feed is. A month column
 * (YYYY-MM) is named by its first day, like income_record, so every answer is a date.
 */
const DATED: Readonly<Record<string, { column: string; month?: true }>> = {
  enrollment: { column: 'start_date' },
  payment: { column: 'paid_date' },
  death_record: { column: 'death_date' },
  hukou_event: { column: 'event_date' },
  disability_cert: { column: 'valid_from' },
  income_record: { column: 'period', month: true },
  vehicle: { column: 'registered_date' },
  real_estate: { column: 'registered_date' },
  business_registration: { column: 'established_date' },
  grid_visit: { column: 'visit_date' },
  // Schema v2.
  financial_asset: { column: 'as_of_date' },
  gradual_exit: { column: 'start_period', month: true },
  school_enrollment: { column: 'start_date' },
  medical_settlement: { column: 'settle_date' },
  unemployment_registration: { column: 'registered_date' },
  imprisonment: { column: 'start_date' },
  disaster_victim: { column: 'event_date' },
  review: { column: 'review_date' },
  consent: { column: 'signed_date' },
  application: { column: 'applied_date' },
};

/**
 * The newest date per table on or before the snapshot's date `asOf`: how fresh each department's feed is — for the
 * dated feeds the snapshot holds, or, given `tables` (what a build delivered: v2's `meta.feeds`), for exactly those,
 * undated ones (person, policy…) as null. A row dated after `asOf` is a defect of the data (Q-DATES reports it), not
 * news: a feed is never fresher than the data's own date.
 * `known`: an earlier answer of this function on the same, unchanged database, reused instead of scanning again.
 */
export function feedFreshness(db: Db, asOf: string, tables?: readonly string[], known?: Readonly<Record<string, string | null>>): Record<string, string | null> {
  const present = new Set(snapshotTables(db));
  const wanted = tables ?? Object.keys(DATED);
  // `known`: dates this database gave already (the build's report); each is a scan of a whole table (1 s for 5 million income lines).
  const newest = (table: string): string | null => {
    if (known && Object.hasOwn(known, table)) return known[table]!;
    const dated = DATED[table];
    if (!dated) return null;
    const { column, month } = dated;
    const v = (db.prepare(`SELECT max(${column}) AS v FROM ${table} WHERE ${column} <= ?`).get(month ? asOf.slice(0, 7) : asOf) as { v: string | null }).v;
    return v !== null && month ? `${v}-01` : v;
  };
  return Object.fromEntries(wanted.filter((t) => present.has(t)).map((t) => [t, newest(t)]));
}
