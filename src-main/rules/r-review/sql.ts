/**
 * R-REVIEW 定期核查逾期 as SQL (rules.md v2): households on 低保 or 特困 whose baseline (latest review, else the first
 * active 低保/特困 start) is older than their review cycle, or whose latest review stopped the benefit more than 31 days
 * ago while an enrolment that was running then still is.
 */
import { activeAt, addMonthsAt, ageAt, certListedOnceAt, memberAt, schoolValidAt } from '../../store/sql-fragments.js';
import type { DerivedBase } from '../types.js';
import { enrollmentJson, YEAR_FROM } from '../shared/sql.js';

/** Why it is overdue: the baseline, the date it is compared with, the cycle and what the baseline is. */
const OVERDUE = `json_object('label', 'overdue', 'value', hit.baseline, 'op', '<', 'threshold', hit.cutoff, 'months', hit.months, 'working', hit.working,
    'basis', CASE WHEN hit.review_date IS NOT NULL AND hit.review_date >= hit.first_start THEN 'review' ELSE 'enrollment' END)`;
/** The stop decided at the latest review, and how many days ago. */
const STOP = `json_object('label', 'stop_not_executed', 'value', hit.review_date, 'op', '>', 'threshold', 31, 'days', hit.days_since)`;

/**
 * What R-REVIEW reads that depends on D alone (session 17): each household on 低保 or 特困 at D with its first active
 * start, its latest review and whether an enrollment that ran at a "stopped" review still runs; and the members who
 * could work (16–59, not held, not at school at D). The build stores them; a run applies the cycles and the certificate
 * list to them, and asks whether a member earned in the year only of a household past a cycle (stored for every
 * household, that made the base cost 3.4 s to build at a million persons instead of 2.1 s). Before, each run read every such
 * household's members, enrollments, reviews, incomes and schools again: over a second at a million persons, most of it
 * reading pages, for some 1,600 findings.
 */
export const REVIEW_BASES: readonly DerivedBase[] = [
  {
    table: 'derived_review',
    columns: 'household_id, first_start, has_dibao, review_date, reviewer, result, still_running, PRIMARY KEY (household_id)',
    sql: `
    WITH status AS (
      SELECT m.household_id, min(e.start_date) AS first_start, max(e.program = 'dibao') AS has_dibao
        FROM enrollment e JOIN household_member m ON m.person_id = e.person_id AND ${memberAt('m', '@d')}
       WHERE e.program IN ('dibao', 'tekun') AND ${activeAt('e', '@d')}
       GROUP BY m.household_id)
    SELECT s.household_id, s.first_start, s.has_dibao, r.review_date, r.reviewer, r.result,
      -- the latest review stopped the benefit, and an enrollment that was running then still is
      coalesce(r.result = 'stopped' AND EXISTS (SELECT 1 FROM household_member m JOIN enrollment e ON e.person_id = m.person_id
                       WHERE m.household_id = s.household_id AND ${memberAt('m', '@d')} AND ${activeAt('e', '@d')} AND e.start_date <= r.review_date), 0) AS still_running
      FROM status s LEFT JOIN review r ON r.household_id = s.household_id
       AND r.review_date = (SELECT max(x.review_date) FROM review x WHERE x.household_id = s.household_id AND x.review_date <= @d)`,
  },
  {
    // The members of the 低保 households above who could work at D, but for a certificate: of working age, not held,
    // not at school.
    table: 'derived_review_able',
    columns: 'household_id, person_id, PRIMARY KEY (household_id, person_id)',
    sql: `
    SELECT m.household_id, p.person_id
      FROM derived_review d CROSS JOIN household_member m ON m.household_id = d.household_id JOIN person p ON p.person_id = m.person_id
     WHERE d.has_dibao AND ${ageAt('p.birth_date', '@d')} BETWEEN 16 AND 59 AND ${memberAt('p', '@d')}
       AND NOT EXISTS (SELECT 1 FROM school_enrollment s WHERE s.person_id = p.person_id AND ${schoolValidAt('s', '@d')})`,
  },
];

