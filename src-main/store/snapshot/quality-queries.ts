/**
 * The data-quality side of a build. Row-level defects (invalid ID numbers, unparseable values, missing required fields,
 * duplicate keys) are caught while importing a feed; what only shows across rows and tables is found by the Q-rules of
 * the rule library, the same SQL a workstation runs.
 */
import type { Db } from '../sqlcipher.js';
import type { RuleRow } from './snapshot-db.js';

export interface QualityFinding {
  rule: string;
  subject: string;
  detail: string;
}

/** The Q-rules of the rule library (given by the caller: rules/index.ts QUALITY_RULES), run over a snapshot being built. */
export function snapshotQualityFindings(db: Db, asOf: string, rules: readonly { id: string; sql: string }[]): QualityFinding[] {
  const out: QualityFinding[] = [];
  for (const rule of rules) {
    for (const r of db.prepare(rule.sql).all({ d: asOf }) as RuleRow[]) out.push({ rule: rule.id, subject: r.subject_id, detail: r.facts ?? '' });
  }
  return out;
}

/** The newest date per table: how fresh each department's feed is. */
export function feedFreshness(db: Db): Record<string, string | null> {
  const newest: [string, string][] = [
    ['enrollment', 'max(start_date)'],
    ['payment', 'max(paid_date)'],
    ['death_record', 'max(death_date)'],
    ['hukou_event', 'max(event_date)'],
    ['disability_cert', 'max(valid_from)'],
    ['income_record', "max(period) || '-01'"],
    ['vehicle', 'max(registered_date)'],
    ['real_estate', 'max(registered_date)'],
    ['business_registration', 'max(established_date)'],
    ['grid_visit', 'max(visit_date)'],
  ];
  return Object.fromEntries(newest.map(([table, expr]) => [table, (db.prepare(`SELECT ${expr} AS v FROM ${table}`).get() as { v: string | null }).v]));
}
