/**
 * Household economic verification (家庭经济状况核对), rules.md v2 "Income" and "Assets", shared by R-EXIT, R-COVER and
 * the rules that judge a household's means. The candidate households (those whose members have 低保 or 低保边缘
 * active at D — 特困 only as a flag, since no rule judges a household that has 特困 alone — and the 刚性支出
 * households) are few, so counted income and the asset test are computed for them alone, once per run and parameter
 * set, into temporary (in-memory) tables the rules read (SnapshotDb.runRule) — in two parts, one per thread
 * (JUDGED_PART). What of it depends on the snapshot's D alone — who is judged, their members, S, their income lines,
 * assets and 渐退 rows — is derived once, when the snapshot is built (JUDGEMENT_BASES); a run applies the parameters
 * to it.
 *
 * Members are §M's: household_member rows less persons in prison or 强制隔离戒毒 at D. S is §$'s household standard
 * (urban/rural rows, longest prefix, latest effective_from).
 */
import { activeAt, householdStandardAt, heldAt, memberAt } from '../../store/sql-fragments.js';
import type { DerivedBase, RulePrelude } from '../types.js';

/**
 * @excludedSources as rows (source, from_month, to_month): a plain code excludes its source in every month, a dated
 * exclusion ({source, from, to}) in the months it covers. Read once per statement instead of parsing the JSON for
 * every income line (the monitoring signals read every earner's lines). (At the v1 preset the list is just the
 * provident fund.)
 */
const EXCLUSION_ROWS = `SELECT CASE e.type WHEN 'text' THEN e.value ELSE json_extract(e.value, '$.source') END AS source,
      CASE e.type WHEN 'text' THEN '0000-00' ELSE substr(json_extract(e.value, '$.from'), 1, 7) END AS from_month,
      CASE WHEN e.type = 'text' OR json_extract(e.value, '$.to') IS NULL THEN '9999-99' ELSE substr(json_extract(e.value, '$.to'), 1, 7) END AS to_month
    FROM json_each(@excludedSources) e`;

/**
 * An income line (alias `i`) left out of counted income (rules.md v2 "Income"): its source is excluded in its month.
 * `exclusions` is the prelude's materialised `excluded_sources`, or the rows themselves where no prelude is in scope.
 */
export const EXCLUDED = (i: string, exclusions = `(${EXCLUSION_ROWS})`) =>
  `EXISTS (SELECT 1 FROM ${exclusions} x WHERE x.source = ${i}.source AND ${i}.period BETWEEN x.from_month AND x.to_month)`;

/** Income lines (alias `i`) counted towards a household's income in the months `from` … `to` (SQL expressions, YYYY-MM). */
export const countedIncomeIn = (from: string, to: string, exclusions?: string) => `i.period BETWEEN ${from} AND ${to} AND NOT ${EXCLUDED('i', exclusions)}`;

/**
 * The employment deduction of a member-month whose counted wage is W, for a household whose standard is S:
 * max(0, min(W, ratio × S)), ratio × S rounded half-up to the cent (§$: the ratio as an integer × 10⁴).
 */
export const DEDUCTION = (wage: string, standard: string) =>
  `CASE WHEN ${wage} > 0 THEN max(0, min(${wage}, (CAST(round(@employmentDeductionRatio * 10000) AS INTEGER) * ${standard} + 5000) / 10000)) ELSE 0 END`;

/**
 * Each member's months: how much counted income, and the employment deduction of the month's counted wage — for
 * `members`, a relation with `household_id`, `person_id` and the household's `standard` (S): each §M member of the
 * households judged, once — over the months `from` … `to`.
 */
export const COUNTED_MONTHS = (members: string, from: string, to: string, exclusions?: string) => `
    SELECT b.household_id, i.person_id, i.period, sum(i.amount_cents) AS cents,
      ${DEDUCTION(`sum(CASE WHEN i.source = 'wage' THEN i.amount_cents ELSE 0 END)`, 'b.standard')} AS deducted
      FROM ${members} b CROSS JOIN income_record i ON i.person_id = b.person_id
     WHERE ${countedIncomeIn(from, to, exclusions)} GROUP BY b.household_id, i.person_id, i.period`;

