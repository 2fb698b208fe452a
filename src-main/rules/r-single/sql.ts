/**
 * R-SINGLE 单人保不符 (rules.md v2) as SQL: each 单人保 (a 低保 enrollment with coverage single) active at D, judged with
 * its person's condition (a qualifying certificate or a serious illness) and its household's means (the household
 * judgement, rules/shared/household-judgement.ts). Money: the enrollment's payments in the 12 months to D, unless the
 * only reason is that the whole household should be covered. Who is judged, and their condition as far as it depends on
 * D alone, is made at build (SINGLE_BASES).
 */
import { activeAt, householdOf, validAt } from '../../store/sql-fragments.js';
import type { DerivedBase } from '../types.js';
import { AT_OR_OVER_EDGE, EDGE_COMPARISON, EVIDENCE_CTE, HOUSEHOLD_EVIDENCE } from '../shared/household-judgement.js';
import { enrollmentJson, ILLNESS_FROM, lastSeriousIllness, YEAR_FROM } from '../shared/sql.js';

/** A certificate valid at D of level 1–2 of any type, or level 3 of type 5 (智力) or 6 (精神). */
const QUALIFYING_CERT = (person: string) => `EXISTS (SELECT 1 FROM disability_cert c WHERE c.person_id = ${person} AND ${validAt('c.valid_from', 'c.valid_to', '@d')}
    AND (CAST(c.disability_level AS INTEGER) IN (1, 2) OR (CAST(c.disability_level AS INTEGER) = 3 AND c.disability_type IN ('5', '6'))))`;

const PAID = (select: string) => `(SELECT ${select} FROM payment y WHERE y.enrollment_id = s.enrollment_id AND y.period BETWEEN ${YEAR_FROM} AND @month)`;

/**
 * What R-SINGLE reads that depends on D alone (session 16): each 单人保 active at D with its person's household, whether
 * they hold a qualifying certificate at D, their latest serious illness on or before D (a run applies
 * seriousIllnessMonths to it) and the certificate the evidence shows. The build stores it.
 */
export const SINGLE_BASES: readonly DerivedBase[] = [
  {
    table: 'derived_single',
    columns: `enrollment_id, person_id, program, status, start_date, end_date, monthly_amount_cents, home, qualifying_cert, last_serious, certificate,
      PRIMARY KEY (enrollment_id)`,
    sql: `
    SELECT e.enrollment_id, e.person_id, e.program, e.status, e.start_date, e.end_date, e.monthly_amount_cents, ${householdOf('e.person_id')} AS home,
      ${QUALIFYING_CERT('e.person_id')} AS qualifying_cert, ${lastSeriousIllness('e.person_id')} AS last_serious,
      (SELECT json_object('type', c.disability_type, 'level', c.disability_level, 'valid_from', c.valid_from, 'valid_to', c.valid_to)
         FROM disability_cert c WHERE c.person_id = e.person_id) AS certificate
      FROM enrollment e WHERE e.program = 'dibao' AND e.coverage = 'single' AND ${activeAt('e', '@d')}`,
  },
];

export const sql = `
  WITH ${EVIDENCE_CTE}, judged AS (
    SELECT s.enrollment_id, s.person_id, s.program, s.status, s.start_date, s.end_date, s.monthly_amount_cents, s.home,
      -- no certificate, and no serious illness in the window: the latest on or before D is before its first day (or none)
      NOT s.qualifying_cert AND NOT coalesce(s.last_serious >= ${ILLNESS_FROM}, 0) AS no_condition,
      coalesce(${AT_OR_OVER_EDGE('j')}, 0) AS over_edge,
      coalesce(j.income <= j.standard * @months * j.members, 0) AS whole_household,
      coalesce(j.fails_assets, 0) AS fails_assets,
      j.household_id, j.household_no, j.division_code, j.income, j.gross_income, j.deducted, j.members, j.standard, j.asset_rows, j.gradual_rows, j.gradual_span, j.exceeds, j.threshold, j.member_deductions,
      s.certificate, s.last_serious
      FROM derived_single s LEFT JOIN temp.household_judgement_other j ON j.household_id = s.home),
  hit AS (
    SELECT *, (no_condition OR over_edge OR fails_assets) AS at_risk,
      rtrim(CASE WHEN fails_assets THEN 'assets,' ELSE '' END || CASE WHEN no_condition THEN 'condition,' ELSE '' END
        || CASE WHEN over_edge THEN 'income,' ELSE '' END || CASE WHEN whole_household THEN 'whole_household,' ELSE '' END, ',') AS reasons
      FROM judged WHERE no_condition OR over_edge OR whole_household OR fails_assets)
  SELECT s.person_id AS subject_id, coalesce(s.household_id, s.home) AS household_id, coalesce(s.division_code, h.division_code) AS division_code,
    CASE WHEN s.at_risk THEN ${PAID('coalesce(sum(y.amount_cents), 0)')} END AS amount_cents,
    CASE WHEN s.at_risk THEN ${PAID('json_group_array(json_array(y.payment_id, y.amount_cents))')} ELSE '[]' END AS payments,
    s.enrollment_id || '|' || s.reasons AS facts,
    json_set(CASE WHEN s.household_id IS NULL THEN json_object('rows', json_array()) ELSE (SELECT ${HOUSEHOLD_EVIDENCE} FROM (SELECT s.household_id AS household_id, s.household_no AS household_no, s.income AS income,
        s.gross_income AS gross_income, s.deducted AS deducted, s.members AS members, s.standard AS standard, s.asset_rows AS asset_rows,
        s.gradual_rows AS gradual_rows, s.gradual_span AS gradual_span, s.exceeds AS exceeds, s.threshold AS threshold, s.fails_assets AS fails_assets, s.member_deductions AS member_deductions) j) END,
      '$.rows[#]', json(${enrollmentJson('s')}),
      '$.comparisons', CASE WHEN s.household_id IS NULL THEN json_array() ELSE json_array(json(${EDGE_COMPARISON('s')})) END,
      '$.reasons', json_array(CASE WHEN s.no_condition THEN 'condition' END, CASE WHEN s.over_edge THEN 'income' END,
        CASE WHEN s.whole_household THEN 'whole_household' END, CASE WHEN s.fails_assets THEN 'assets' END),
      '$.condition', json_object('certificate', json(s.certificate), 'serious_illness', s.last_serious, 'months', @seriousIllnessMonths)) AS evidence
  FROM hit s LEFT JOIN household h ON h.household_id = s.home`;
