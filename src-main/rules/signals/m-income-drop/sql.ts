/**
 * M-INCOME-DROP 收入骤降 (monitoring.md): a household without 低保 or 特困 active at D (any coverage) whose counted income
 * over the window is under S × windowMonths × members after counted income over the priorMonths before it at or over
 * edgeMultiple × S × priorMonths × members (the multiple as an integer × 10⁴, §$). Orange. Counted income is the
 * household judgement's (rules.md "Income"), over the months P and the window.
 *
 * Evaluated for every household: the members' income lines are read in one pass (MEMBER_MONTHS_ALL) rather than by one
 * search per member.
 */
import { MEMBER_MONTHS_ALL } from '../../shared/household-judgement.js';
import { HAS_PROGRAM, MEMBERS, STANDARD } from '../shared-sql.js';

export const sql = `
  WITH base AS MATERIALIZED (
    SELECT h.household_id, h.division_code, ${STANDARD} AS standard, ${MEMBERS('h.household_id')} AS members
      FROM household h WHERE NOT ${HAS_PROGRAM('h.household_id', ['dibao', 'tekun'])}),
  months AS (${MEMBER_MONTHS_ALL('base', '@priorFrom', '@month')}),
  income AS (
    SELECT household_id, sum(CASE WHEN period <= @priorTo THEN cents - deducted ELSE 0 END) AS prior,
      sum(CASE WHEN period >= @windowFrom THEN cents - deducted ELSE 0 END) AS recent
      FROM months GROUP BY household_id),
  judged AS (
    SELECT b.*, i.prior, i.recent, b.standard * @windowMonths * b.members AS line,
      CAST(round(@edgeMultiple * 10000) AS INTEGER) * b.standard * @priorMonths * b.members AS margin_10k
      FROM base b JOIN income i ON i.household_id = b.household_id)
  SELECT j.household_id, j.division_code, 'orange' AS level, 'state' AS event_key,
    json_object('recent_cents', j.recent, 'line_cents', j.line, 'window', @windowFrom || '..' || @month,
      'prior_cents', j.prior, 'margin_cents', j.margin_10k / 10000.0, 'prior_months', @priorFrom || '..' || @priorTo,
      'multiple', @edgeMultiple, 'standard_monthly_cents', j.standard, 'members', j.members) AS evidence
  FROM judged j WHERE j.recent < j.line AND j.prior * 10000 >= j.margin_10k`;