/**
 * COUNTED_MONTHS for the members at D of the households of `households` (a relation with `household_id` and
 * `standard`, S), over the months `from` … `to` (the window, unless given: the monitoring signals ask for other months).
 */
export const MEMBER_MONTHS = (households: string, from = '@from', to = '@month', exclusions?: string) =>
  COUNTED_MONTHS(
    `(SELECT h.household_id, m.person_id, h.standard FROM ${households} h CROSS JOIN household_member m ON m.household_id = h.household_id WHERE ${memberAt('m', '@d')})`,
    from,
    to,
    exclusions,
  );

/**
 * MEMBER_MONTHS for statements over (nearly) every household (the monitoring signals): the same member-months, but
 * driven from the income lines — one pass over income_record in its key order (person, period), grouped before the
 * members are looked up — instead of one index search per member, which is what a few candidate households want.
 * `members` is a materialised relation (person_id, household_id, standard): each member of the households judged, once,
 * so §M's test and the household's S are not repeated for every month of every earner. `exclusions` is a materialised
 * EXCLUSION_ROWS (excludedSourcesCte), read once per statement.
 */
export const MEMBER_MONTHS_ALL = (members: string, from: string, to: string, exclusions: string) => `
    SELECT b.household_id, x.person_id, x.period, x.cents, ${DEDUCTION('x.wage', 'b.standard')} AS deducted
      FROM (SELECT i.person_id, i.period, sum(i.amount_cents) AS cents, sum(CASE WHEN i.source = 'wage' THEN i.amount_cents ELSE 0 END) AS wage
              FROM income_record i WHERE ${countedIncomeIn(from, to, exclusions)} GROUP BY i.person_id, i.period) x
      JOIN ${members} b ON b.person_id = x.person_id`;

/** `name AS MATERIALIZED (…)`: @excludedSources as rows, for EXCLUDED's `exclusions` (one parse per statement). */
export const excludedSourcesCte = (name: string) => `${name} AS MATERIALIZED (${EXCLUSION_ROWS})`;

/**
 * The judgement comes in two parts, so that the two snapshot threads share it (issue 16: at 3.5 M persons the thread
 * that judged every household and ran its five rules was the library's longest by 4.5 s). Each part is a prelude of
 * its own (a unit of work for a thread), judging only the households its rules read:
 * - `dibao`: the households with household-coverage 低保 (R-EXIT);
 * - `other`: those with 单人保 or 刚性支出, or without 低保 (R-SINGLE, R-RIGID, R-EDGE, R-COVER).
 * A 低保 household that also has 单人保 or 刚性支出 is in both, judged alike by each. The households are numbered
 * (JUDGED_PART_ORDER) so that each part is one range of household_no: 低保 alone, then 低保 with 单人保 or 刚性支出,
 * then the rest.
 */
const JUDGED_PART = {
  dibao: (h: string) => `${h}.has_dibao`,
  other: (h: string) => `(${h}.has_single OR ${h}.has_rigid OR NOT ${h}.has_dibao)`,
};
type JudgedPart = keyof typeof JUDGED_PART;
const JUDGED_PART_ORDER = (h: string) => `CASE WHEN NOT ${JUDGED_PART.other(h)} THEN 0 WHEN ${JUDGED_PART.dibao(h)} THEN 1 ELSE 2 END`;

/** `household_no` … in the range of `part` (derived_judged_part; constant subqueries, so an index range). */
const IN_PART = (householdNo: string, part: JudgedPart) =>
  `${householdNo} BETWEEN (SELECT first_no FROM derived_judged_part WHERE part = '${part}') AND (SELECT last_no FROM derived_judged_part WHERE part = '${part}')`;

/** The first of the 12 months to D's (YYYY-MM): where derived_income starts. */
const INCOME_YEAR_FROM = `substr(date(@month || '-01', '-11 months'), 1, 7)`;

