/**
 * R-EXIT 应退未退 as SQL over the household judgement (rules/shared/household-judgement.ts): a 低保 household over the
 * income line or failing the asset test; money: its 低保 payments after the first month the condition held.
 */
import { COUNTED_INCOME, HOUSEHOLD_EVIDENCE } from '../shared/household-judgement.js';

export const sql = `WITH judged AS (SELECT * FROM temp.household_judgement),
  hit AS (
    SELECT j.*,
      -- the first month the condition held: the earlier of the asset that made the household fail and (when income is
      -- over the line) the first month whose household income passed the monthly line, else the window's first month
      min(
        CASE WHEN j.fails_assets THEN substr(j.asset_since, 1, 7) ELSE '9999-99' END,
        CASE WHEN j.exceeds THEN coalesce(
          (SELECT min(i.period) FROM (SELECT i.period, sum(i.amount_cents) AS total FROM household_member m JOIN income_record i ON i.person_id = m.person_id
              WHERE m.household_id = j.household_id AND ${COUNTED_INCOME} GROUP BY i.period) i
            WHERE i.total > j.standard * j.members), @from) ELSE '9999-99' END) AS since_month
      FROM judged j WHERE j.has_dibao AND (j.exceeds OR j.fails_assets))
  SELECT j.household_id AS subject_id, j.household_id, j.division_code,
    (SELECT coalesce(sum(y.amount_cents), 0) FROM payment y JOIN household_member m ON m.person_id = y.person_id
      WHERE m.household_id = j.household_id AND y.program = 'dibao' AND y.period > j.since_month) AS amount_cents,
    (SELECT json_group_array(json_array(y.payment_id, y.amount_cents)) FROM payment y JOIN household_member m ON m.person_id = y.person_id
      WHERE m.household_id = j.household_id AND y.program = 'dibao' AND y.period > j.since_month) AS payments,
    CASE WHEN j.fails_assets THEN 'assets:' || j.asset_since ELSE 'income' END AS facts,
    json_set(${HOUSEHOLD_EVIDENCE}, '$.since', j.since_month) AS evidence
  FROM hit j`;
