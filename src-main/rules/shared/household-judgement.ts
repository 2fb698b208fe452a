/**
 * Household economic verification (家庭经济状况核对), shared by R-EXIT and R-COVER. The candidate households (those with
 * an active 低保 or 低保边缘 member) are few, so income and assets are computed for them alone; the standard is the
 * longest-prefix 低保 policy effective at D. The judgement is built once per run into a temporary (in-memory) table
 * that both rules read (SnapshotDb.runRule).
 */
import { dibaoStandardAt, heldAt } from '../../store/sql-fragments.js';
import type { RulePrelude } from '../types.js';
import { ACTIVE_ENROLLMENTS } from './sql.js';

/**
 * An income line left out of counted income (rules.md v2 "Income"): its source is in @excludedSources — a plain code, or
 * a dated exclusion ({source, from, to}) covering the line's month. (At the v1 preset the list is just the provident
 * fund.)
 */
const EXCLUDED = (i: string) => `EXISTS (SELECT 1 FROM json_each(@excludedSources) e WHERE CASE e.type
    WHEN 'text' THEN e.value = ${i}.source
    WHEN 'object' THEN json_extract(e.value, '$.source') = ${i}.source AND substr(json_extract(e.value, '$.from'), 1, 7) <= ${i}.period
      AND (json_extract(e.value, '$.to') IS NULL OR ${i}.period <= substr(json_extract(e.value, '$.to'), 1, 7)) END)`;

/** Income lines counted towards a household's income in the window. */
export const COUNTED_INCOME = `i.period BETWEEN @from AND @month AND NOT ${EXCLUDED('i')}`;

/**
 * The employment deduction of a member-month whose counted wage is W, for a household whose standard is S:
 * max(0, min(W, ratio × S)), ratio × S rounded half-up to the cent (§$: the ratio as an integer × 10⁴).
 */
const DEDUCTION = (wage: string, standard: string) =>
  `max(0, min(${wage}, (CAST(round(@employmentDeductionRatio * 10000) AS INTEGER) * ${standard} + 5000) / 10000))`;

const HOUSEHOLD_BASE = `
  WITH act AS (${ACTIVE_ENROLLMENTS}),
  cand AS (
    SELECT m.household_id,
      max(a.program = 'dibao') AS has_dibao, max(a.program = 'dibao_edge') AS has_edge, max(a.program = 'tekun') AS has_tekun
      FROM act a JOIN household_member m ON m.person_id = a.person_id
     WHERE a.program IN ('dibao', 'dibao_edge', 'tekun') GROUP BY m.household_id),
  base AS (
    SELECT c.*, h.division_code,
      (SELECT count(*) FROM household_member m WHERE m.household_id = c.household_id) AS members,
      ${dibaoStandardAt('h.division_code', '@d')} AS standard
      FROM cand c JOIN household h ON h.household_id = c.household_id),
  -- Counted income (rules.md v2): the members' lines in the window whose source is not excluded, less the employment
  -- deduction of each member-month with counted wage.
  counted AS (
    SELECT b.household_id, i.person_id, i.period, sum(i.amount_cents) AS cents, sum(CASE WHEN i.source = 'wage' THEN i.amount_cents ELSE 0 END) AS wage
      FROM base b CROSS JOIN household_member m ON m.household_id = b.household_id CROSS JOIN income_record i ON i.person_id = m.person_id
     WHERE ${COUNTED_INCOME} GROUP BY b.household_id, i.person_id, i.period),
  income AS (
    SELECT k.household_id, sum(k.cents) AS gross, sum(CASE WHEN k.wage > 0 THEN ${DEDUCTION('k.wage', 'b.standard')} ELSE 0 END) AS deducted
      FROM counted k JOIN base b ON b.household_id = k.household_id GROUP BY k.household_id),
  hh AS (
    SELECT b.*, coalesce(x.gross, 0) - coalesce(x.deducted, 0) AS income, coalesce(x.gross, 0) AS gross_income, coalesce(x.deducted, 0) AS deducted
      FROM base b LEFT JOIN income x ON x.household_id = b.household_id),
  -- CROSS JOIN fixes the join order: from the few candidate households' members to their assets by index,
  -- instead of scanning every vehicle, business and property in the district.
  members AS (SELECT m.household_id, m.person_id FROM hh CROSS JOIN household_member m ON m.household_id = hh.household_id),
  assets AS (
    SELECT m.household_id, 'vehicle' AS kind, v.plate AS key, v.vehicle_type AS detail, v.registered_date AS since
      FROM members m CROSS JOIN vehicle v ON v.person_id = m.person_id
     WHERE v.vehicle_type IN ('car', 'truck') AND ${heldAt('v', '@d')}
    UNION ALL
    SELECT m.household_id, 'business', b.entity_id, b.role, b.established_date
      FROM members m CROSS JOIN business_registration b ON b.person_id = m.person_id
     WHERE b.status = 'active' AND b.established_date <= @d
    UNION ALL
    SELECT m.household_id, 'real_estate', r.property_id, r.usage, r.registered_date
      FROM members m CROSS JOIN real_estate r ON r.person_id = m.person_id
     WHERE r.usage IN ('residential', 'commercial') AND ${heldAt('r', '@d')}),
  residential AS (SELECT household_id, count(*) AS n FROM assets WHERE detail = 'residential' GROUP BY household_id),
  -- When each failing asset made the household fail: a vehicle, business or commercial property from its own date;
  -- homes only from the second one's registration (one home is allowed).
  homes AS (
    SELECT household_id, since, row_number() OVER (PARTITION BY household_id ORDER BY since, key) AS rn FROM assets WHERE detail = 'residential'),
  ranked AS (
    SELECT a.*, CASE WHEN a.detail = 'residential' THEN second.since ELSE a.since END AS failing_since
      FROM assets a LEFT JOIN homes second ON second.household_id = a.household_id AND second.rn = 2),
  failing AS (
    SELECT a.household_id, min(a.failing_since) AS since, json_group_array(json_object('table', a.kind, 'key', a.key, 'values', json_object('kind', a.detail, 'since', a.since))) AS rows
      FROM ranked a LEFT JOIN residential r ON r.household_id = a.household_id
     WHERE a.kind IN ('vehicle', 'business') OR a.detail = 'commercial' OR (a.detail = 'residential' AND r.n > 1)
     GROUP BY a.household_id),
  judged AS (
    SELECT hh.*, hh.standard * @months * hh.members AS threshold, hh.income > hh.standard * @months * hh.members AS exceeds,
           f.household_id IS NOT NULL AS fails_assets, f.since AS asset_since, f.rows AS asset_rows
      FROM hh LEFT JOIN failing f ON f.household_id = hh.household_id)`;

/** The judged candidate households (temp.household_judgement), read by R-EXIT and R-COVER. */
export const HOUSEHOLD_JUDGEMENT: RulePrelude = { table: 'household_judgement', sql: `${HOUSEHOLD_BASE} SELECT * FROM judged` };

/** The evidence both rules give for a judged household `j`. */
export const HOUSEHOLD_EVIDENCE = `json_object(
    'rows', json_insert(coalesce(j.asset_rows, '[]'), '$[#]', json_object('table', 'income_record', 'key', j.household_id, 'values',
      json_object('months', @from || '..' || @month, 'income_cents', j.income, 'gross_cents', j.gross_income, 'deducted_cents', j.deducted,
        'members', j.members, 'standard_monthly_cents', j.standard))),
    'comparisons', json_array(json_object('label', 'household income over the window', 'value', j.income, 'op', CASE WHEN j.exceeds THEN '>' ELSE '<=' END, 'threshold', j.threshold)))`;