/**
 * The judged members' income lines from @from (derived_income, and derived_income_before only when the window reaches
 * past the 12 months to D's: a constant test, so a default run never reads it). A part's households' (`part`), merged
 * in key order, not sorted (SQLite carries that order into the groupings that read them); or one household's
 * (`householdNo`, an SQL expression: the evidence of one finding), each table searched by its key.
 */
const incomeLines = (of: { householdNo: string } | { part: JudgedPart }) => {
  const one = 'householdNo' in of;
  const where = one ? `household_no = ${of.householdNo}` : IN_PART('household_no', of.part);
  return `(
    SELECT household_no, period, member_no, source, amount_cents FROM derived_income WHERE ${where}
    UNION ALL
    SELECT household_no, period, member_no, source, amount_cents FROM derived_income_before WHERE ${where} AND @from < ${INCOME_YEAR_FROM}
    ${one ? '' : 'ORDER BY 1, 2, 3, 4'})`;
};

/**
 * What the judgement reads that depends on the snapshot and its D alone, not on a parameter (issue 16: "a household's
 * 12-month income by source, its assets held at D, who is active at D … can be derived once, when the platform builds
 * the snapshot for its D"). The build stores these tables in the snapshot (SnapshotDb.deriveBases); a snapshot without
 * them, or with ones made by other SQL, gets them as temporary tables of the same names, built on first use (a name
 * resolves to the temporary table first). Each reads the ones before it. Columns carry no declared type, so each value
 * is stored as its expression gave it, as in a temporary table made with CREATE TABLE … AS.
 */
