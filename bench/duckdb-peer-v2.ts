/**
 * The like-for-like peer of the rule benchmark (issue 16): the six seed rules (R-DEATH, R-HUKOU-OUT, R-MUTEX, R-ATTR,
 * R-EXIT, R-COVER) written from rules.md **v2** at the policy defaults of their parameters — what the workstation runs
 * when nobody set a value — as plain DuckDB SQL over the CSV feeds (bench/duckdb-peer.ts loads them).
 *
 * Written from rules.md (v2 §T, §A, §M, §$, "Income", "Assets", "Changed v1 rules", "Details decided"), not from the
 * workstation's SQLite statements: the obvious joins, window functions and VALUES lists an analyst would write, left to
 * DuckDB's optimiser, one self-contained statement per rule (R-EXIT and R-COVER each judge the households: DuckDB gets
 * no shared prelude). Where rules.md leaves a point open, the workstation's behaviour (src-main/rules/…) is the
 * reference; each such point is marked "Workstation's reading" below. Each statement returns `subject` and `amount`
 * (cents; NULL where the rule has no money or the finding has none) — no evidence, facts or fingerprints.
 *
 * The parameter values are rules.md v2's policy defaults, written here (V2_POLICY_DEFAULTS); test/integration/
 * duckdb-peer.test.ts holds them equal to the workstation's catalogue and the findings equal to the workstation's.
 */

/** The parameters of the six rules that change what they find, at rules.md v2's policy defaults. */
export interface V2PeerParameters {
  /** R-MUTEX: the exclusive pairs. */
  exclusivePairs: readonly (readonly [string, string])[];
  /** R-ATTR. */
  childMaxAge: number;
  careMaxLevel: number;
  tekunWorkingAgeFrom: number;
  tekunWorkingAgeTo: number;
  childStudyExemptCategories: readonly string[];
  tekunUnableToWorkCerts: readonly { type: string; levels: readonly number[] }[];
  /** R-EXIT, R-COVER: counted income. A dated exclusion holds in the months from … to (inclusive). */
  incomeMonths: number;
  excludedSources: readonly (string | { source: string; from: string; to: string | null })[];
  employmentDeductionRatio: number;
  /** R-EXIT, R-COVER: the asset test (money in cents; null: no limit). */
  vehicleExemptValue: number | null;
  businessExemptCapital: number | null;
  residentialLimit: number;
  financialAssetMonths: number | null;
  /** R-EXIT: 渐退. */
  gradualExitMaxMonths: number;
}

/** rules.md v2's policy defaults (§E lists the v1 preset beside them). */
export const V2_POLICY_DEFAULTS: V2PeerParameters = {
  exclusivePairs: [
    ['dibao', 'tekun'],
    ['tekun', 'disability_living'],
    ['child_difficulty', 'disability_living'],
    ['dibao', 'child_severe'],
    ['tekun', 'disability_care'],
  ],
  childMaxAge: 17,
  careMaxLevel: 2,
  tekunWorkingAgeFrom: 18,
  tekunWorkingAgeTo: 59,
  childStudyExemptCategories: ['orphan', 'unsupported', 'hiv'],
  tekunUnableToWorkCerts: [
    { type: '5', levels: [1, 2, 3] },
    { type: '6', levels: [1, 2, 3] },
    { type: '4', levels: [1, 2] },
    { type: '1', levels: [1] },
  ],
  incomeMonths: 12,
  excludedSources: [
    'provident_fund',
    'disability_subsidy',
    'orphan_allowance',
    'elderly_allowance',
    'special_care',
    'award',
    'family_planning',
    'work_injury_care',
    { source: 'basic_pension', from: '2021-07-01', to: '2025-12-31' },
  ],
  employmentDeductionRatio: 0,
  vehicleExemptValue: null,
  businessExemptCapital: null,
  residentialLimit: 1,
  financialAssetMonths: null,
  gradualExitMaxMonths: 12,
};

