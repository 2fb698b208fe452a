/**
 * F-AMOUNT 发放金额不符 as SQL (rules.md v2): payments that differ from what their enrollment says is due — its
 * `monthly_amount`, or inside a 渐退 period of the enrollment round_half_up(monthly_amount × pay_ratio) (an empty ratio is
 * 1). The ratio is applied as the integer ratio × 10⁴ (§$), so the due amount is exact integer arithmetic in cents.
 * The excess is at risk; a shortfall (少发) is owed to the beneficiary and shown beside it in the spending review.
 */
import { divisionOfPerson, householdOf } from '../../store/sql-fragments.js';

/**
 * Each payment with its enrollment and what was due. When 渐退 rows of the enrollment overlap, the one that started
 * latest (the most recent decision) gives the ratio.
 */
const DUE = `
    SELECT y.*, e.monthly_amount_cents AS monthly, g.start_period AS gradual_from, g.end_period AS gradual_to,
      CAST(round(coalesce(g.pay_ratio, 1) * 10000) AS INTEGER) AS ratio_10k,
      CASE WHEN g.enrollment_id IS NULL THEN e.monthly_amount_cents
           -- round half-up to the cent: (monthly × ratio×10⁴ + 5,000) div 10,000
           ELSE (e.monthly_amount_cents * CAST(round(coalesce(g.pay_ratio, 1) * 10000) AS INTEGER) + 5000) / 10000 END AS due
      FROM payment y JOIN enrollment e ON e.enrollment_id = y.enrollment_id
      LEFT JOIN gradual_exit g ON g.enrollment_id = y.enrollment_id AND y.period BETWEEN g.start_period AND g.end_period
       AND NOT EXISTS (SELECT 1 FROM gradual_exit x WHERE x.enrollment_id = g.enrollment_id AND x.start_period > g.start_period AND y.period BETWEEN x.start_period AND x.end_period)`;

export const sql = `
    WITH due AS (${DUE})
    SELECT y.person_id AS subject_id, ${householdOf('y.person_id')} AS household_id,
      ${divisionOfPerson('y.person_id')} AS division_code,
      sum(max(y.amount_cents - y.due, 0)) AS amount_cents,
      json_group_array(json_array(y.payment_id, max(y.amount_cents - y.due, 0))) AS payments,
      group_concat(DISTINCT y.enrollment_id ORDER BY y.enrollment_id) AS facts,
      json_object('rows', json_group_array(json_object('table', 'payment', 'key', y.payment_id, 'values', json_object('program', y.program, 'period', y.period, 'amount_cents', y.amount_cents))),
        'comparisons', json_group_array(json_object('label', 'amount_cents', 'value', y.amount_cents, 'op', '<>', 'threshold', y.due, 'period', y.period,
          'monthly', y.monthly, 'ratio', CASE WHEN y.gradual_from IS NOT NULL THEN y.ratio_10k / 10000.0 END, 'gradualFrom', y.gradual_from, 'gradualTo', y.gradual_to))) AS evidence
    FROM due y
    WHERE y.amount_cents <> y.due GROUP BY y.person_id`;

/** The spending review's rows: each such payment, the excess flagged and the shortfall (少发) beside it. */
export const paymentFlags = `
    SELECT 'F-AMOUNT' AS rule, y.payment_id, y.person_id, y.program, y.period, y.amount_cents AS paid, max(y.amount_cents - y.due, 0) AS flagged,
           max(y.due - y.amount_cents, 0) AS short
      FROM (${DUE}) y
     WHERE y.amount_cents <> y.due`;
