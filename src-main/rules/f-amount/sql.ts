/** F-AMOUNT 发放金额不符 as SQL: payments that differ from their enrollment's monthly amount (the excess is at risk). */
import { divisionOfPerson, householdOf } from '../../store/sql-fragments.js';

export const sql = `
    SELECT y.person_id AS subject_id, ${householdOf('y.person_id')} AS household_id,
      ${divisionOfPerson('y.person_id')} AS division_code,
      sum(max(y.amount_cents - e.monthly_amount_cents, 0)) AS amount_cents,
      json_group_array(json_array(y.payment_id, max(y.amount_cents - e.monthly_amount_cents, 0))) AS payments,
      group_concat(DISTINCT y.enrollment_id ORDER BY y.enrollment_id) AS facts,
      json_object('rows', json_group_array(json_object('table', 'payment', 'key', y.payment_id, 'values', json_object('program', y.program, 'period', y.period, 'amount_cents', y.amount_cents))),
        'comparisons', json_group_array(json_object('label', 'amount_cents', 'value', y.amount_cents, 'op', '<>', 'threshold', e.monthly_amount_cents))) AS evidence
    FROM payment y JOIN enrollment e ON e.enrollment_id = y.enrollment_id
    WHERE y.amount_cents <> e.monthly_amount_cents GROUP BY y.person_id`;

/** The spending review's rows: each such payment, the excess flagged and the shortfall (少发) beside it. */
export const paymentFlags = `
    SELECT 'F-AMOUNT' AS rule, y.payment_id, y.person_id, y.program, y.period, y.amount_cents AS paid, max(y.amount_cents - e.monthly_amount_cents, 0) AS flagged,
           max(e.monthly_amount_cents - y.amount_cents, 0) AS short
      FROM payment y JOIN enrollment e ON e.enrollment_id = y.enrollment_id
     WHERE y.amount_cents <> e.monthly_amount_cents`;
