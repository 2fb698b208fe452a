/** R-DEATH 死亡未停保 as SQL: an enrollment active at D and a death on or before D; money: payments after the month of death. */
import { ACTIVE_ENROLLMENTS, enrollmentJson } from '../shared/sql.js';

export const sql = `
    WITH hit AS (
      SELECT a.person_id, r.death_date, r.source, min(a.household_id) AS household_id, json_group_array(json(${enrollmentJson('a')})) AS enrollments
        FROM (${ACTIVE_ENROLLMENTS}) a JOIN death_record r ON r.person_id = a.person_id
       WHERE r.death_date <= @d GROUP BY a.person_id)
    SELECT hit.person_id AS subject_id, hit.household_id, h.division_code,
      (SELECT coalesce(sum(y.amount_cents), 0) FROM payment y WHERE y.person_id = hit.person_id AND y.period > substr(hit.death_date, 1, 7)) AS amount_cents,
      (SELECT json_group_array(json_array(y.payment_id, y.amount_cents)) FROM payment y WHERE y.person_id = hit.person_id AND y.period > substr(hit.death_date, 1, 7)) AS payments,
      hit.death_date AS facts,
      json_object(
        'rows', json_insert(hit.enrollments, '$[#]', json_object('table', 'death_record', 'key', hit.person_id, 'values', json_object('death_date', hit.death_date, 'source', hit.source))),
        'comparisons', json_array(json_object('label', 'death_date', 'value', hit.death_date, 'op', '<=', 'threshold', @d))) AS evidence
    FROM hit LEFT JOIN household h ON h.household_id = hit.household_id`;
