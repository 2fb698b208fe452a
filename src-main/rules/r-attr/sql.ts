/**
 * R-ATTR 对象属性不符 as SQL (rules.md v2 "Changed v1 rules"): an enrollment active at D that its holder's own age,
 * certificates, schooling or imprisonment contradicts. One row per reason and enrollment, then one finding per person.
 *
 * Facts stay v1's — the sorted programmes of the enrollments that fire — so a v1 finding keeps its fingerprint; only the
 * new reason `imprisoned` is written into them (`tekun|imprisoned`): it is a different anomaly from 特困 at working age.
 * Money: only `imprisoned` has an amount (the person's tekun payments for periods after the month imprisonment began);
 * every other finding's amount stays NULL, as in v1.
 */
import { activeAt, ageAt, certListedOnceAt, divisionOfPerson, heldAt, householdOf, schoolValidAt, validAt } from '../../store/sql-fragments.js';
import type { DerivedBase } from '../types.js';
import { enrollmentJson } from '../shared/sql.js';

/** School levels that keep a 特困 person admitted as a minor "unable to work" while studying (rules.md v2 R-ATTR). */
const SECONDARY = `('compulsory', 'high_school', 'vocational')`;

/**
 * The school enrollment the reviewer should see beside a child or 特困 reason: a valid one when there is one (the
 * latest to end), else the person's latest — so "why it fired" can say the exemption was looked for and what was found.
 */
const schoolConsidered = (x: string) => `(SELECT json_object('level', s.school_level, 'start', s.start_date, 'end', s.expected_end_date, 'status', s.status, 'fullTime', s.full_time,
      'valid', ${schoolValidAt('s', '@d')}) FROM school_enrollment s WHERE s.person_id = ${x}.person_id
    ORDER BY ${schoolValidAt('s', '@d')} DESC, coalesce(s.expected_end_date, '') DESC, s.start_date DESC LIMIT 1)`;

/** The certificates valid at D, for the figures ([{type, level}], most severe first). */
const validCerts = (x: string) => `(SELECT json_group_array(json_object('type', c.disability_type, 'level', c.disability_level)) FROM
    (SELECT * FROM disability_cert c WHERE c.person_id = ${x}.person_id AND ${validAt('c.valid_from', 'c.valid_to', '@d')} ORDER BY c.disability_level, c.disability_type) c)`;

/**
 * What R-ATTR reads that depends on D alone (session 16): each enrollment active at D of the programmes whose attributes
 * it checks, with its person's birth date and ages, and what the certificates, schools and imprisonments say at D. The
 * build stores it; a run applies its ages, levels and lists to it (whether a certificate listed in
 * tekunUnableToWorkCerts is held is read at the run, for the 特困 enrollees only).
 */
export const ATTR_BASES: readonly DerivedBase[] = [
  {
    table: 'derived_attr',
    columns: `enrollment_id, person_id, program, start_date, category, birth_date, age, age_at_start, has_cert, worst_level, studying, studying_secondary,
      prison_start, PRIMARY KEY (enrollment_id)`,
    sql: `
    WITH act AS (
      SELECT e.*, p.birth_date, ${ageAt('p.birth_date', '@d')} AS age, ${ageAt('p.birth_date', 'e.start_date')} AS age_at_start
        FROM enrollment e JOIN person p ON p.person_id = e.person_id
       WHERE e.program IN ('child_difficulty', 'child_severe', 'disability_living', 'disability_care', 'tekun') AND ${activeAt('e', '@d')})
    SELECT a.enrollment_id, a.person_id, a.program, a.start_date, a.category, a.birth_date, a.age, a.age_at_start,
        EXISTS (SELECT 1 FROM disability_cert c WHERE c.person_id = a.person_id AND ${validAt('c.valid_from', 'c.valid_to', '@d')}) AS has_cert,
        -- §R: any valid certificate above the care subsidy's levels fires care_level, even beside a level 1–2 one
        (SELECT max(CAST(c.disability_level AS INTEGER)) FROM disability_cert c WHERE c.person_id = a.person_id AND ${validAt('c.valid_from', 'c.valid_to', '@d')}) AS worst_level,
        EXISTS (SELECT 1 FROM school_enrollment s WHERE s.person_id = a.person_id AND ${schoolValidAt('s', '@d')}) AS studying,
        EXISTS (SELECT 1 FROM school_enrollment s WHERE s.person_id = a.person_id AND ${schoolValidAt('s', '@d')} AND s.school_level IN ${SECONDARY}) AS studying_secondary,
        -- the imprisonment held at D (the earliest, when records overlap): 特困 stops from the month after it began
        (SELECT min(i.start_date) FROM imprisonment i WHERE i.person_id = a.person_id AND i.kind = 'prison' AND ${heldAt('i', '@d', 'start_date', 'end_date')}) AS prison_start
      FROM act a`,
  },
];