/** The feeds the v2 statements read (financial_asset only when a financial-asset limit is set). */
export function v2PeerTables(p: V2PeerParameters = V2_POLICY_DEFAULTS): string[] {
  return [
    'person',
    'household',
    'household_member',
    'enrollment',
    'payment',
    'death_record',
    'hukou_event',
    'disability_cert',
    'income_record',
    'vehicle',
    'real_estate',
    'business_registration',
    'policy',
    'imprisonment',
    'gradual_exit',
    'school_enrollment',
    ...(p.financialAssetMonths === null ? [] : ['financial_asset']),
  ];
}

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
const list = (xs: readonly string[]) => `(${xs.map(q).join(', ')})`;

// ---- rules.md v2 shared definitions (`:d` is D, a DATE; `:month` its YYYY-MM) ----

/** §T valid at D (enrollments, certificates, schools): start ≤ D and (end empty or end ≥ D). An enrollment is active when valid at D and `status = active`. */
const ACTIVE = (e: string) => `${e}.status = 'active' AND ${e}.start_date <= :d AND (${e}.end_date IS NULL OR ${e}.end_date >= :d)`;
const VALID_CERT = (c: string) => `${c}.valid_from <= :d AND (${c}.valid_to IS NULL OR ${c}.valid_to >= :d)`;
/** §T held at D (vehicles, property, imprisonment): start ≤ D and (end empty or end > D) — released or deregistered on D is no longer held. */
const HELD = (x: string, start = 'registered_date', end = 'deregistered_date') => `${x}.${start} <= :d AND (${x}.${end} IS NULL OR ${x}.${end} > :d)`;
/** "Details decided": a school enrollment valid at D. */
const STUDYING = (s: string) =>
  `${s}.full_time = '1' AND ${s}.status = 'enrolled' AND ${s}.start_date <= :d AND ${s}.expected_end_date IS NOT NULL AND ${s}.expected_end_date >= :d`;
/** §A: whole years from the birth date to `at`; the birthday is reached on its month-day (02-29 on 03-01 in common years). */
const AGE = (birth: string, at: string) => `(year(${at}) - year(${birth}) - CASE WHEN strftime(${at}, '%m-%d') < strftime(${birth}, '%m-%d') THEN 1 ELSE 0 END)`;
const MONTH = (date: string) => `strftime(${date}, '%Y-%m')`;
/** The first month of "the N months to D" (§T). */
const MONTHS_TO_D_FROM = (n: number) => `strftime(date_trunc('month', :d) - INTERVAL ${n - 1} MONTH, '%Y-%m')`;
/** The payments of one person after a month (R-DEATH, R-HUKOU-OUT, R-ATTR's `imprisoned`). */
const PAID_AFTER = (person: string, month: string, program?: string) =>
  `coalesce((SELECT sum(y.amount_cents) FROM payment y WHERE y.person_id = ${person} AND y.period > ${month}${program ? ` AND y.program = ${q(program)}` : ''}), 0)`;

/**
 * §M: the members of each household at D — its household_member rows less persons in prison or 强制隔离戒毒 held at D
 * (`detention` does not remove; dead members stay).
 */
const MEMBERS = `
  members AS (
    SELECT m.household_id, m.person_id FROM household_member m
     WHERE NOT EXISTS (SELECT 1 FROM imprisonment i WHERE i.person_id = m.person_id AND i.kind IN ('prison', 'rehab') AND ${HELD('i', 'start_date', 'end_date')}))`;

/**
 * Household economic verification (rules.md v2 "Income" and "Assets", R-EXIT and R-COVER), for the households that have
 * 低保 (household coverage), 低保边缘 or 特困 active at D through a member: members, S, counted income over the window,
 * the first month over the monthly line, the asset test and the 渐退 span covering D's month. Ends with `judged`.
 */
