/**
 * M-INCOME-DROP 收入骤降 (monitoring.md): a household without 低保 or 特困 active at D (any coverage) whose counted income
 * over the window is under S × windowMonths × members after counted income over the priorMonths before it at or over
 * edgeMultiple × S × priorMonths × members (the multiple as an integer × 10⁴, §$). Orange. Counted income is the
 * household judgement's (rules.md "Income"), over the months P and the window.
 *
 * Evaluated for every household: the members' income lines are read in one pass (MEMBER_MONTHS_ALL) rather than by one
 * search per member.
 */
import { activeAt, householdStandardAt } from '../../../store/sql-fragments.js';
import { excludedSourcesCte, MEMBER_MONTHS_ALL } from '../../shared/household-judgement.js';
import { MEMBER } from '../shared-sql.js';

export const sql = `
  WITH
  -- S per (division, 城乡) once, not once per household; the households with 低保 or 特困 active at D from the
  -- enrollments outwards; §M members once per household.
  standards AS MATERIALIZED (
    SELECT h.division_code, h.urban_rural, ${householdStandardAt('h.division_code', 'h.urban_rural', '@d')} AS standard
      FROM (SELECT DISTINCT division_code, urban_rural FROM household) h),
  assisted AS MATERIALIZED (
    SELECT DISTINCT hm.household_id FROM enrollment he CROSS JOIN household_member hm ON hm.person_id = he.person_id
     WHERE he.program IN ('dibao', 'tekun') AND ${activeAt('he', '@d')} AND ${MEMBER('hm')}),
  counts AS MATERIALIZED (SELECT mm.household_id, count(*) AS members FROM household_member mm WHERE ${MEMBER('mm')} GROUP BY mm.household_id),
  base AS MATERIALIZED (
    SELECT h.household_id, h.division_code, s.standard, coalesce(c.members, 0) AS members
      FROM household h JOIN standards s ON s.division_code = h.division_code AND s.urban_rural IS h.urban_rural
      LEFT JOIN counts c ON c.household_id = h.household_id
     WHERE h.household_id NOT IN (SELECT household_id FROM assisted)),
  member_of AS MATERIALIZED (
    SELECT m.person_id, b.household_id, b.standard FROM base b CROSS JOIN household_member m ON m.household_id = b.household_id WHERE ${MEMBER('m')}),
  ${excludedSourcesCte('excluded_sources')},
  months AS (${MEMBER_MONTHS_ALL('member_of', '@priorFrom', '@month', 'excluded_sources')}),
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
