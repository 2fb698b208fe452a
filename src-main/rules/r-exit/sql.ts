/**
 * R-EXIT 应退未退 (rules.md v2) as SQL over the household judgement (rules/shared/household-judgement.ts): a household
 * with a household-coverage 低保 over the counted-income line (unless a 渐退 period covers D's month), failing the asset
 * test (渐退 or not), or in a 渐退 period longer than allowed. Money: its household-coverage 低保 payments after the
 * first month the condition held, less those paid inside a 渐退 period of the paid enrollment.
 */
import { memberAt } from '../../store/sql-fragments.js';
import { EVIDENCE_CTE, HOUSEHOLD_EVIDENCE } from '../shared/household-judgement.js';

export const sql = `WITH ${EVIDENCE_CTE},
  judged AS (
    SELECT j.*, j.exceeds AND j.gradual_span IS NULL AS by_income, coalesce(j.gradual_span > @gradualExitMaxMonths, 0) AS too_long
      FROM temp.household_judgement_dibao j WHERE j.has_dibao),
  hit AS (
    SELECT j.*,
      -- the first month the condition held: the earlier of the asset that made the household fail and (income) the
      -- first month whose counted income passed the monthly line, else the window's first month
      min(CASE WHEN j.fails_assets THEN substr(j.asset_since, 1, 7) ELSE '9999-99' END,
          CASE WHEN j.by_income THEN coalesce(j.first_over, @from) ELSE '9999-99' END) AS since_month
      FROM judged j WHERE j.by_income OR j.fails_assets OR j.too_long),
  -- The payments at risk, for the households that fired on income or assets: household-coverage 低保 paid to a member
  -- after the first month the condition held, outside any 渐退 period of the paid enrollment.
  paid AS (
    SELECT j.household_id, sum(y.amount_cents) AS cents, json_group_array(json_array(y.payment_id, y.amount_cents)) AS payments
      FROM hit j CROSS JOIN household_member m ON m.household_id = j.household_id CROSS JOIN payment y ON y.person_id = m.person_id
      LEFT JOIN enrollment e ON e.enrollment_id = y.enrollment_id
     WHERE (j.by_income OR j.fails_assets) AND ${memberAt('m', '@d')} AND y.program = 'dibao' AND y.period > j.since_month
       AND (e.coverage IS NULL OR e.coverage <> 'single')
       AND NOT EXISTS (SELECT 1 FROM gradual_exit g WHERE g.enrollment_id = y.enrollment_id AND y.period BETWEEN g.start_period AND g.end_period)
     GROUP BY j.household_id)
  SELECT j.household_id AS subject_id, j.household_id, j.division_code,
    CASE WHEN j.by_income OR j.fails_assets THEN coalesce(p.cents, 0) END AS amount_cents,
    CASE WHEN j.by_income OR j.fails_assets THEN coalesce(p.payments, '[]') ELSE '[]' END AS payments,
    -- v1's facts, so that a v1 finding keeps its fingerprint; the 渐退 span reason appended
    CASE WHEN j.fails_assets THEN 'assets:' || j.asset_since WHEN j.by_income THEN 'income' ELSE '' END
      || CASE WHEN j.too_long THEN CASE WHEN j.fails_assets OR j.by_income THEN ',' ELSE '' END || 'gradual_too_long' ELSE '' END AS facts,
    json_set(${HOUSEHOLD_EVIDENCE}, '$.since', CASE WHEN j.by_income OR j.fails_assets THEN j.since_month END,
      '$.reasons', json_array(CASE WHEN j.by_income THEN 'income' END, CASE WHEN j.fails_assets THEN 'assets' END, CASE WHEN j.too_long THEN 'gradual_too_long' END),
      '$.gradual_max', @gradualExitMaxMonths) AS evidence
  FROM hit j LEFT JOIN paid p ON p.household_id = j.household_id`;