function householdJudgement(p: V2PeerParameters): string {
  const exclusions = p.excludedSources
    .map((x) => (typeof x === 'string' ? `(${q(x)}, '0000-00', '9999-99')` : `(${q(x.source)}, ${q(x.from.slice(0, 7))}, ${q(x.to ? x.to.slice(0, 7) : '9999-99')})`))
    .join(', ');
  // §$: a decimal parameter as the integer p × 10⁴; the deduction's ratio × S rounded half-up to the cent.
  const ratio10k = Math.round(p.employmentDeductionRatio * 10_000);
  const financial =
    p.financialAssetMonths === null
      ? ''
      : `
    UNION ALL
    -- financial assets over financialAssetMonths × S × members: per (person, kind, institution) the latest row on or
    -- before D, negatives as 0, accumulated in (as_of_date, person, kind, institution) order; the row that took the total
    -- over the limit dates the failure
    SELECT household_id, min(as_of_date) FROM (
      SELECT l.household_id, l.as_of_date, sum(l.balance) OVER (PARTITION BY l.household_id ORDER BY l.as_of_date, l.person_id, l.kind, l.institution ROWS UNBOUNDED PRECEDING) AS running,
        ${p.financialAssetMonths} * s.s * n.n AS limit_cents
        FROM (SELECT m.household_id, f.person_id, f.kind, f.institution, f.as_of_date, greatest(f.balance_cents, 0) AS balance
                FROM judged_members m JOIN financial_asset f ON f.person_id = m.person_id WHERE f.as_of_date <= :d
              QUALIFY row_number() OVER (PARTITION BY m.household_id, f.person_id, f.kind, f.institution ORDER BY f.as_of_date DESC) = 1) l
        JOIN standard s USING (household_id) JOIN size n USING (household_id))
     WHERE running > limit_cents GROUP BY household_id`;
  return `
  WITH ${MEMBERS},
  -- "H has programme X active at D": some member of H has it. Only a household-coverage 低保 (coverage household or
  -- empty) makes a 低保 household; a 单人保 is R-SINGLE's.
  programmes AS (
    SELECT m.household_id,
      bool_or(e.program = 'dibao' AND coalesce(e.coverage, 'household') <> 'single') AS dibao,
      bool_or(e.program = 'dibao_edge') AS edge,
      bool_or(e.program = 'tekun') AS tekun
      FROM members m JOIN enrollment e ON e.person_id = m.person_id
     WHERE e.program IN ('dibao', 'dibao_edge', 'tekun') AND ${ACTIVE('e')}
     GROUP BY m.household_id
    HAVING bool_or(e.program = 'dibao' AND coalesce(e.coverage, 'household') <> 'single') OR bool_or(e.program = 'dibao_edge')),
  judged_members AS (SELECT m.* FROM members m SEMI JOIN programmes g ON g.household_id = m.household_id),
  size AS (SELECT household_id, count(*) AS n FROM judged_members GROUP BY household_id),
  -- S (§$): the dibao policy rows for the household's urban/rural class or both, the longest division prefix, the latest
  -- effective_from ≤ D, a row for the household's class before one for both.
  standard AS (
    SELECT h.household_id, x.standard_monthly_cents AS s
      FROM programmes g JOIN household h ON h.household_id = g.household_id
      JOIN policy x ON x.program = 'dibao' AND starts_with(h.division_code, x.division_prefix) AND x.effective_from <= :d
                   AND (x.urban_rural IS NULL OR x.urban_rural = h.urban_rural)
    QUALIFY row_number() OVER (PARTITION BY h.household_id ORDER BY length(x.division_prefix) DESC, x.effective_from DESC, x.urban_rural IS NULL) = 1),
  -- Counted income: the members' income lines for periods in the window whose source is not excluded in that month…
  excluded(source, from_month, to_month) AS (VALUES ${exclusions}),
  member_months AS (
    SELECT m.household_id, i.person_id, i.period, sum(i.amount_cents) AS cents,
      sum(CASE WHEN i.source = 'wage' THEN i.amount_cents ELSE 0 END) AS wage
      FROM judged_members m JOIN income_record i ON i.person_id = m.person_id
     WHERE i.period BETWEEN ${MONTHS_TO_D_FROM(p.incomeMonths)} AND :month
       AND NOT EXISTS (SELECT 1 FROM excluded x WHERE x.source = i.source AND i.period BETWEEN x.from_month AND x.to_month)
     GROUP BY ALL),
  -- …less the employment deduction of each member-month with counted wage > 0: max(0, min(wage, ratio × S)).
  household_months AS (
    SELECT mm.household_id, mm.period,
      sum(mm.cents - CASE WHEN mm.wage > 0 THEN greatest(0, least(mm.wage, (${ratio10k} * s.s + 5000) // 10000)) ELSE 0 END) AS counted
      FROM member_months mm JOIN standard s USING (household_id) GROUP BY ALL),
  income AS (
    SELECT hm.household_id, sum(hm.counted) AS counted,
      -- the first month of the window whose counted income passed S × members
      min(hm.period) FILTER (WHERE hm.counted > s.s * n.n) AS first_over
      FROM household_months hm JOIN standard s USING (household_id) JOIN size n USING (household_id) GROUP BY hm.household_id),
  -- The asset test: every asset that fails it, with the date it failed from.
  homes AS (
    SELECT m.household_id, r.registered_date, row_number() OVER (PARTITION BY m.household_id ORDER BY r.registered_date, r.property_id) AS k
      FROM judged_members m JOIN real_estate r ON r.person_id = m.person_id WHERE r.usage = 'residential' AND ${HELD('r')}),
  failing AS (
    -- a car or truck held at D, unless exempt by its reason${p.vehicleExemptValue === null ? '' : ' or its value'}
    SELECT m.household_id, v.registered_date AS since FROM judged_members m JOIN vehicle v ON v.person_id = m.person_id
     WHERE v.vehicle_type IN ('car', 'truck') AND ${HELD('v')} AND coalesce(v.exempt_reason, '') NOT IN ('medical', 'rehabilitation', 'livelihood')
       ${p.vehicleExemptValue === null ? '' : `AND NOT coalesce(v.value_cents <= ${p.vehicleExemptValue}, false)`}
    UNION ALL
    -- legal representative or shareholder of an active business established on or before D
    SELECT m.household_id, b.established_date FROM judged_members m JOIN business_registration b ON b.person_id = m.person_id
     WHERE b.role IN ('legal_rep', 'shareholder') AND b.status = 'active' AND b.established_date <= :d
       ${p.businessExemptCapital === null ? '' : `AND NOT coalesce(b.registered_capital_cents <= ${p.businessExemptCapital}, false)`}
    UNION ALL
    -- any commercial property held at D
    SELECT m.household_id, r.registered_date FROM judged_members m JOIN real_estate r ON r.person_id = m.person_id
     WHERE r.usage = 'commercial' AND ${HELD('r')}
    UNION ALL
    -- more than residentialLimit homes: from the registration of the one over the limit (registration order; the
    -- property id breaks a tie — workstation's reading)
    SELECT household_id, registered_date FROM homes WHERE k = ${p.residentialLimit + 1}${financial}),
  assets AS (SELECT household_id, min(since) AS since FROM failing GROUP BY household_id),
  -- 渐退: a gradual_exit row covering D's month of one of H's dibao enrollments — workstation's reading: the dibao
  -- enrollments of H's members, whatever their coverage — and the longest such span in months, counted inclusively.
  gradual AS (
    SELECT m.household_id,
      max(datediff('month', CAST(g.start_period || '-01' AS DATE), CAST(g.end_period || '-01' AS DATE)) + 1) AS span
      FROM judged_members m JOIN enrollment e ON e.person_id = m.person_id AND e.program = 'dibao'
      JOIN gradual_exit g ON g.enrollment_id = e.enrollment_id
     WHERE g.start_period <= :month AND :month <= g.end_period
     GROUP BY m.household_id),
  judged AS (
    -- Workstation's reading: a household without a 低保 standard at D (no policy row applies) is not judged on income
    -- (its comparisons are unknown), but still on assets.
    SELECT g.household_id, g.dibao, g.edge, g.tekun,
      coalesce(i.counted, 0) > s.s * ${p.incomeMonths} * coalesce(n.n, 0) AS exceeds, i.first_over,
      a.household_id IS NOT NULL AS fails_assets, a.since AS asset_since, gr.span AS gradual_span
      FROM programmes g SEMI JOIN household h ON h.household_id = g.household_id
      LEFT JOIN standard s ON s.household_id = g.household_id LEFT JOIN size n ON n.household_id = g.household_id
      LEFT JOIN income i ON i.household_id = g.household_id LEFT JOIN assets a ON a.household_id = g.household_id
      LEFT JOIN gradual gr ON gr.household_id = g.household_id)`;
}

