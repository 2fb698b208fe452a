/** F-AFTER-EXIT 停保后或无业务发放 as SQL: payments outside their enrollment's months (or without an enrollment). */
import { divisionOfPerson, householdOf } from '../../store/sql-fragments.js';

/** A payment `y` outside its enrollment `e` (LEFT JOINed): none, before the start month or after the end month. */
const OUTSIDE = `e.enrollment_id IS NULL OR y.period < substr(e.start_date, 1, 7) OR (e.end_date IS NOT NULL AND y.period > substr(e.end_date, 1, 7))`;

export const sql = `
    SELECT y.person_id AS subject_id, ${householdOf('y.person_id')} AS household_id,
      ${divisionOfPerson('y.person_id')} AS division_code,
      -- identity: the enrollments paid outside their period (not the payments, which grow every month)
      sum(y.amount_cents) AS amount_cents, json_group_array(json_array(y.payment_id, y.amount_cents)) AS payments,
      group_concat(DISTINCT coalesce(y.enrollment_id, '-') ORDER BY coalesce(y.enrollment_id, '-')) AS facts,
      json_object('rows', json_group_array(json_object('table', 'payment', 'key', y.payment_id, 'values',
          json_object('program', y.program, 'period', y.period, 'amount_cents', y.amount_cents, 'enrollment_id', y.enrollment_id, 'start_date', e.start_date, 'end_date', e.end_date))),
        'comparisons', json_array(json_object('label', 'period', 'value', max(y.period), 'op', 'outside', 'threshold', 'enrollment period'))) AS evidence
    FROM payment y LEFT JOIN enrollment e ON e.enrollment_id = y.enrollment_id
    WHERE ${OUTSIDE}
    GROUP BY y.person_id`;

/** The spending review's rows: each payment outside its enrollment, all of it flagged. */
export const paymentFlags = `
    SELECT 'F-AFTER-EXIT' AS rule, y.payment_id, y.person_id, y.program, y.period, y.amount_cents AS paid, y.amount_cents AS flagged, 0 AS short
      FROM payment y LEFT JOIN enrollment e ON e.enrollment_id = y.enrollment_id
     WHERE ${OUTSIDE}`;