export const JUDGEMENT_BASES: readonly DerivedBase[] = [
  {
    // The households some rule reads (R-EXIT: 低保; R-SINGLE: 单人保; R-RIGID: 刚性支出; R-EDGE and R-COVER: 低保边缘
    // without 特困), located, with S, §M's member count at D and the 渐退 rows covering D's month. A household with
    // 特困 alone is judged by none of them, so it is not judged at all. Each is numbered (household_no) by the part of
    // the judgement it belongs to (JUDGED_PART), then in household_id order: derived_income's key starts with the
    // number, so each part's households — and their income lines — lie together, and the judgement groups by it.
    table: 'derived_household',
    columns: `household_no, household_id, has_dibao, has_single, has_edge, has_tekun, has_rigid, division_code, urban_rural, members, standard, gradual_span, gradual_rows,
      PRIMARY KEY (household_no), UNIQUE (household_id)`,
    sql: `
  WITH act AS (SELECT e.* FROM enrollment e WHERE e.program IN ('dibao', 'dibao_edge', 'tekun', 'rigid_expense') AND ${activeAt('e', '@d')}),
  -- "H has programme X active at D": some member of H (§M) has it; 刚性支出 is the enrollment's own household; a 单人保
  -- person's household is judged for R-SINGLE even while the person is held (the household's means are still asked).
  status AS MATERIALIZED (
    SELECT m.household_id, a.program, CASE WHEN a.program = 'dibao' AND a.coverage = 'single' THEN 'single' ELSE 'household' END AS coverage
      FROM act a CROSS JOIN household_member m ON m.person_id = a.person_id
     WHERE a.program <> 'rigid_expense' AND (${memberAt('m', '@d')} OR (a.program = 'dibao' AND a.coverage = 'single'))
    UNION ALL
    SELECT a.household_id, a.program, 'household' FROM act a WHERE a.program = 'rigid_expense' AND a.household_id IS NOT NULL),
  cand AS MATERIALIZED (
    SELECT household_id,
      max(program = 'dibao' AND coverage = 'household') AS has_dibao, max(program = 'dibao' AND coverage = 'single') AS has_single,
      max(program = 'dibao_edge') AS has_edge, max(program = 'tekun') AS has_tekun, max(program = 'rigid_expense') AS has_rigid
      FROM status GROUP BY household_id),
  located AS MATERIALIZED (
    SELECT c.*, h.division_code, h.urban_rural FROM cand c CROSS JOIN household h ON h.household_id = c.household_id
     WHERE c.has_dibao OR c.has_single OR c.has_rigid OR (c.has_edge AND NOT c.has_tekun)),
  -- S per distinct (division, urban/rural): a few hundred policy searches instead of one per household.
  standards AS MATERIALIZED (
    SELECT k.division_code, k.urban_rural, ${householdStandardAt('k.division_code', 'k.urban_rural', '@d')} AS standard
      FROM (SELECT DISTINCT division_code, urban_rural FROM located) k),
  members AS MATERIALIZED (
    SELECT c.household_id, m.person_id FROM located c CROSS JOIN household_member m ON m.household_id = c.household_id WHERE ${memberAt('m', '@d')}),
  -- 渐退: a gradual_exit row of one of H's 低保 enrollments covering month(D), and the longest such span (inclusive).
  gradual AS (
    SELECT m.household_id, max((CAST(substr(g.end_period, 1, 4) AS INTEGER) * 12 + CAST(substr(g.end_period, 6, 2) AS INTEGER))
                               - (CAST(substr(g.start_period, 1, 4) AS INTEGER) * 12 + CAST(substr(g.start_period, 6, 2) AS INTEGER)) + 1) AS span,
      json_group_array(json_object('table', 'gradual_exit', 'key', g.enrollment_id || '|' || g.start_period,
        'values', json_object('start_period', g.start_period, 'end_period', g.end_period, 'pay_ratio', g.pay_ratio, 'reason', g.reason, 'approved_by', g.approved_by))) AS rows
      FROM members m CROSS JOIN enrollment e ON e.person_id = m.person_id CROSS JOIN gradual_exit g ON g.enrollment_id = e.enrollment_id
     WHERE e.program = 'dibao' AND g.start_period <= @month AND @month <= g.end_period
     GROUP BY m.household_id)
  SELECT row_number() OVER (ORDER BY ${JUDGED_PART_ORDER('c')}, c.household_id) AS household_no, c.*, coalesce(n.members, 0) AS members, s.standard, g.span AS gradual_span, g.rows AS gradual_rows
    FROM located c JOIN standards s ON s.division_code IS c.division_code AND s.urban_rural IS c.urban_rural
    LEFT JOIN (SELECT household_id, count(*) AS members FROM members GROUP BY household_id) n ON n.household_id = c.household_id
    LEFT JOIN gradual g ON g.household_id = c.household_id`,
  },
  {
    // Where each part of the judgement lies in household_no (JUDGED_PART): its first and last number.
    table: 'derived_judged_part',
    columns: 'part, first_no, last_no, PRIMARY KEY (part)',
    sql: `
    SELECT 'dibao' AS part, min(household_no) AS first_no, max(household_no) AS last_no FROM derived_household WHERE ${JUDGED_PART.dibao('derived_household')}
    UNION ALL
    SELECT 'other', min(household_no), max(household_no) FROM derived_household WHERE ${JUDGED_PART.other('derived_household')}`,
  },
  {
    // §M's members at D of each judged household: the count, counted income and the assets start here. Each member is
    // numbered in (household, person) order (member_no), for derived_income's key; with the name the evidence shows
    // (so that a run does not look up every judged member in the person table).
    table: 'derived_member',
    columns: 'member_no, household_no, household_id, person_id, name, PRIMARY KEY (member_no)',
    sql: `SELECT row_number() OVER (ORDER BY household_id, person_id) AS member_no, household_no, household_id, person_id, name FROM (
      SELECT c.household_no, c.household_id, m.person_id, p.name FROM derived_household c CROSS JOIN household_member m ON m.household_id = c.household_id
        LEFT JOIN person p ON p.person_id = m.person_id WHERE ${memberAt('m', '@d')})`,
  },
  {
    // The members' income lines of the 24 months up to D's (the longest window a region may set, rules.md v2 "Income"),
    // keyed by (household, month, member, source) as numbers: a household's lines lie together, month by month, so
    // the judgement sums member-months, household-months and households in one pass in key order, without a sort; and
    // small integers instead of 18-digit IDs keep the largest base small — fewer pages to read and decrypt at each run.
    // (A person in two judged households has their lines under each.) The 12 months to D's, the default window, are
    // this table; the 12 before them derived_income_before, read only by a region whose window is longer (incomeLines):
    // the default run reads half the pages.
    table: 'derived_income',
    columns: 'household_no, period, member_no, source, amount_cents, PRIMARY KEY (household_no, period, member_no, source)',
    sql: `SELECT m.household_no, i.period, m.member_no, i.source, i.amount_cents
      FROM derived_member m CROSS JOIN income_record i ON i.person_id = m.person_id
     WHERE i.period BETWEEN ${INCOME_YEAR_FROM} AND @month
     ORDER BY m.household_no, i.period, m.member_no, i.source`,
  },
  {
    table: 'derived_income_before',
    columns: 'household_no, period, member_no, source, amount_cents, PRIMARY KEY (household_no, period, member_no, source)',
    sql: `SELECT m.household_no, i.period, m.member_no, i.source, i.amount_cents
      FROM derived_member m CROSS JOIN income_record i ON i.person_id = m.person_id
     WHERE i.period >= substr(date(@month || '-01', '-23 months'), 1, 7) AND i.period < ${INCOME_YEAR_FROM}
     ORDER BY m.household_no, i.period, m.member_no, i.source`,
  },
  {
    // Every vehicle, business and home or shop a member holds at D, with the figures the exemptions look at.
    table: 'derived_asset',
    columns: 'household_id, kind, key, person_id, detail, since, value, reason, PRIMARY KEY (household_id, kind, key, person_id)',
    sql: `
    SELECT m.household_id, 'vehicle' AS kind, v.plate AS key, v.person_id, v.vehicle_type AS detail, v.registered_date AS since, v.value_cents AS value, v.exempt_reason AS reason
      FROM derived_member m CROSS JOIN vehicle v ON v.person_id = m.person_id WHERE ${heldAt('v', '@d')}
    UNION ALL
    SELECT m.household_id, 'business', b.entity_id, b.person_id, b.role, b.established_date, b.registered_capital_cents, NULL
      FROM derived_member m CROSS JOIN business_registration b ON b.person_id = m.person_id
     WHERE b.status = 'active' AND b.established_date <= @d
    UNION ALL
    SELECT m.household_id, 'real_estate', r.property_id, r.person_id, r.usage, r.registered_date, NULL, NULL
      FROM derived_member m CROSS JOIN real_estate r ON r.person_id = m.person_id
     WHERE r.usage IN ('residential', 'commercial') AND ${heldAt('r', '@d')}`,
  },
  {
    // Financial assets: per (person, kind, institution) the latest row on or before D, a negative balance as 0.
    table: 'derived_money',
    columns: 'household_id, person_id, kind, institution, as_of_date, balance, PRIMARY KEY (household_id, person_id, kind, institution)',
    sql: `SELECT m.household_id, f.person_id, f.kind, f.institution, f.as_of_date, max(f.balance_cents, 0) AS balance
      FROM derived_member m CROSS JOIN financial_asset f ON f.person_id = m.person_id
     WHERE f.as_of_date = (SELECT max(x.as_of_date) FROM financial_asset x WHERE x.person_id = f.person_id AND x.kind = f.kind AND x.institution = f.institution AND x.as_of_date <= @d)`,
  },
];