export const sql = `
    WITH
    judged AS (
      SELECT a.*,
        a.program = 'tekun' AND EXISTS (SELECT 1 FROM disability_cert c WHERE c.person_id = a.person_id AND ${certListedOnceAt('c', '@tekunUnableToWorkCerts', '@d')}) AS unable,
        EXISTS (SELECT 1 FROM json_each(@childStudyExemptCategories) k WHERE k.value = a.category) AS exempt_category
        FROM derived_attr a),
    reasons AS (
      SELECT j.*, 'child_age' AS reason FROM judged j
       WHERE j.program IN ('child_difficulty', 'child_severe') AND j.age > @childMaxAge AND NOT (j.studying AND j.exempt_category)
      UNION ALL
      SELECT j.*, 'no_cert' FROM judged j WHERE j.program IN ('disability_living', 'disability_care') AND NOT j.has_cert
      UNION ALL
      SELECT j.*, 'care_level' FROM judged j WHERE j.program = 'disability_care' AND j.worst_level > @careMaxLevel
      UNION ALL
      SELECT j.*, 'tekun_able' FROM judged j
       WHERE j.program = 'tekun' AND j.age BETWEEN @tekunWorkingAgeFrom AND @tekunWorkingAgeTo AND NOT j.unable
         AND NOT (j.age_at_start < 18 AND j.studying_secondary)
      UNION ALL
      SELECT j.*, 'imprisoned' FROM judged j WHERE j.program = 'tekun' AND j.prison_start IS NOT NULL),
    -- One figure row per reason: what the sentence in "why it fired" needs.
    figures AS (
      SELECT r.person_id, r.enrollment_id, r.program, r.reason, r.prison_start,
        json_object('label', r.program, 'value', r.reason, 'op', 'contradicts', 'threshold', r.program, 'age', r.age,
          'level', CASE r.reason WHEN 'care_level' THEN r.worst_level END, 'category', r.category, 'start', r.start_date, 'ageAtStart', r.age_at_start,
          'school', CASE WHEN r.reason IN ('child_age', 'tekun_able') THEN json(${schoolConsidered('r')}) END,
          'certs', CASE WHEN r.reason IN ('tekun_able', 'care_level') THEN json(${validCerts('r')}) END,
          'prisonStart', r.prison_start) AS comparison
        FROM reasons r),
    person_hit AS (
      SELECT f.person_id, max(f.reason = 'imprisoned') AS imprisoned, min(f.prison_start) AS prison_start,
        group_concat(DISTINCT f.program ORDER BY f.program) AS programs, json_group_array(json(f.comparison)) AS comparisons
        FROM figures f GROUP BY f.person_id),
    -- evidence rows: the enrollments that fire (read by key: CROSS JOIN keeps the few findings outside)
    enrollment_rows AS (
      SELECT x.person_id, json_group_array(json(${enrollmentJson('e')})) AS rows
        FROM (SELECT DISTINCT person_id, enrollment_id FROM reasons) x CROSS JOIN enrollment e ON e.enrollment_id = x.enrollment_id
       GROUP BY x.person_id),
    -- the imprisoned person's tekun payments for periods after the month imprisonment began
    at_risk AS (
      SELECT ph.person_id, sum(y.amount_cents) AS cents, json_group_array(json_array(y.payment_id, y.amount_cents)) AS payments
        FROM person_hit ph CROSS JOIN payment y ON y.person_id = ph.person_id
       WHERE ph.imprisoned AND y.program = 'tekun' AND y.period > substr(ph.prison_start, 1, 7) GROUP BY ph.person_id)
    SELECT ph.person_id AS subject_id, ${householdOf('ph.person_id')} AS household_id, ${divisionOfPerson('ph.person_id')} AS division_code,
      CASE WHEN ph.imprisoned THEN coalesce(m.cents, 0) END AS amount_cents,
      CASE WHEN ph.imprisoned THEN coalesce(m.payments, '[]') END AS payments,
      ph.programs || CASE WHEN ph.imprisoned THEN '|imprisoned' ELSE '' END AS facts,
      json_object(
        'rows', CASE WHEN i.person_id IS NULL THEN json(er.rows)
          ELSE json_insert(er.rows, '$[#]', json_object('table', 'imprisonment', 'key', i.person_id || '|' || i.start_date, 'values', json_object('kind', i.kind, 'start_date', i.start_date, 'end_date', i.end_date))) END,
        'comparisons', json(ph.comparisons),
        'person', (SELECT json_object('birth_date', p.birth_date, 'age', ${ageAt('p.birth_date', '@d')}) FROM person p WHERE p.person_id = ph.person_id)) AS evidence
    FROM person_hit ph JOIN enrollment_rows er ON er.person_id = ph.person_id
      LEFT JOIN at_risk m ON m.person_id = ph.person_id
      LEFT JOIN imprisonment i ON ph.imprisoned AND i.person_id = ph.person_id AND i.start_date = ph.prison_start AND i.kind = 'prison'`;