export const sql = `
    WITH
    -- Materialized: "working" is read by the cycle, the cutoff, the test and the evidence; inlined, SQLite evaluated it
    -- for each of those, several times a household.
    judged AS MATERIALIZED (
      SELECT l.*, max(coalesce(l.review_date, ''), l.first_start) AS baseline,
        -- "working" only changes the cycle, so it is asked only of a household whose baseline is older than either
        -- cutoff (it decides the test there, and is a figure of the finding); a baseline within both cycles is not
        -- overdue either way, and the stop test does not read it.
        CASE WHEN max(coalesce(l.review_date, ''), l.first_start) >= ${addMonthsAt('@d', '-@reviewMonthsWorking')}
               AND max(coalesce(l.review_date, ''), l.first_start) >= ${addMonthsAt('@d', '-@reviewMonths')} THEN 0 ELSE
        (l.has_dibao
          AND EXISTS (SELECT 1 FROM derived_review_able a WHERE a.household_id = l.household_id
                         AND NOT EXISTS (SELECT 1 FROM disability_cert c WHERE c.person_id = a.person_id AND ${certListedOnceAt('c', '@tekunUnableToWorkCerts', '@d')}))
          AND EXISTS (SELECT 1 FROM household_member m JOIN income_record y ON y.person_id = m.person_id
                       WHERE m.household_id = l.household_id AND y.source IN ('wage', 'business') AND y.amount_cents > 0
                         AND y.period BETWEEN ${YEAR_FROM} AND @month AND ${memberAt('y', '@d')})) END AS working
        FROM derived_review l),
    cut AS (
      SELECT j.*, CAST(CASE WHEN j.working THEN @reviewMonthsWorking ELSE @reviewMonths END AS INTEGER) AS months,
        CASE WHEN j.working THEN ${addMonthsAt('@d', '-@reviewMonthsWorking')} ELSE ${addMonthsAt('@d', '-@reviewMonths')} END AS cutoff
        FROM judged j),
    -- the households it fires on, once (the evidence reads overdue and stop_not_executed several times), with the
    -- enrollments that put them under review (members at D, active 低保/特困, in enrollment order)
    hit AS MATERIALIZED (
      SELECT f.*, (SELECT json_group_array(${enrollmentJson('e')}) FROM (
            SELECT e.* FROM household_member m JOIN enrollment e ON e.person_id = m.person_id
             WHERE m.household_id = f.household_id AND ${memberAt('m', '@d')} AND e.program IN ('dibao', 'tekun') AND ${activeAt('e', '@d')}
             ORDER BY e.enrollment_id) e) AS enrollments
        FROM (SELECT c.*, c.baseline < c.cutoff AS overdue,
          CAST(julianday(@d) - julianday(c.review_date) AS INTEGER) AS days_since,
          c.still_running AND julianday(@d) - julianday(c.review_date) > 31 AS stop_not_executed
          FROM cut c) f WHERE overdue OR stop_not_executed)
    SELECT hit.household_id AS subject_id, hit.household_id, h.division_code, NULL AS amount_cents,
      CASE WHEN hit.overdue AND hit.stop_not_executed THEN 'overdue,stop_not_executed' WHEN hit.overdue THEN 'overdue' ELSE 'stop_not_executed' END || '|' || hit.baseline AS facts,
      json_object(
        'rows', CASE WHEN hit.review_date IS NULL THEN json(hit.enrollments) ELSE json_insert(hit.enrollments, '$[#]', json_object('table', 'review', 'key', hit.household_id || '|' || hit.review_date,
          'values', json_object('review_date', hit.review_date, 'reviewer', hit.reviewer, 'result', hit.result))) END,
        'comparisons', CASE WHEN hit.overdue AND hit.stop_not_executed THEN json_array(${OVERDUE}, ${STOP}) WHEN hit.overdue THEN json_array(${OVERDUE}) ELSE json_array(${STOP}) END) AS evidence
    FROM hit LEFT JOIN household h ON h.household_id = hit.household_id`;