/** A vehicle that never counts (a motorcycle, a 残疾人机动轮椅车) or is exempt, and why; NULL when it counts (derived_asset `a`). */
const VEHICLE_EXEMPT = (a: string) => `CASE
    WHEN ${a}.detail NOT IN ('car', 'truck') THEN 'type'
    WHEN ${a}.reason IN ('medical', 'rehabilitation', 'livelihood') THEN 'reason'
    WHEN @vehicleExemptValue IS NOT NULL AND ${a}.value IS NOT NULL AND ${a}.value <= @vehicleExemptValue THEN 'value' END`;

/** A business that is exempt by its registered capital, and why; NULL when it counts (derived_asset `a`). */
const BUSINESS_EXEMPT = (a: string) =>
  `CASE WHEN @businessExemptCapital IS NOT NULL AND ${a}.value IS NOT NULL AND ${a}.value <= @businessExemptCapital THEN 'capital' END`;

/** What the judgement makes of the derived tables (JUDGEMENT_BASES) with the run's values, for one part's households. */
const householdBase = (part: JudgedPart) => `
  WITH base AS (
    SELECT household_no, household_id, has_dibao, has_single, has_edge, has_tekun, has_rigid, division_code, urban_rural, members, standard,
           gradual_span, gradual_rows FROM derived_household WHERE ${IN_PART('household_no', part)}),
  -- Counted income (rules.md v2): the members' lines in the window whose source is not excluded, less the employment
  -- deduction of each member-month with counted wage; and the first month whose counted income passed S × members.
  -- derived_income lies in (household, month, member) order, and each step below keeps that order and says so (ORDER BY
  -- on what is already in order costs nothing), so SQLite groups member-months, household-months and households as the
  -- rows stream past instead of sorting each grouping (which was over half of the judgement's time).
  ${excludedSourcesCte('excluded_sources')},
  counted AS MATERIALIZED (
    SELECT x.household_no, x.period, x.member_no, x.cents, ${DEDUCTION('x.wage', 'h.standard')} AS deducted, h.standard * h.members AS line
      FROM (SELECT i.household_no, i.period, i.member_no, sum(i.amount_cents) AS cents, sum(CASE WHEN i.source = 'wage' THEN i.amount_cents ELSE 0 END) AS wage
              FROM ${incomeLines({ part })} i WHERE ${countedIncomeIn('@from', '@month', 'excluded_sources')}
             GROUP BY i.household_no, i.period, i.member_no ORDER BY i.household_no, i.period, i.member_no) x
      JOIN derived_household h ON h.household_no = x.household_no
     ORDER BY x.household_no, x.period, x.member_no),
  monthly AS (
    SELECT household_no, period, sum(cents) AS cents, sum(deducted) AS deducted, line FROM counted GROUP BY household_no, period ORDER BY household_no, period),
  income AS (
    SELECT household_no, sum(cents) AS gross, sum(deducted) AS deducted, min(CASE WHEN cents - deducted > line THEN period END) AS first_over
      FROM monthly GROUP BY household_no),
  -- Each member's deduction over the window, for the evidence (HOUSEHOLD_EVIDENCE): {"<person_id>": cents}, members
  -- without one left out (the evidence reads them as 0) — with no deduction ratio set, no row at all.
  member_deductions AS (
    SELECT d.household_no, json_group_object(m.person_id, d.deducted) AS deducted
      FROM (SELECT household_no, member_no, sum(deducted) AS deducted FROM counted WHERE deducted > 0 GROUP BY household_no, member_no) d
      JOIN derived_member m ON m.member_no = d.member_no GROUP BY d.household_no),
  hh AS MATERIALIZED (
    SELECT b.*, coalesce(x.gross, 0) - coalesce(x.deducted, 0) AS income, coalesce(x.gross, 0) AS gross_income, coalesce(x.deducted, 0) AS deducted, x.first_over,
      d.deducted AS member_deductions
      FROM base b LEFT JOIN income x ON x.household_no = b.household_no LEFT JOIN member_deductions d ON d.household_no = b.household_no),
  -- Every asset a member holds at D, with why it does not count (NULL: it counts, homes aside).
  assets AS MATERIALIZED (
    SELECT a.household_id, a.kind, a.key, a.person_id, a.detail, a.since, a.value,
           CASE a.kind WHEN 'vehicle' THEN ${VEHICLE_EXEMPT('a')} WHEN 'business' THEN ${BUSINESS_EXEMPT('a')} END AS exempt, a.reason
      FROM derived_asset a WHERE a.household_id IN (SELECT household_id FROM base)),
  -- Homes count once there are more than @residentialLimit, from the registration of the one over the limit.
  homes AS (
    SELECT household_id, key, since, row_number() OVER (PARTITION BY household_id ORDER BY since, key) AS rn FROM assets WHERE detail = 'residential'),
  over_limit AS (SELECT household_id, since FROM homes WHERE rn = @residentialLimit + 1),
  -- Financial assets (derived_money: each account's latest balance at D), summed in (as_of_date, person, kind,
  -- institution) order: the household fails from the row that took the total over the limit.
  money AS (
    SELECT l.*, b.standard * b.members * @financialAssetMonths AS limit_cents,
      sum(l.balance) OVER (PARTITION BY l.household_id ORDER BY l.as_of_date, l.person_id, l.kind, l.institution ROWS UNBOUNDED PRECEDING) AS running,
      sum(l.balance) OVER (PARTITION BY l.household_id) AS total
      FROM derived_money l JOIN base b ON b.household_id = l.household_id),
  money_over AS (SELECT household_id, min(as_of_date) AS since FROM money WHERE running > limit_cents GROUP BY household_id),
  ranked AS (
    SELECT a.*, CASE
        WHEN a.exempt IS NOT NULL THEN NULL
        WHEN a.kind IN ('vehicle', 'business') OR a.detail = 'commercial' THEN a.since
        WHEN o.household_id IS NOT NULL THEN o.since END AS failing_since
      FROM assets a LEFT JOIN over_limit o ON o.household_id = a.household_id),
  -- The evidence: every asset considered, counted or not, and why not.
  asset_rows AS (
    SELECT household_id, json_object('table', CASE kind WHEN 'business' THEN 'business_registration' ELSE kind END, 'key', key,
        'values', json_object('kind', detail, 'since', since, 'value_cents', value, 'person_id', person_id, 'counted', failing_since IS NOT NULL,
          'exempt', CASE WHEN exempt IS NOT NULL THEN exempt WHEN detail = 'residential' AND failing_since IS NULL THEN 'within_limit' END, 'exempt_reason', reason)) AS row
      FROM ranked
    UNION ALL
    SELECT household_id, json_object('table', 'financial_asset', 'key', person_id || '|' || kind || '|' || institution,
        'values', json_object('kind', kind, 'institution', institution, 'since', as_of_date, 'value_cents', balance, 'person_id', person_id,
          'counted', total > limit_cents, 'exempt', CASE WHEN limit_cents IS NULL THEN 'no_limit' WHEN total <= limit_cents THEN 'within_limit' END,
          'total_cents', total, 'limit_cents', limit_cents))
      FROM money),
  failing AS (
    SELECT household_id, min(since) AS since FROM (
      SELECT household_id, failing_since AS since FROM ranked WHERE failing_since IS NOT NULL
      UNION ALL SELECT household_id, since FROM money_over) GROUP BY household_id),
  judged AS (
    SELECT hh.*, hh.standard * @months * hh.members AS threshold, hh.income > hh.standard * @months * hh.members AS exceeds,
           f.household_id IS NOT NULL AS fails_assets, f.since AS asset_since,
           (SELECT json_group_array(json(r.row)) FROM asset_rows r WHERE r.household_id = hh.household_id) AS asset_rows
      FROM hh LEFT JOIN failing f ON f.household_id = hh.household_id)`;

