/** F-AFTER-DEATH 死亡后发放 as SQL: payments for periods after the month of death, per person and one by one. */
import { divisionOfPerson, householdOf } from '../../store/sql-fragments.js';

export const sql = `
    SELECT y.person_id AS subject_id, ${householdOf('y.person_id')} AS household_id,
      ${divisionOfPerson('y.person_id')} AS division_code,
      sum(y.amount_cents) AS amount_cents, json_group_array(json_array(y.payment_id, y.amount_cents)) AS payments, r.death_date AS facts,
      json_object('rows', json_group_array(json_object('table', 'payment', 'key', y.payment_id, 'values', json_object('program', y.program, 'period', y.period, 'amount_cents', y.amount_cents))),
        'comparisons', json_array(json_object('label', 'period', 'value', max(y.period), 'op', '>', 'threshold', substr(r.death_date, 1, 7)))) AS evidence
    FROM payment y JOIN death_record r ON r.person_id = y.person_id
    WHERE y.period > substr(r.death_date, 1, 7) GROUP BY y.person_id`;

/** The spending review's rows: each payment after death, all of it flagged. */
export const paymentFlags = `
    SELECT 'F-AFTER-DEATH' AS rule, y.payment_id, y.person_id, y.program, y.period, y.amount_cents AS paid, y.amount_cents AS flagged, 0 AS short
      FROM payment y JOIN death_record r ON r.person_id = y.person_id
     WHERE y.period > substr(r.death_date, 1, 7)`;
