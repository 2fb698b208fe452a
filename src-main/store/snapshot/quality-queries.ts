/**
 * The data-quality side of a build. Row-level defects (invalid ID numbers, unparseable values, missing required fields,
 * duplicate keys) are caught while importing a feed; what only shows across rows and tables is found by the Q-rules of
 * the rule library, the same SQL a workstation runs.
 */
import type { Db } from '../sqlcipher.js';
import { RULE_SQL, type RuleRow } from './rule-queries.js';

export interface QualityFinding {
  rule: 'Q-ID-CONSISTENCY' | 'Q-DUP-HOUSEHOLD' | 'Q-ORPHAN' | 'Q-DATES' | 'Q-DICT';
  subject: string;
  detail: string;
}

const QUALITY_RULES = ['Q-ID-CONSISTENCY', 'Q-DUP-HOUSEHOLD', 'Q-ORPHAN', 'Q-DICT', 'Q-DATES'] as const;

/** The Q-rules of the rule library (store/snapshot/rule-queries.ts), run over a snapshot being built. */
export function snapshotQualityFindings(db: Db, asOf: string): QualityFinding[] {
  const out: QualityFinding[] = [];
  for (const rule of QUALITY_RULES) {
    for (const r of db.prepare(RULE_SQL[rule]!).all({ d: asOf }) as RuleRow[]) out.push({ rule, subject: r.subject_id, detail: r.facts ?? '' });
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
