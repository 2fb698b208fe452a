/** Q-ID-CONSISTENCY 身份信息与号码不一致 as SQL: person.birth_date or gender disagrees with the ID number. */
import { divisionOfPerson, householdOf } from '../../store/sql-fragments.js';

export const sql = `
    SELECT p.person_id AS subject_id, ${householdOf('p.person_id')} AS household_id,
      ${divisionOfPerson('p.person_id')} AS division_code, NULL AS amount_cents,
      p.birth_date || '/' || p.gender AS facts,
      json_object('rows', json_array(json_object('table', 'person', 'key', p.person_id, 'values', json_object('birth_date', p.birth_date, 'gender', p.gender))),
        'comparisons', json_array(
          json_object('label', 'birth_date', 'value', p.birth_date, 'op', '=', 'threshold', substr(p.person_id, 7, 4) || '-' || substr(p.person_id, 11, 2) || '-' || substr(p.person_id, 13, 2)),
          json_object('label', 'gender', 'value', p.gender, 'op', '=', 'threshold', CASE WHEN CAST(substr(p.person_id, 17, 1) AS INTEGER) % 2 = 1 THEN '1' ELSE '2' END))) AS evidence
    FROM person p
    WHERE p.birth_date <> substr(p.person_id, 7, 4) || '-' || substr(p.person_id, 11, 2) || '-' || substr(p.person_id, 13, 2)
       OR p.gender <> CASE WHEN CAST(substr(p.person_id, 17, 1) AS INTEGER) % 2 = 1 THEN '1' ELSE '2' END`;
