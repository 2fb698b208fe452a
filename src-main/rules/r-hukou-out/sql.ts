/** R-HUKOU-OUT 户籍迁出未停保 as SQL: enrolled at D, latest hukou event by D a move out of J; money: payments after that month. */
import { withinPrefixesJson } from '../../store/sql-fragments.js';
import { ACTIVE_ENROLLMENTS, enrollmentJson } from '../shared/sql.js';

export const sql = `
    WITH act AS (${ACTIVE_ENROLLMENTS}),
    latest AS (
      SELECT he.*, row_number() OVER (PARTITION BY he.person_id ORDER BY he.event_date DESC, he.event_type DESC) AS rn
        FROM hukou_event he WHERE he.event_date <= @d AND he.person_id IN (SELECT person_id FROM act)),
    hit AS (
      SELECT l.person_id, l.event_date, l.from_division, l.to_division FROM latest l
       WHERE l.rn = 1 AND l.event_type = 'move_out'
         AND NOT ${withinPrefixesJson('l.to_division', '@jurisdiction')})
    SELECT hit.person_id AS subject_id, a.household_id, h.division_code,
      (SELECT coalesce(sum(y.amount_cents), 0) FROM payment y WHERE y.person_id = hit.person_id AND y.period > substr(hit.event_date, 1, 7)) AS amount_cents,
      (SELECT json_group_array(json_array(y.payment_id, y.amount_cents)) FROM payment y WHERE y.person_id = hit.person_id AND y.period > substr(hit.event_date, 1, 7)) AS payments,
      hit.event_date || '>' || coalesce(hit.to_division, '') AS facts,
      json_object(
        'rows', json_array(
          json_object('table', 'hukou_event', 'key', hit.person_id || '|' || hit.event_date, 'values', json_object('event_type', 'move_out', 'event_date', hit.event_date, 'from_division', hit.from_division, 'to_division', hit.to_division)),
          json(${enrollmentJson('a')})),
        'comparisons', json_array(json_object('label', 'to_division', 'value', hit.to_division, 'op', 'outside', 'threshold', @jurisdiction))) AS evidence
    FROM hit JOIN act a ON a.person_id = hit.person_id AND a.enrollment_id = (SELECT min(enrollment_id) FROM act x WHERE x.person_id = hit.person_id)
    LEFT JOIN household h ON h.household_id = a.household_id`;
