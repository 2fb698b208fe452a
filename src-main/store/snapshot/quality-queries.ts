/**
 * The data-quality rules of rules.md (Q-*) that need the whole snapshot, as SQL. Row-level defects (invalid ID
 * numbers, unparseable values, missing required fields, duplicate keys) are caught while importing a feed; these find
 * what only shows across rows and tables. Each returns the offending subjects.
 */
import { birthDateOf, genderOf } from '../../domain/id-number.js';
import type { Db } from '../sqlcipher.js';

export interface QualityFinding {
  rule: 'Q-ID-CONSISTENCY' | 'Q-DUP-HOUSEHOLD' | 'Q-ORPHAN' | 'Q-DATES' | 'Q-DICT';
  subject: string;
  detail: string;
}

export function snapshotQualityFindings(db: Db, asOf: string): QualityFinding[] {
  const out: QualityFinding[] = [];
  const rows = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];

  for (const p of db.prepare('SELECT person_id, birth_date, gender FROM person').iterate() as Iterable<{ person_id: string; birth_date: string; gender: string }>) {
    const birth = birthDateOf(p.person_id);
    if (birth !== p.birth_date) out.push({ rule: 'Q-ID-CONSISTENCY', subject: p.person_id, detail: `birth_date ${p.birth_date}, ID says ${birth}` });
    else if (genderOf(p.person_id) !== p.gender) out.push({ rule: 'Q-ID-CONSISTENCY', subject: p.person_id, detail: `gender ${p.gender}, ID says ${genderOf(p.person_id)}` });
  }
  for (const r of rows<{ person_id: string; n: number }>('SELECT person_id, count(*) AS n FROM household_member GROUP BY person_id HAVING n > 1')) {
    out.push({ rule: 'Q-DUP-HOUSEHOLD', subject: r.person_id, detail: `listed in ${r.n} households` });
  }
  const orphans: [string, string][] = [
    ['household_member', `SELECT 'household_member:' || m.household_id || '|' || m.person_id AS s, 'person or household missing' AS d FROM household_member m
        LEFT JOIN person p ON p.person_id = m.person_id LEFT JOIN household h ON h.household_id = m.household_id
       WHERE p.person_id IS NULL OR h.household_id IS NULL`],
    ['enrollment', `SELECT 'enrollment:' || e.enrollment_id AS s, 'person or household missing' AS d FROM enrollment e
        LEFT JOIN person p ON p.person_id = e.person_id LEFT JOIN household h ON h.household_id = e.household_id
       WHERE p.person_id IS NULL OR (e.household_id IS NOT NULL AND h.household_id IS NULL)`],
    ['payment', `SELECT 'payment:' || y.payment_id AS s, 'person missing' AS d FROM payment y LEFT JOIN person p ON p.person_id = y.person_id WHERE p.person_id IS NULL`],
  ];
  for (const [, sql] of orphans) for (const r of rows<{ s: string; d: string }>(sql)) out.push({ rule: 'Q-ORPHAN', subject: r.s, detail: r.d });

  const dates: string[] = [
    `SELECT 'enrollment:' || enrollment_id AS s, 'ends before it starts' AS d FROM enrollment WHERE end_date < start_date`,
    `SELECT 'payment:' || y.payment_id AS s, 'paid for a month before the enrollment started' AS d FROM payment y
       JOIN enrollment e ON e.enrollment_id = y.enrollment_id WHERE y.period < substr(e.start_date, 1, 7)`,
    `SELECT 'death_record:' || r.person_id AS s, 'death before birth' AS d FROM death_record r JOIN person p USING (person_id) WHERE r.death_date < p.birth_date`,
    `SELECT 'grid_visit:' || visit_id AS s, 'in the future of the snapshot date' AS d FROM grid_visit WHERE visit_date > @asOf`,
    `SELECT 'payment:' || payment_id AS s, 'paid after the snapshot date' AS d FROM payment WHERE paid_date > @asOf`,
    `SELECT 'death_record:' || person_id AS s, 'in the future of the snapshot date' AS d FROM death_record WHERE death_date > @asOf`,
  ];
  for (const sql of dates) for (const r of db.prepare(sql).all({ asOf }) as { s: string; d: string }[]) out.push({ rule: 'Q-DATES', subject: r.s, detail: r.d });

  for (const r of rows<{ s: string; v: string }>(`SELECT 'household:' || household_id || '.urban_rural' AS s, urban_rural AS v FROM household WHERE urban_rural NOT IN ('1', '2')`)) {
    out.push({ rule: 'Q-DICT', subject: r.s, detail: `value "${r.v}"` });
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
