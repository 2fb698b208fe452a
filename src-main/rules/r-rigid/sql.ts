/**
 * R-RIGID 刚性支出认定异常 (rules.md v2) as SQL over the household judgement (rules/shared/household-judgement.ts): a
 * 刚性支出 household (the enrollment's own household_id) whose recognition is past its validity, whose counted income
 * reaches the region's per-capita disposable income × members, which fails the asset test, or which is also on 低保,
 * 特困 or 低保边缘. No amount.
 */
import { activeAt, addMonthsAt, memberAt } from '../../store/sql-fragments.js';
import { EVIDENCE_CTE, HOUSEHOLD_EVIDENCE } from '../shared/household-judgement.js';

export const sql = `
  WITH ${EVIDENCE_CTE}, rigid AS (
    SELECT e.household_id AS rigid_household, min(e.start_date) AS first_start FROM enrollment e
     WHERE e.program = 'rigid_expense' AND e.household_id IS NOT NULL AND ${activeAt('e', '@d')} GROUP BY e.household_id),
  judged AS (
    SELECT j.*, r.first_start, ${addMonthsAt('r.first_start', '@rigidValidityMonths')} AS valid_until,
      -- cents per person per year for the household's urban/rural class; NULL: no value set (the reason does not run)
      json_extract(@disposableIncomeAnnual, '$."' || j.urban_rural || '"') AS disposable,
      (SELECT group_concat(DISTINCT e.program) FROM household_member m CROSS JOIN enrollment e ON e.person_id = m.person_id
        WHERE m.household_id = j.household_id AND ${memberAt('m', '@d')} AND e.program IN ('dibao', 'tekun', 'dibao_edge') AND ${activeAt('e', '@d')}) AS overlap
      FROM rigid r JOIN temp.household_judgement_other j ON j.household_id = r.rigid_household),
  hit AS (
    SELECT j.*, @d >= j.valid_until AS expired, coalesce(j.income >= j.disposable * j.members, 0) AS over_income, j.overlap IS NOT NULL AS overlaps
      FROM judged j)
  SELECT j.household_id AS subject_id, j.household_id, j.division_code, NULL AS amount_cents,
    rtrim(CASE WHEN j.fails_assets THEN 'assets,' ELSE '' END || CASE WHEN j.expired THEN 'expired,' ELSE '' END
      || CASE WHEN j.over_income THEN 'income,' ELSE '' END || CASE WHEN j.overlaps THEN 'overlap,' ELSE '' END, ',') AS facts,
    json_set(${HOUSEHOLD_EVIDENCE},
      '$.comparisons', json_array(json_object('label', 'disposable', 'value', j.income, 'op', CASE WHEN j.over_income THEN '>=' ELSE '<' END,
        'threshold', j.disposable * j.members, 'perPerson', j.disposable, 'members', j.members, 'urbanRural', j.urban_rural)),
      '$.reasons', json_array(CASE WHEN j.expired THEN 'expired' END, CASE WHEN j.over_income THEN 'income' END,
        CASE WHEN j.fails_assets THEN 'assets' END, CASE WHEN j.overlaps THEN 'overlap' END),
      '$.rigid', json_object('first_start', j.first_start, 'valid_until', j.valid_until, 'months', @rigidValidityMonths, 'overlap', j.overlap)) AS evidence
  FROM hit j WHERE j.expired OR j.over_income OR j.fails_assets OR j.overlaps`;