/** The six statements, for the parameters given (by default rules.md v2's policy defaults). */
export function v2PeerSql(p: V2PeerParameters = V2_POLICY_DEFAULTS): Record<string, string> {
  const pairs = p.exclusivePairs.map(([a, b]) => `(${q(a)}, ${q(b)})`).join(', ');
  const unable = p.tekunUnableToWorkCerts.flatMap((c) => c.levels.map((l) => `(${q(c.type)}, ${l})`)).join(', ');
  const judgement = householdJudgement(p);
  const windowFrom = MONTHS_TO_D_FROM(p.incomeMonths);
  return {
    // Unchanged from v1.
    'R-DEATH': `
      WITH hit AS (
        SELECT DISTINCT e.person_id, r.death_date FROM enrollment e JOIN death_record r ON r.person_id = e.person_id
         WHERE ${ACTIVE('e')} AND r.death_date <= :d)
      SELECT person_id AS subject, ${PAID_AFTER('hit.person_id', MONTH('hit.death_date'))} AS amount FROM hit`,

    // Unchanged from v1. Workstation's reading: of two events on the latest date, `move_out` is the latest (event_type
    // descending); a move to an unknown division is outside J.
    'R-HUKOU-OUT': `
      WITH latest AS (
        SELECT * FROM hukou_event WHERE event_date <= :d
        QUALIFY row_number() OVER (PARTITION BY person_id ORDER BY event_date DESC, event_type DESC) = 1),
      hit AS (
        SELECT l.person_id, l.event_date FROM latest l
         WHERE l.event_type = 'move_out' AND NOT :inJ AND EXISTS (SELECT 1 FROM enrollment e WHERE e.person_id = l.person_id AND ${ACTIVE('e')}))
      SELECT person_id AS subject, ${PAID_AFTER('hit.person_id', MONTH('hit.event_date'))} AS amount FROM hit`,

    // v2: the five default pairs and the work-injury reason; amounts per (programme, month), each counted once.
    'R-MUTEX': `
      WITH active AS (SELECT * FROM enrollment e WHERE ${ACTIVE('e')}),
      pairs(a, b) AS (VALUES ${pairs}),
      pair_hits AS (
        SELECT DISTINCT x.person_id, pairs.a, pairs.b FROM active x JOIN pairs ON pairs.a = x.program
          JOIN active y ON y.person_id = x.person_id AND y.program = pairs.b AND y.enrollment_id <> x.enrollment_id),
      -- 工伤生活护理费 in the 12 months to D ("income > 0": a row with amount > 0)
      injury_income AS (
        SELECT DISTINCT person_id, period FROM income_record
         WHERE source = 'work_injury_care' AND amount_cents > 0 AND period BETWEEN ${MONTHS_TO_D_FROM(12)} AND :month),
      injury_hits AS (
        SELECT DISTINCT x.person_id, x.program FROM active x
         WHERE x.program IN ('disability_care', 'disability_living') AND x.person_id IN (SELECT person_id FROM injury_income)),
      subjects AS (SELECT person_id FROM pair_hits UNION SELECT person_id FROM injury_hits),
      -- payments summed per (programme, month) first, over the whole payment history
      monthly AS (
        SELECT y.person_id, y.program, y.period, sum(y.amount_cents) AS cents FROM payment y SEMI JOIN subjects s ON s.person_id = y.person_id
         GROUP BY ALL),
      -- each month paid under both programmes of a firing pair: the smaller (programme, month), on a tie the
      -- alphabetically first programme's
      pair_months AS (
        SELECT h.person_id, pa.period, least(pa.cents, pb.cents) AS cents,
          CASE WHEN pa.cents < pb.cents THEN h.a WHEN pb.cents < pa.cents THEN h.b ELSE least(h.a, h.b) END AS program
          FROM pair_hits h JOIN monthly pa ON pa.person_id = h.person_id AND pa.program = h.a
          JOIN monthly pb ON pb.person_id = h.person_id AND pb.program = h.b AND pb.period = pa.period),
      -- the work-injury reason: the subsidy's (programme, month) in the months with such income
      injury_months AS (
        SELECT w.person_id, y.period, y.cents, w.program FROM injury_hits w
          JOIN injury_income i ON i.person_id = w.person_id
          JOIN monthly y ON y.person_id = w.person_id AND y.program = w.program AND y.period = i.period),
      at_risk AS (
        SELECT DISTINCT person_id, program, period, cents FROM (SELECT * FROM pair_months UNION ALL SELECT * FROM injury_months))
      SELECT s.person_id AS subject, CAST(coalesce(sum(r.cents), 0) AS BIGINT) AS amount
        FROM subjects s LEFT JOIN at_risk r ON r.person_id = s.person_id GROUP BY s.person_id`,

    // v2: the study exemption of the child programmes, the 特困 certificate list and the schooling of a 特困 admitted as
    // a minor, and the new reason `imprisoned` (the only one with money).
    'R-ATTR': `
      WITH enrolled AS (
        SELECT e.person_id, e.program, e.category, ${AGE('p.birth_date', ':d')} AS age, ${AGE('p.birth_date', 'e.start_date')} AS age_at_start
          FROM enrollment e JOIN person p ON p.person_id = e.person_id
         WHERE e.program IN ('child_difficulty', 'child_severe', 'disability_living', 'disability_care', 'tekun') AND ${ACTIVE('e')}),
      certs AS (SELECT * FROM disability_cert c WHERE ${VALID_CERT('c')}),
      unable_to_work(disability_type, disability_level) AS (VALUES ${unable}),
      studying AS (
        SELECT person_id, bool_or(school_level IN ('compulsory', 'high_school', 'vocational')) AS secondary
          FROM school_enrollment s WHERE ${STUDYING('s')} GROUP BY person_id),
      -- in prison at D (held: released on D is out); 特困 stops from the month after the (earliest) imprisonment began
      in_prison AS (
        SELECT person_id, min(start_date) AS since FROM imprisonment i WHERE i.kind = 'prison' AND ${HELD('i', 'start_date', 'end_date')} GROUP BY person_id),
      reasons AS (
        SELECT e.person_id, 'child_age' AS reason FROM enrolled e
         WHERE e.program IN ('child_difficulty', 'child_severe') AND e.age > ${p.childMaxAge}
           AND NOT (coalesce(e.category, '') IN ${list(p.childStudyExemptCategories)} AND e.person_id IN (SELECT person_id FROM studying))
        UNION ALL
        SELECT e.person_id, 'no_cert' FROM enrolled e
         WHERE e.program IN ('disability_living', 'disability_care') AND NOT EXISTS (SELECT 1 FROM certs c WHERE c.person_id = e.person_id)
        UNION ALL
        -- §R: any valid certificate above the care subsidy's levels, even beside a level 1–2 one
        SELECT e.person_id, 'care_level' FROM enrolled e
         WHERE e.program = 'disability_care' AND EXISTS (SELECT 1 FROM certs c WHERE c.person_id = e.person_id AND CAST(c.disability_level AS INTEGER) > ${p.careMaxLevel})
        UNION ALL
        SELECT e.person_id, 'tekun_able' FROM enrolled e
         WHERE e.program = 'tekun' AND e.age BETWEEN ${p.tekunWorkingAgeFrom} AND ${p.tekunWorkingAgeTo}
           AND NOT EXISTS (SELECT 1 FROM certs c JOIN unable_to_work u ON u.disability_type = c.disability_type AND u.disability_level = CAST(c.disability_level AS INTEGER)
                            WHERE c.person_id = e.person_id)
           AND NOT (e.age_at_start < 18 AND e.person_id IN (SELECT person_id FROM studying WHERE secondary))
        UNION ALL
        SELECT e.person_id, 'imprisoned' FROM enrolled e WHERE e.program = 'tekun' AND e.person_id IN (SELECT person_id FROM in_prison)),
      persons AS (SELECT person_id, bool_or(reason = 'imprisoned') AS imprisoned FROM reasons GROUP BY person_id)
      SELECT x.person_id AS subject,
        CASE WHEN x.imprisoned THEN ${PAID_AFTER('x.person_id', MONTH('j.since'), 'tekun')} END AS amount
        FROM persons x LEFT JOIN in_prison j ON j.person_id = x.person_id`,

    // v2: household-coverage 低保, counted income, the v2 asset test and 渐退.
    'R-EXIT': `${judgement},
      candidates AS (
        SELECT j.*, j.exceeds AND j.gradual_span IS NULL AS by_income, coalesce(j.gradual_span > ${p.gradualExitMaxMonths}, false) AS too_long
          FROM judged j WHERE j.dibao),
      hit AS (
        -- since: the earlier of the failing asset's month and (income) the first month over the line, else the
        -- window's first month; a finding on the 渐退 span alone has no amount
        SELECT c.*, least(CASE WHEN c.fails_assets THEN ${MONTH('c.asset_since')} END, CASE WHEN c.by_income THEN coalesce(c.first_over, ${windowFrom}) END) AS since
          FROM candidates c WHERE c.by_income OR c.fails_assets OR c.too_long),
      -- household-coverage 低保 paid to the members after \`since\`, outside any 渐退 period of the paid enrollment.
      -- Workstation's reading: "H's payments" are those of its members at D (§M).
      at_risk AS (
        SELECT h.household_id, sum(y.amount_cents) AS cents
          FROM hit h JOIN members m ON m.household_id = h.household_id
          JOIN payment y ON y.person_id = m.person_id AND y.program = 'dibao' AND y.period > h.since
          LEFT JOIN enrollment e ON e.enrollment_id = y.enrollment_id
         WHERE coalesce(e.coverage, 'household') <> 'single'
           AND NOT EXISTS (SELECT 1 FROM gradual_exit g WHERE g.enrollment_id = y.enrollment_id AND y.period BETWEEN g.start_period AND g.end_period)
         GROUP BY h.household_id)
      SELECT h.household_id AS subject, CASE WHEN h.by_income OR h.fails_assets THEN CAST(coalesce(r.cents, 0) AS BIGINT) END AS amount
        FROM hit h LEFT JOIN at_risk r ON r.household_id = h.household_id`,

    // v2: counted income and the v2 asset test; only a household-coverage 低保 (or 特困) blocks it.
    'R-COVER': `${judgement}
      SELECT household_id AS subject, CAST(NULL AS BIGINT) AS amount FROM judged
       WHERE edge AND NOT dibao AND NOT tekun AND NOT exceeds AND NOT fails_assets`,
  };
}
