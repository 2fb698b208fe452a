/**
 * F-AFTER-EXIT 停保后或无业务发放 as SQL (rules.md v2): payments outside their enrollment's months (or without an
 * enrollment) — unless the enrollment has a 渐退 (`gradual_exit`) row whose months include the payment's period: a
 * household in gradual exit is still paid after its enrollment ended, and that is the decision, not an error.
 */
import { divisionOfPerson, householdOf, isEmpty } from '../../store/sql-fragments.js';

/** A payment `y` outside its enrollment `e` (LEFT JOINed): none, before the start month or after the end month. */
const OUTSIDE = `(e.enrollment_id IS NULL OR y.period < substr(e.start_date, 1, 7) OR (NOT ${isEmpty('e.end_date')} AND y.period > substr(e.end_date, 1, 7)))`;

/**
 * …and not inside a 渐退 period of its enrollment (start_period <= period <= end_period). Written as one condition with
 * OUTSIDE so that the 渐退 lookup is made only for the few payments outside their enrollment, not for every payment.
 */
const FLAGGED = `CASE WHEN ${OUTSIDE} THEN NOT EXISTS (SELECT 1 FROM gradual_exit g WHERE g.enrollment_id = y.enrollment_id AND y.period BETWEEN g.start_period AND g.end_period) ELSE 0 END`;

export const sql = `
    SELECT y.person_id AS subject_id, ${householdOf('y.person_id')} AS household_id,
      ${divisionOfPerson('y.person_id')} AS division_code,
      -- identity: the enrollments paid outside their period (not the payments, which grow every month)
      sum(y.amount_cents) AS amount_cents, json_group_array(json_array(y.payment_id, y.amount_cents)) AS payments,
      group_concat(DISTINCT coalesce(y.enrollment_id, '-') ORDER BY coalesce(y.enrollment_id, '-')) AS facts,
      json_object('rows', json_group_array(json_object('table', 'payment', 'key', y.payment_id, 'values',
          json_object('program', y.program, 'period', y.period, 'amount_cents', y.amount_cents, 'enrollment_id', y.enrollment_id, 'start_date', e.start_date, 'end_date', e.end_date))),
        'comparisons', json_array(json_object('label', 'period', 'value', max(y.period), 'op', 'outside', 'threshold', 'enrollment period')),
        -- the 渐退 periods of the person's paid enrollments: considered, and not covering the months above
        'gradual', (SELECT json_group_array(json_object('enrollment', g.enrollment_id, 'program', n.program, 'from', g.start_period, 'to', g.end_period))
            FROM gradual_exit g LEFT JOIN enrollment n ON n.enrollment_id = g.enrollment_id
           WHERE g.enrollment_id IN (SELECT x.enrollment_id FROM payment x WHERE x.person_id = y.person_id))) AS evidence
    FROM payment y LEFT JOIN enrollment e ON e.enrollment_id = y.enrollment_id
    WHERE ${FLAGGED}
    GROUP BY y.person_id`;

/** The spending review's rows: each payment outside its enrollment (and outside 渐退), all of it flagged. */
export const paymentFlags = `
    SELECT 'F-AFTER-EXIT' AS rule, y.payment_id, y.person_id, y.program, y.period, y.amount_cents AS paid, y.amount_cents AS flagged, 0 AS short
      FROM payment y LEFT JOIN enrollment e ON e.enrollment_id = y.enrollment_id
     WHERE ${FLAGGED}`;
