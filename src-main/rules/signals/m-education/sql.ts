/**
 * M-EDUCATION 因学 (monitoring.md): at least studentsThreshold distinct members in full-time study valid at D beyond
 * compulsory schooling (高中、中职、高职、大学…). Yellow.
 */
import { schoolValidAt } from '../../../store/sql-fragments.js';
import { MEMBER, NAME } from '../shared-sql.js';

export const sql = `
  WITH student AS (
    SELECT DISTINCT m.household_id, s.person_id, s.school_level
      FROM school_enrollment s CROSS JOIN household_member m ON m.person_id = s.person_id
     WHERE s.school_level <> 'compulsory' AND ${schoolValidAt('s', '@d')} AND ${MEMBER('m')}),
  hh AS (SELECT household_id, count(DISTINCT person_id) AS students FROM student GROUP BY household_id HAVING count(DISTINCT person_id) >= @studentsThreshold)
  SELECT x.household_id, h.division_code, 'yellow' AS level, 'state' AS event_key,
    json_object('students', x.students, 'threshold', @studentsThreshold,
      'persons', (SELECT json_group_array(json_object('person_id', s.person_id, 'name', ${NAME('s.person_id')}, 'school_level', s.school_level))
                    FROM student s WHERE s.household_id = x.household_id)) AS evidence
  FROM hh x JOIN household h ON h.household_id = x.household_id`;
