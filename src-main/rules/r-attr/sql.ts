/** R-ATTR 对象属性不符 as SQL: an enrollment active at D whose holder's age or disability certificate contradicts the programme. */
import { ageAt, validAt } from '../../store/sql-fragments.js';
import { ACTIVE_ENROLLMENTS, enrollmentJson } from '../shared/sql.js';

export const sql = `
    WITH act AS (${ACTIVE_ENROLLMENTS}),
    cand AS (
      SELECT a.*, p.birth_date, ${ageAt('p.birth_date', '@d')} AS age, c.disability_level AS level, c.valid_from, c.valid_to,
        (c.person_id IS NOT NULL AND ${validAt('c.valid_from', 'c.valid_to', '@d')}) AS cert_valid
        FROM act a JOIN person p ON p.person_id = a.person_id LEFT JOIN disability_cert c ON c.person_id = a.person_id),
    -- Why, as a code the explanation names in words (services/evidence/explain-evidence.ts); the figures ride along.
    bad AS (
      SELECT *, CASE
          WHEN program IN ('child_difficulty', 'child_severe') AND age > @childMaxAge THEN 'child_age'
          WHEN program IN ('disability_living', 'disability_care') AND NOT cert_valid THEN 'no_certificate'
          WHEN program = 'disability_care' AND level > @careMaxLevel THEN 'care_level'
          WHEN program = 'tekun' AND age BETWEEN @tekunWorkingAgeFrom AND @tekunWorkingAgeTo AND NOT (cert_valid AND level <= 2) THEN 'tekun_working_age'
        END AS reason
        FROM cand)
    SELECT bad.person_id AS subject_id, min(bad.household_id) AS household_id, h.division_code, NULL AS amount_cents,
      group_concat(DISTINCT bad.program ORDER BY bad.program) AS facts,
      json_object(
        'rows', json_group_array(json(${enrollmentJson('bad')})),
        'comparisons', json_group_array(json_object('label', bad.program, 'value', bad.reason, 'op', 'contradicts', 'threshold', bad.program, 'age', bad.age, 'level', bad.level)),
        'person', json_object('birth_date', max(bad.birth_date), 'age', max(bad.age), 'certificate_level', max(bad.level), 'valid_from', max(bad.valid_from), 'valid_to', max(bad.valid_to))) AS evidence
    FROM bad LEFT JOIN household h ON h.household_id = bad.household_id
    WHERE bad.reason IS NOT NULL GROUP BY bad.person_id`;