/**
 * The judged candidate households of one part (JUDGED_PART): members, S, counted income and its first month over the
 * line, the asset test (fails_assets, asset_since, every asset considered) and the 渐退 span covering D's month.
 * temp.household_judgement_dibao: the 低保 households (R-EXIT); temp.household_judgement_other: those of 单人保,
 * 刚性支出 and 低保边缘 (R-SINGLE, R-RIGID, R-EDGE, R-COVER).
 */
const householdJudgement = (part: JudgedPart): RulePrelude => ({ table: `household_judgement_${part}`, sql: `${householdBase(part)} SELECT * FROM judged`, bases: JUDGEMENT_BASES });
export const HOUSEHOLD_JUDGEMENT_DIBAO = householdJudgement('dibao');
export const HOUSEHOLD_JUDGEMENT_OTHER = householdJudgement('other');

/**
 * What each member earned in the window, by source, and what was left out or deducted (rules.md v2: "evidence shows
 * gross, excluded (by source) and deducted amounts per member") — for a judged household `j`, as JSON evidence rows.
 */
const INCOME_BY_MEMBER = (j: string) => `(
    SELECT json_group_array(json_object('table', 'income_record', 'key', x.person_id, 'values', json_object('person_id', x.person_id, 'name', x.name,
        'sources', json(x.sources),
        'deducted_cents', coalesce(json_extract(${j}.member_deductions, '$."' || x.person_id || '"'), 0))))
      FROM (SELECT person_id, name, json_group_array(json_object('source', source, 'cents', cents, 'excluded', excluded)) AS sources FROM (
              SELECT m.person_id, m.name, i.source, sum(i.amount_cents) AS cents, ${EXCLUDED('i', 'evidence_exclusions')} AS excluded
                FROM ${incomeLines({ householdNo: `${j}.household_no` })} i CROSS JOIN derived_member m ON m.member_no = i.member_no
               WHERE i.period BETWEEN @from AND @month
               GROUP BY m.person_id, m.name, i.source, excluded ORDER BY m.person_id, excluded, i.source)
            GROUP BY person_id) x
     WHERE x.name IS NOT NULL)`;

