/**
 * R-CONSENT 核对授权缺失 as SQL (rules.md v2): households on 低保, 特困, 低保边缘 or 刚性支出 with a living member whom no
 * consent covers — an adult at the first enrolment (T0) with nothing signed by T0 + the grace days (`initial`), or
 * anyone with nothing in force at D (`expired`).
 *
 * Everything but the grace days depends on D alone and is made when the snapshot is built (CONSENT_BASES, session 15):
 * "something signed by the deadline" is "the first consent covering the member was signed by it", so each member needs
 * only that date and whether a consent is in force at D. A run applies its grace days to those.
 */
import { activeAt, ageAt, isEmpty, memberAt, validAt } from '../../store/sql-fragments.js';
import { enrollmentJson } from '../shared/sql.js';
import type { DerivedBase } from '../types.js';

/** Consent `c` covers the member row `w` (w.person_id, w.age_d): signed for themselves, for them, or as guardian of a minor. */
const covers = (w: string) => `c.household_id = ${w}.household_id AND c.signed_date <= @d
  AND ((c.role = 'member' AND c.person_id = ${w}.person_id) OR (c.role IN ('guardian', 'proxy') AND c.for_person_id = ${w}.person_id)
    OR (c.role = 'guardian' AND ${isEmpty('c.for_person_id')} AND ${w}.age_d < 18))`;

/** The status programmes: a household with one of them active at D (a member's, §M) is asked for consents. */
const STATUS = `e.program IN ('dibao', 'tekun', 'dibao_edge', 'rigid_expense') AND ${activeAt('e', '@d')}`;

/**
 * What R-CONSENT reads that depends on D alone. `derived_consent_member`: the living members of the households with a
 * status programme who are uncovered for some grace period of 0 days or more — nothing in force at D, or an adult at
 * T0 whose first consent (if any) was signed after T0 — with T0, their ages and their consents' dates.
 * `derived_consent_household`: those members' households, where they live and the status enrollments the evidence
 * names. The build stores them in the snapshot; a snapshot without them gets them as temporary tables.
 */
export const CONSENT_BASES: readonly DerivedBase[] = [
  {
    table: 'derived_consent_member',
    columns: 'household_id, person_id, t0, name, age_t0, age_d, in_force, first_signed, lapsed, PRIMARY KEY (household_id, person_id)',
    sql: `
    WITH
    status AS (
      SELECT m.household_id, min(e.start_date) AS t0
        FROM enrollment e JOIN household_member m ON m.person_id = e.person_id AND ${memberAt('m', '@d')}
       WHERE ${STATUS} GROUP BY m.household_id),
    living AS (
      SELECT s.household_id, s.t0, m.person_id, p.name, ${ageAt('p.birth_date', 's.t0')} AS age_t0, ${ageAt('p.birth_date', '@d')} AS age_d
        FROM status s JOIN household_member m ON m.household_id = s.household_id AND ${memberAt('m', '@d')}
        LEFT JOIN person p ON p.person_id = m.person_id
       WHERE NOT EXISTS (SELECT 1 FROM death_record r WHERE r.person_id = m.person_id AND r.death_date <= @d)),
    -- the member's consents: whether one is in force at D, and the first one signed
    dated AS MATERIALIZED (
      SELECT w.*, coalesce((SELECT max(${validAt('c.signed_date', 'c.valid_to', '@d')}) FROM consent c WHERE ${covers('w')}), 0) AS in_force,
        (SELECT min(c.signed_date) FROM consent c WHERE ${covers('w')}) AS first_signed FROM living w)
    SELECT u.household_id, u.person_id, u.t0, u.name, u.age_t0, u.age_d, u.in_force, u.first_signed,
      (SELECT max(c.valid_to) FROM consent c WHERE ${covers('u')} AND NOT ${isEmpty('c.valid_to')}) AS lapsed
      FROM dated u WHERE NOT u.in_force OR (coalesce(u.age_t0 >= 18, 0) AND (u.first_signed IS NULL OR u.first_signed > u.t0))`,
  },
  {
    table: 'derived_consent_household',
    columns: 'household_id, division_code, enrollments, PRIMARY KEY (household_id)',
    // json_object's value is JSON already (its subtype), so json_group_array takes it as is
    sql: `
    SELECT k.household_id, h.division_code, (SELECT json_group_array(${enrollmentJson('e')} ORDER BY e.start_date, e.enrollment_id)
        FROM household_member m JOIN enrollment e ON e.person_id = m.person_id
       WHERE m.household_id = k.household_id AND ${memberAt('m', '@d')} AND ${STATUS}) AS enrollments
      FROM (SELECT DISTINCT household_id FROM derived_consent_member) k LEFT JOIN household h ON h.household_id = k.household_id`,
  },
];

export const sql = `
    WITH
    -- The members no consent covers with the run's grace days (at least 0, the parameter's least value, for which
    -- CONSENT_BASES keeps every candidate): not in force at D, or an adult at T0 with nothing signed by the deadline.
    timed AS (
      SELECT b.*, date(b.t0, '+' || max(CAST(@consentGraceDays AS INTEGER), 0) || ' days') AS deadline FROM derived_consent_member b),
    uncovered AS MATERIALIZED (
      SELECT w.*, coalesce(w.age_t0 >= 18 AND NOT coalesce(w.first_signed <= w.deadline, 0), 0) AS initial, NOT w.in_force AS expired
        FROM timed w WHERE NOT w.in_force OR coalesce(w.age_t0 >= 18 AND NOT coalesce(w.first_signed <= w.deadline, 0), 0)),
    hit AS (
      SELECT u.household_id, max(u.initial) AS initial, max(u.expired) AS expired, group_concat(u.person_id, ',' ORDER BY u.person_id) AS persons,
        json_group_array(json_object('label', 'member', 'value', u.person_id, 'name', u.name, 'initial', u.initial, 'expired', u.expired,
          'minor', coalesce(u.age_d < 18, 0), 'start', u.t0, 'deadline', u.deadline, 'firstSigned', u.first_signed, 'lapsed', u.lapsed,
          'op', 'lacks', 'threshold', CAST(@consentGraceDays AS INTEGER)) ORDER BY u.person_id) AS comparisons
        FROM uncovered u GROUP BY u.household_id)
    SELECT hit.household_id AS subject_id, hit.household_id, h.division_code, NULL AS amount_cents,
      CASE WHEN hit.initial AND hit.expired THEN 'expired,initial' WHEN hit.initial THEN 'initial' ELSE 'expired' END || '|' || hit.persons AS facts,
      json_object(
        'rows', json((SELECT json_group_array(json(x.value)) FROM (
          SELECT value FROM json_each(h.enrollments)
          UNION ALL
          SELECT json_object('table', 'consent', 'key', c.consent_id, 'values', json_object('person_id', c.person_id, 'for_person_id', c.for_person_id,
              'role', c.role, 'signed_date', c.signed_date, 'valid_to', c.valid_to, 'method', c.method))
            FROM consent c WHERE c.household_id = hit.household_id AND c.signed_date <= @d) x)),
        'comparisons', json(hit.comparisons)) AS evidence
    FROM hit JOIN derived_consent_household h ON h.household_id = hit.household_id`;
