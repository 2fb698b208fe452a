/** F-DUPLICATE 重复发放 as SQL: more than one payment for the same person, programme and period. */
import { divisionOfPerson, householdOf } from '../../store/sql-fragments.js';

export const sql = `
    WITH groups AS (
      SELECT person_id, program, period, count(*) AS n, sum(amount_cents) - (SELECT amount_cents FROM payment f WHERE f.person_id = g.person_id AND f.program = g.program AND f.period = g.period ORDER BY payment_id LIMIT 1) AS extra,
             group_concat(payment_id, ',') AS ids
        FROM payment g GROUP BY person_id, program, period HAVING count(*) > 1)
    SELECT g.person_id AS subject_id, ${householdOf('g.person_id')} AS household_id,
      ${divisionOfPerson('g.person_id')} AS division_code,
      sum(g.extra) AS amount_cents,
      -- the payments behind the amount: every one after the first of its person, programme and month
      (SELECT json_group_array(json_array(x.payment_id, x.amount_cents)) FROM (
         SELECT payment_id, amount_cents, person_id, row_number() OVER (PARTITION BY person_id, program, period ORDER BY payment_id) AS rn FROM payment WHERE person_id = g.person_id) x
        WHERE x.rn > 1) AS payments,
      group_concat(DISTINCT g.program ORDER BY g.program) AS facts,
      json_object('rows', json_group_array(json_object('table', 'payment', 'key', g.ids, 'values', json_object('program', g.program, 'period', g.period, 'payments', g.n))),
        'comparisons', json_array(json_object('label', 'payments per period', 'value', max(g.n), 'op', '>', 'threshold', 1))) AS evidence
    FROM groups g GROUP BY g.person_id`;

/** The spending review's rows: every payment after the first for the same person, programme and period. */
export const paymentFlags = `
    SELECT 'F-DUPLICATE' AS rule, y.payment_id, y.person_id, y.program, y.period, y.amount_cents AS paid, y.amount_cents AS flagged, 0 AS short
      FROM payment y
     WHERE EXISTS (SELECT 1 FROM payment f WHERE f.person_id = y.person_id AND f.program = y.program AND f.period = y.period AND f.payment_id < y.payment_id)`;