/**
 * The CTE HOUSEHOLD_EVIDENCE reads: @excludedSources as rows, parsed once per statement (written per income line, the
 * list's JSON was parsed again for every line of every finding: most of the evidence's time). A statement that uses
 * HOUSEHOLD_EVIDENCE puts it in its WITH clause.
 */
export const EVIDENCE_CTE = excludedSourcesCte('evidence_exclusions');

/**
 * The evidence every household-means rule gives for a judged household `j`: assets, 渐退 rows, income by member and the
 * totals (the statement's WITH clause has EVIDENCE_CTE).
 */
export const HOUSEHOLD_EVIDENCE = `json_object(
    'rows', (SELECT json_group_array(json(r.value)) FROM (
        SELECT value FROM json_each(coalesce(j.asset_rows, '[]')) UNION ALL SELECT value FROM json_each(coalesce(j.gradual_rows, '[]'))
        UNION ALL SELECT value FROM json_each(${INCOME_BY_MEMBER('j')})
        UNION ALL SELECT json_object('table', 'income_record', 'key', j.household_id, 'values',
          json_object('months', @from || '..' || @month, 'income_cents', j.income, 'gross_cents', j.gross_income, 'deducted_cents', j.deducted,
            'members', j.members, 'standard_monthly_cents', j.standard))) r),
    'comparisons', json_array(json_object('label', 'household income over the window', 'value', j.income, 'op', CASE WHEN j.exceeds THEN '>' ELSE '<=' END, 'threshold', j.threshold)),
    'gradual', j.gradual_span IS NOT NULL, 'gradual_span', j.gradual_span, 'fails_assets', j.fails_assets)`;

/** The 低保边缘 line (R-EDGE, R-SINGLE): income ≥ multiple × S × months × members, the multiple as an integer × 10⁴ (§$: no rounding). */
export const AT_OR_OVER_EDGE = (j: string) => `(${j}.income * 10000 >= CAST(round(@edgeMultiple * 10000) AS INTEGER) * ${j}.standard * @months * ${j}.members)`;

/** The comparison the finding shows: the income against the margin's line (in cents; the product may have a fraction). */
export const EDGE_COMPARISON = (j: string) =>
  `json_object('label', 'edge', 'value', ${j}.income, 'op', CASE WHEN ${AT_OR_OVER_EDGE(j)} THEN '>=' ELSE '<' END,
     'threshold', CAST(round(@edgeMultiple * 10000) AS INTEGER) * ${j}.standard * @months * ${j}.members / 10000.0, 'multiple', @edgeMultiple, 'standard', ${j}.standard, 'members', ${j}.members, 'months', @months)`;

