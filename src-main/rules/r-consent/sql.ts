/**
 * R-CONSENT 核对授权缺失 as SQL (rules.md v2): households on 低保, 特困, 低保边缘 or 刚性支出 with a living member whom no
 * consent covers — an adult at the first enrolment (T0) with nothing signed by T0 + the grace days (`initial`), or
 * anyone with nothing in force at D (`expired`).
 */
import { activeAt, ageAt, isEmpty, memberAt, validAt } from '../../store/sql-fragments.js';
import { enrollmentJson } from '../shared/sql.js';

/** Consent `c` covers the member row `w` (w.person_id, w.age_d): signed for themselves, for them, or as guardian of a minor. */
const COVERS = `c.household_id = w.household_id AND c.signed_date <= @d
  AND ((c.role = 'member' AND c.person_id = w.person_id) OR (c.role IN ('guardian', 'proxy') AND c.for_person_id = w.person_id)
    OR (c.role = 'guardian' AND ${isEmpty('c.for_person_id')} AND w.age_d < 18))`;

export const sql = `
    WITH
    -- json_object's value is JSON already (its subtype), so json_group_array takes it as is: a json() around it re-parsed
    -- every enrollment of every household, for the few households that fire
    status AS (
      SELECT m.household_id, min(e.start_date) AS t0, json_group_array(${enrollmentJson('e')}) AS enrollments
        FROM enrollment e JOIN household_member m ON m.person_id = e.person_id AND ${memberAt('m', '@d')}
       WHERE e.program IN ('dibao', 'tekun', 'dibao_edge', 'rigid_expense') AND ${activeAt('e', '@d')}
       GROUP BY m.household_id),
    living AS (
      SELECT s.household_id, s.t0, s.enrollments, date(s.t0, '+' || @consentGraceDays || ' days') AS deadline, m.person_id, p.name,
        ${ageAt('p.birth_date', 's.t0')} AS age_t0, ${ageAt('p.birth_date', '@d')} AS age_d
        FROM status s JOIN household_member m ON m.household_id = s.household_id AND ${memberAt('m', '@d')}
        LEFT JOIN person p ON p.person_id = m.person_id
       WHERE NOT EXISTS (SELECT 1 FROM death_record r WHERE r.person_id = m.person_id AND r.death_date <= @d)),
    -- The members no consent covers, found with one pass over the household's consents a member: whether one is in
    -- force at D (bit 2) and whether one was signed by the deadline (bit 1) — "initial or expired" is "not in force, or
    -- an adult at T0 and nothing by the deadline". Inlined as before, SQLite read the consents once per question and
    -- again for the findings; now the questions and the figures are asked of the uncovered only.
    uncovered AS MATERIALIZED (
      SELECT w.*,
        coalesce(w.age_t0 >= 18 AND NOT EXISTS (SELECT 1 FROM consent c WHERE ${COVERS} AND c.signed_date <= w.deadline), 0) AS initial,
        NOT EXISTS (SELECT 1 FROM consent c WHERE ${COVERS} AND ${validAt('c.signed_date', 'c.valid_to', '@d')}) AS expired,
        (SELECT min(c.signed_date) FROM consent c WHERE ${COVERS}) AS first_signed,
        (SELECT max(c.valid_to) FROM consent c WHERE ${COVERS} AND NOT ${isEmpty('c.valid_to')}) AS lapsed
        FROM living w
       WHERE CASE (SELECT 2 * coalesce(max(${validAt('c.signed_date', 'c.valid_to', '@d')}), 0) + coalesce(max(c.signed_date <= w.deadline), 0) FROM consent c WHERE ${COVERS})
               WHEN 3 THEN 0 WHEN 2 THEN coalesce(w.age_t0 >= 18, 0) ELSE 1 END),
    hit AS (
      -- the household's enrollments come along (the same for each of its members): no join back to status
      SELECT u.household_id, max(u.enrollments) AS enrollments, max(u.initial) AS initial, max(u.expired) AS expired, group_concat(u.person_id, ',' ORDER BY u.person_id) AS persons,
        json_group_array(json_object('label', 'member', 'value', u.person_id, 'name', u.name, 'initial', u.initial, 'expired', u.expired,
          'minor', coalesce(u.age_d < 18, 0), 'start', u.t0, 'deadline', u.deadline, 'firstSigned', u.first_signed, 'lapsed', u.lapsed,
          'op', 'lacks', 'threshold', CAST(@consentGraceDays AS INTEGER)) ORDER BY u.person_id) AS comparisons
        FROM uncovered u GROUP BY u.household_id)
    SELECT hit.household_id AS subject_id, hit.household_id, h.division_code, NULL AS amount_cents,
      CASE WHEN hit.initial AND hit.expired THEN 'expired,initial' WHEN hit.initial THEN 'initial' ELSE 'expired' END || '|' || hit.persons AS facts,
      json_object(
        'rows', json((SELECT json_group_array(json(x.value)) FROM (
          SELECT value FROM json_each(hit.enrollments)
          UNION ALL
          SELECT json_object('table', 'consent', 'key', c.consent_id, 'values', json_object('person_id', c.person_id, 'for_person_id', c.for_person_id,
              'role', c.role, 'signed_date', c.signed_date, 'valid_to', c.valid_to, 'method', c.method))
            FROM consent c WHERE c.household_id = hit.household_id AND c.signed_date <= @d) x)),
        'comparisons', json(hit.comparisons)) AS evidence
    FROM hit LEFT JOIN household h ON h.household_id = hit.household_id`;
