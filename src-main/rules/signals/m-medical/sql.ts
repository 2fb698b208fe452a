/**
 * M-MEDICAL 因病 (monitoring.md): a member whose self-paid medical burden over the year — Σ(total − fund_paid) of their
 * settlements — is over the threshold (the lower one for households with 低保, 特困, 低保边缘 or 刚性支出 active at D).
 * The level compares the household's whole burden B with its counted income of the year I (rules.md "Income", the
 * household judgement's own pieces): red B > I, orange 2B > I, else yellow.
 */
import { MEMBER_MONTHS } from '../../shared/household-judgement.js';
import { BOOL, HAS_PROGRAM, MEMBER, MEMBERS, NAME, STANDARD } from '../shared-sql.js';

export const sql = `
  WITH burden AS (
    SELECT m.household_id, s.person_id, sum(s.total_cents - s.fund_paid_cents) AS burden, count(*) AS settlements
      FROM medical_settlement s CROSS JOIN household_member m ON m.person_id = s.person_id
     WHERE s.settle_date BETWEEN @yearStart AND @d AND ${MEMBER('m')}
     GROUP BY m.household_id, s.person_id),
  hh AS (
    SELECT b.household_id, h.division_code, sum(b.burden) AS total, max(b.burden) AS top,
      ${HAS_PROGRAM('b.household_id', ['dibao', 'tekun', 'dibao_edge', 'rigid_expense'])} AS assisted, ${STANDARD} AS standard, ${MEMBERS('b.household_id')} AS members
      FROM burden b JOIN household h ON h.household_id = b.household_id GROUP BY b.household_id),
  hit AS (SELECT *, CASE WHEN assisted THEN @medicalThreshold ELSE @medicalThresholdOthers END AS threshold FROM hh),
  fired AS (SELECT * FROM hit WHERE top > threshold),
  income AS (SELECT household_id, sum(cents) - sum(deducted) AS income FROM (${MEMBER_MONTHS('fired', '@yearFrom', '@month')}) GROUP BY household_id)
  SELECT f.household_id, f.division_code,
    CASE WHEN f.total > coalesce(i.income, 0) THEN 'red' WHEN 2 * f.total > coalesce(i.income, 0) THEN 'orange' ELSE 'yellow' END AS level,
    'state' AS event_key,
    json_object(
      'persons', (SELECT json_group_array(json_object('person_id', b.person_id, 'name', ${NAME('b.person_id')}, 'burden_cents', b.burden, 'settlements', b.settlements,
                    'over', ${BOOL('b.burden > f.threshold')})) FROM burden b WHERE b.household_id = f.household_id),
      'threshold_cents', f.threshold, 'assisted', ${BOOL('f.assisted')}, 'burden_cents', f.total, 'income_cents', coalesce(i.income, 0),
      'months', @yearFrom || '..' || @month, 'members', f.members, 'standard_monthly_cents', f.standard) AS evidence
  FROM fired f LEFT JOIN income i ON i.household_id = f.household_id`;
