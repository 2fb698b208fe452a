/**
 * The built-in rules of rules.md as set-oriented SQL over a snapshot: one statement per rule, indexed joins, no
 * per-row JavaScript. Every statement returns the same columns:
 *
 *   subject_id     person_id, household_id, or a record reference ("enrollment:EN…")
 *   household_id   the household the finding belongs to (for division and profile links)
 *   division_code  where that household lives (scope filtering, reports)
 *   amount_cents   amount at risk from `payment`, or NULL where no money is involved
 *   payments       (rules with money) JSON [[payment_id, cents], …]: the payments behind amount_cents, so that money at
 *                  risk can be counted once per payment across rules (a payment after death is both 死亡未停保 and
 *                  死亡后发放)
 *   facts          the facts that identify *this* anomaly (part of the finding's fingerprint)
 *   evidence       JSON: { rows: [{ table, key, values }], comparisons: [{ label, value, op, threshold }] }
 *
 * Parameters are bound by name: @d (as_of), @month (its YYYY-MM), @from (first month of the income window),
 * @jurisdiction (JSON array of prefixes) and each rule's own parameters (JSON where they are lists).
 */
import { FEED_TABLES, snapshotColumnOf } from '../../domain/exchange/feed-schema.js';

/** Enrollments active at D (rules.md). */
const ACTIVE = `SELECT * FROM enrollment WHERE status = 'active' AND start_date <= @d AND (end_date IS NULL OR end_date >= @d)`;
const AGE = (birth: string) =>
  `(CAST(substr(@d, 1, 4) AS INTEGER) - CAST(substr(${birth}, 1, 4) AS INTEGER) - (substr(@d, 6, 5) < substr(${birth}, 6, 5)))`;
const HELD = (x: string) => `${x}.registered_date <= @d AND (${x}.deregistered_date IS NULL OR ${x}.deregistered_date > @d)`;
const ENROLLMENT_JSON = (e: string) =>
  `json_object('table', 'enrollment', 'key', ${e}.enrollment_id, 'values', json_object('program', ${e}.program, 'status', ${e}.status, 'start_date', ${e}.start_date, 'end_date', ${e}.end_date, 'monthly_amount_cents', ${e}.monthly_amount_cents))`;
/** The household a person belongs to (the first, when a data-quality problem lists them twice). */
const HOUSEHOLD_OF = (person: string) => `(SELECT min(m.household_id) FROM household_member m WHERE m.person_id = ${person})`;

const PERSON_RULES: Record<string, string> = {
  'R-DEATH': `
    WITH hit AS (
      SELECT a.person_id, r.death_date, r.source, min(a.household_id) AS household_id, json_group_array(json(${ENROLLMENT_JSON('a')})) AS enrollments
        FROM (${ACTIVE}) a JOIN death_record r ON r.person_id = a.person_id
       WHERE r.death_date <= @d GROUP BY a.person_id)
    SELECT hit.person_id AS subject_id, hit.household_id, h.division_code,
      (SELECT coalesce(sum(y.amount_cents), 0) FROM payment y WHERE y.person_id = hit.person_id AND y.period > substr(hit.death_date, 1, 7)) AS amount_cents,
      (SELECT json_group_array(json_array(y.payment_id, y.amount_cents)) FROM payment y WHERE y.person_id = hit.person_id AND y.period > substr(hit.death_date, 1, 7)) AS payments,
      hit.death_date AS facts,
      json_object(
        'rows', json_insert(hit.enrollments, '$[#]', json_object('table', 'death_record', 'key', hit.person_id, 'values', json_object('death_date', hit.death_date, 'source', hit.source))),
        'comparisons', json_array(json_object('label', 'death_date', 'value', hit.death_date, 'op', '<=', 'threshold', @d))) AS evidence
    FROM hit LEFT JOIN household h ON h.household_id = hit.household_id`,

  'R-HUKOU-OUT': `
    WITH act AS (${ACTIVE}),
    latest AS (
      SELECT he.*, row_number() OVER (PARTITION BY he.person_id ORDER BY he.event_date DESC, he.event_type DESC) AS rn
        FROM hukou_event he WHERE he.event_date <= @d AND he.person_id IN (SELECT person_id FROM act)),
    hit AS (
      SELECT l.person_id, l.event_date, l.from_division, l.to_division FROM latest l
       WHERE l.rn = 1 AND l.event_type = 'move_out'
         AND NOT EXISTS (SELECT 1 FROM json_each(@jurisdiction) j WHERE substr(coalesce(l.to_division, ''), 1, length(j.value)) = j.value))
    SELECT hit.person_id AS subject_id, a.household_id, h.division_code,
      (SELECT coalesce(sum(y.amount_cents), 0) FROM payment y WHERE y.person_id = hit.person_id AND y.period > substr(hit.event_date, 1, 7)) AS amount_cents,
      (SELECT json_group_array(json_array(y.payment_id, y.amount_cents)) FROM payment y WHERE y.person_id = hit.person_id AND y.period > substr(hit.event_date, 1, 7)) AS payments,
      hit.event_date || '>' || coalesce(hit.to_division, '') AS facts,
      json_object(
        'rows', json_array(
          json_object('table', 'hukou_event', 'key', hit.person_id || '|' || hit.event_date, 'values', json_object('event_type', 'move_out', 'event_date', hit.event_date, 'from_division', hit.from_division, 'to_division', hit.to_division)),
          json(${ENROLLMENT_JSON('a')})),
        'comparisons', json_array(json_object('label', 'to_division', 'value', hit.to_division, 'op', 'outside', 'threshold', @jurisdiction))) AS evidence
    FROM hit JOIN act a ON a.person_id = hit.person_id AND a.enrollment_id = (SELECT min(enrollment_id) FROM act x WHERE x.person_id = hit.person_id)
    LEFT JOIN household h ON h.household_id = a.household_id`,

  'R-MUTEX': `
    WITH act AS (${ACTIVE}),
    pairs AS (SELECT json_extract(p.value, '$[0]') AS a, json_extract(p.value, '$[1]') AS b FROM json_each(@pairs) p),
    hit AS (
      SELECT x.person_id, x.enrollment_id AS ex, y.enrollment_id AS ey, x.program AS px, y.program AS py, x.household_id,
             row_number() OVER (PARTITION BY x.person_id ORDER BY x.program, y.program) AS rn
        FROM act x JOIN act y ON y.person_id = x.person_id AND y.enrollment_id <> x.enrollment_id
        JOIN pairs ON (pairs.a = x.program AND pairs.b = y.program)),
    paid AS (
      SELECT person_id, program, period, sum(amount_cents) AS cents FROM payment
       WHERE person_id IN (SELECT person_id FROM hit) GROUP BY person_id, program, period),
    -- months paid under both programmes; in each, the smaller of the two amounts is what should not have been paid
    overlap AS (
      SELECT hit.person_id, sum(min(p1.cents, p2.cents)) AS cents FROM hit
        JOIN paid p1 ON p1.person_id = hit.person_id AND p1.program = hit.px
        JOIN paid p2 ON p2.person_id = hit.person_id AND p2.program = hit.py AND p2.period = p1.period
       WHERE hit.rn = 1 GROUP BY hit.person_id)
    SELECT hit.person_id AS subject_id, hit.household_id, h.division_code, coalesce(o.cents, 0) AS amount_cents,
      -- the payments behind the amount: in each month paid under both, those of the programme paid less
      (SELECT json_group_array(json_array(y.payment_id, y.amount_cents)) FROM paid p1
          JOIN paid p2 ON p2.person_id = p1.person_id AND p2.program = hit.py AND p2.period = p1.period
          JOIN payment y ON y.person_id = p1.person_id AND y.period = p1.period AND y.program = CASE WHEN p1.cents <= p2.cents THEN hit.px ELSE hit.py END
         WHERE p1.person_id = hit.person_id AND p1.program = hit.px) AS payments,
      hit.px || '+' || hit.py AS facts,
      json_object(
        'rows', (SELECT json_group_array(json(${ENROLLMENT_JSON('e')})) FROM enrollment e WHERE e.enrollment_id IN (hit.ex, hit.ey)),
        'comparisons', json_array(json_object('label', 'programs', 'value', hit.px || ' + ' || hit.py, 'op', 'exclusive', 'threshold', @pairs))) AS evidence
    FROM hit LEFT JOIN overlap o ON o.person_id = hit.person_id LEFT JOIN household h ON h.household_id = hit.household_id
    WHERE hit.rn = 1`,

  'R-ATTR': `
    WITH act AS (${ACTIVE}),
    cand AS (
      SELECT a.*, p.birth_date, ${AGE('p.birth_date')} AS age, c.disability_level AS level, c.valid_from, c.valid_to,
        (c.person_id IS NOT NULL AND c.valid_from <= @d AND (c.valid_to IS NULL OR c.valid_to >= @d)) AS cert_valid
        FROM act a JOIN person p ON p.person_id = a.person_id LEFT JOIN disability_cert c ON c.person_id = a.person_id),
    -- Why, as a code the explanation names in words (services/evidence/explain-evidence.ts); the figures ride along.
    bad AS (
      SELECT *, CASE
          WHEN program IN ('child_difficulty', 'child_severe') AND age > @childMaxAge THEN 'child_age'
          WHEN program IN ('disability_living', 'disability_care') AND NOT cert_valid THEN 'no_certificate'
          WHEN program = 'disability_care' AND level > @careMaxLevel THEN 'care_level'
          WHEN program = 'tekun' AND age BETWEEN @tekunWorkingAgeFrom AND @tekunWorkingAgeTo AND NOT (cert_valid AND level <= 2) THEN 'tekun_working_age'
        END AS reason
        FROM cand)
    SELECT bad.person_id AS subject_id, min(bad.household_id) AS household_id, h.division_code, NULL AS amount_cents,
      group_concat(DISTINCT bad.program ORDER BY bad.program) AS facts,
      json_object(
        'rows', json_group_array(json(${ENROLLMENT_JSON('bad')})),
        'comparisons', json_group_array(json_object('label', bad.program, 'value', bad.reason, 'op', 'contradicts', 'threshold', bad.program, 'age', bad.age, 'level', bad.level)),
        'person', json_object('birth_date', max(bad.birth_date), 'age', max(bad.age), 'certificate_level', max(bad.level), 'valid_from', max(bad.valid_from), 'valid_to', max(bad.valid_to))) AS evidence
    FROM bad LEFT JOIN household h ON h.household_id = bad.household_id
    WHERE bad.reason IS NOT NULL GROUP BY bad.person_id`,

  'F-AFTER-DEATH': `
    SELECT y.person_id AS subject_id, ${HOUSEHOLD_OF('y.person_id')} AS household_id,
      (SELECT division_code FROM household WHERE household_id = ${HOUSEHOLD_OF('y.person_id')}) AS division_code,
      sum(y.amount_cents) AS amount_cents, json_group_array(json_array(y.payment_id, y.amount_cents)) AS payments, r.death_date AS facts,
      json_object('rows', json_group_array(json_object('table', 'payment', 'key', y.payment_id, 'values', json_object('program', y.program, 'period', y.period, 'amount_cents', y.amount_cents))),
        'comparisons', json_array(json_object('label', 'period', 'value', max(y.period), 'op', '>', 'threshold', substr(r.death_date, 1, 7)))) AS evidence
    FROM payment y JOIN death_record r ON r.person_id = y.person_id
    WHERE y.period > substr(r.death_date, 1, 7) GROUP BY y.person_id`,

  'F-AFTER-EXIT': `
    SELECT y.person_id AS subject_id, ${HOUSEHOLD_OF('y.person_id')} AS household_id,
      (SELECT division_code FROM household WHERE household_id = ${HOUSEHOLD_OF('y.person_id')}) AS division_code,
      -- identity: the enrollments paid outside their period (not the payments, which grow every month)
      sum(y.amount_cents) AS amount_cents, json_group_array(json_array(y.payment_id, y.amount_cents)) AS payments,
      group_concat(DISTINCT coalesce(y.enrollment_id, '-') ORDER BY coalesce(y.enrollment_id, '-')) AS facts,
      json_object('rows', json_group_array(json_object('table', 'payment', 'key', y.payment_id, 'values',
          json_object('program', y.program, 'period', y.period, 'amount_cents', y.amount_cents, 'enrollment_id', y.enrollment_id, 'start_date', e.start_date, 'end_date', e.end_date))),
        'comparisons', json_array(json_object('label', 'period', 'value', max(y.period), 'op', 'outside', 'threshold', 'enrollment period'))) AS evidence
    FROM payment y LEFT JOIN enrollment e ON e.enrollment_id = y.enrollment_id
    WHERE e.enrollment_id IS NULL OR y.period < substr(e.start_date, 1, 7) OR (e.end_date IS NOT NULL AND y.period > substr(e.end_date, 1, 7))
    GROUP BY y.person_id`,

  'F-DUPLICATE': `
    WITH groups AS (
      SELECT person_id, program, period, count(*) AS n, sum(amount_cents) - (SELECT amount_cents FROM payment f WHERE f.person_id = g.person_id AND f.program = g.program AND f.period = g.period ORDER BY payment_id LIMIT 1) AS extra,
             group_concat(payment_id, ',') AS ids
        FROM payment g GROUP BY person_id, program, period HAVING count(*) > 1)
    SELECT g.person_id AS subject_id, ${HOUSEHOLD_OF('g.person_id')} AS household_id,
      (SELECT division_code FROM household WHERE household_id = ${HOUSEHOLD_OF('g.person_id')}) AS division_code,
      sum(g.extra) AS amount_cents,
      -- the payments behind the amount: every one after the first of its person, programme and month
      (SELECT json_group_array(json_array(x.payment_id, x.amount_cents)) FROM (
         SELECT payment_id, amount_cents, person_id, row_number() OVER (PARTITION BY person_id, program, period ORDER BY payment_id) AS rn FROM payment WHERE person_id = g.person_id) x
        WHERE x.rn > 1) AS payments,
      group_concat(DISTINCT g.program ORDER BY g.program) AS facts,
      json_object('rows', json_group_array(json_object('table', 'payment', 'key', g.ids, 'values', json_object('program', g.program, 'period', g.period, 'payments', g.n))),
        'comparisons', json_array(json_object('label', 'payments per period', 'value', max(g.n), 'op', '>', 'threshold', 1))) AS evidence
    FROM groups g GROUP BY g.person_id`,

  'F-AMOUNT': `
    SELECT y.person_id AS subject_id, ${HOUSEHOLD_OF('y.person_id')} AS household_id,
      (SELECT division_code FROM household WHERE household_id = ${HOUSEHOLD_OF('y.person_id')}) AS division_code,
      sum(max(y.amount_cents - e.monthly_amount_cents, 0)) AS amount_cents,
      json_group_array(json_array(y.payment_id, max(y.amount_cents - e.monthly_amount_cents, 0))) AS payments,
      group_concat(DISTINCT y.enrollment_id ORDER BY y.enrollment_id) AS facts,
      json_object('rows', json_group_array(json_object('table', 'payment', 'key', y.payment_id, 'values', json_object('program', y.program, 'period', y.period, 'amount_cents', y.amount_cents))),
        'comparisons', json_group_array(json_object('label', 'amount_cents', 'value', y.amount_cents, 'op', '<>', 'threshold', e.monthly_amount_cents))) AS evidence
    FROM payment y JOIN enrollment e ON e.enrollment_id = y.enrollment_id
    WHERE y.amount_cents <> e.monthly_amount_cents GROUP BY y.person_id`,
};

/**
 * Household economic verification. The candidate households (those with an active 低保 or 低保边缘 member) are few, so
 * income and assets are computed for them alone; the standard is the longest-prefix 低保 policy effective at D.
 */
const HOUSEHOLD_BASE = `
  WITH act AS (${ACTIVE}),
  cand AS (
    SELECT m.household_id,
      max(a.program = 'dibao') AS has_dibao, max(a.program = 'dibao_edge') AS has_edge, max(a.program = 'tekun') AS has_tekun
      FROM act a JOIN household_member m ON m.person_id = a.person_id
     WHERE a.program IN ('dibao', 'dibao_edge', 'tekun') GROUP BY m.household_id),
  hh AS (
    SELECT c.*, h.division_code,
      (SELECT count(*) FROM household_member m WHERE m.household_id = c.household_id) AS members,
      (SELECT x.standard_monthly_cents FROM policy x WHERE x.program = 'dibao' AND substr(h.division_code, 1, length(x.division_prefix)) = x.division_prefix
          AND x.effective_from <= @d ORDER BY length(x.division_prefix) DESC, x.effective_from DESC LIMIT 1) AS standard,
      (SELECT coalesce(sum(i.amount_cents), 0) FROM household_member m JOIN income_record i ON i.person_id = m.person_id
        WHERE m.household_id = c.household_id AND i.source <> 'provident_fund' AND i.period BETWEEN @from AND @month) AS income
      FROM cand c JOIN household h ON h.household_id = c.household_id),
  -- CROSS JOIN fixes the join order: from the few candidate households' members to their assets by index,
  -- instead of scanning every vehicle, business and property in the district.
  members AS (SELECT m.household_id, m.person_id FROM hh CROSS JOIN household_member m ON m.household_id = hh.household_id),
  assets AS (
    SELECT m.household_id, 'vehicle' AS kind, v.plate AS key, v.vehicle_type AS detail, v.registered_date AS since
      FROM members m CROSS JOIN vehicle v ON v.person_id = m.person_id
     WHERE v.vehicle_type IN ('car', 'truck') AND ${HELD('v')}
    UNION ALL
    SELECT m.household_id, 'business', b.entity_id, b.role, b.established_date
      FROM members m CROSS JOIN business_registration b ON b.person_id = m.person_id
     WHERE b.status = 'active' AND b.established_date <= @d
    UNION ALL
    SELECT m.household_id, 'real_estate', r.property_id, r.usage, r.registered_date
      FROM members m CROSS JOIN real_estate r ON r.person_id = m.person_id
     WHERE r.usage IN ('residential', 'commercial') AND ${HELD('r')}),
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

const HOUSEHOLD_EVIDENCE = `json_object(
    'rows', json_insert(coalesce(j.asset_rows, '[]'), '$[#]', json_object('table', 'income_record', 'key', j.household_id, 'values',
      json_object('months', @from || '..' || @month, 'income_cents', j.income, 'members', j.members, 'standard_monthly_cents', j.standard))),
    'comparisons', json_array(json_object('label', 'household income over the window', 'value', j.income, 'op', CASE WHEN j.exceeds THEN '>' ELSE '<=' END, 'threshold', j.threshold)))`;

/**
 * R-EXIT and R-COVER judge the same candidate households: the judgement is built once per run into a temporary
 * (in-memory) table that both read. See SnapshotDb.runRule.
 */
export const HOUSEHOLD_JUDGEMENT = { table: 'household_judgement', sql: `${HOUSEHOLD_BASE} SELECT * FROM judged` };

const HOUSEHOLD_RULES: Record<string, string> = {
  'R-EXIT': `WITH judged AS (SELECT * FROM temp.household_judgement),
  hit AS (
    SELECT j.*,
      -- the first month the condition held: the earlier of the asset that made the household fail and (when income is
      -- over the line) the first month whose household income passed the monthly line, else the window's first month
      min(
        CASE WHEN j.fails_assets THEN substr(j.asset_since, 1, 7) ELSE '9999-99' END,
        CASE WHEN j.exceeds THEN coalesce(
          (SELECT min(i.period) FROM (SELECT i.period, sum(i.amount_cents) AS total FROM household_member m JOIN income_record i ON i.person_id = m.person_id
              WHERE m.household_id = j.household_id AND i.source <> 'provident_fund' AND i.period BETWEEN @from AND @month GROUP BY i.period) i
            WHERE i.total > j.standard * j.members), @from) ELSE '9999-99' END) AS since_month
      FROM judged j WHERE j.has_dibao AND (j.exceeds OR j.fails_assets))
  SELECT j.household_id AS subject_id, j.household_id, j.division_code,
    (SELECT coalesce(sum(y.amount_cents), 0) FROM payment y JOIN household_member m ON m.person_id = y.person_id
      WHERE m.household_id = j.household_id AND y.program = 'dibao' AND y.period > j.since_month) AS amount_cents,
    (SELECT json_group_array(json_array(y.payment_id, y.amount_cents)) FROM payment y JOIN household_member m ON m.person_id = y.person_id
      WHERE m.household_id = j.household_id AND y.program = 'dibao' AND y.period > j.since_month) AS payments,
    CASE WHEN j.fails_assets THEN 'assets:' || j.asset_since ELSE 'income' END AS facts,
    json_set(${HOUSEHOLD_EVIDENCE}, '$.since', j.since_month) AS evidence
  FROM hit j`,

  'R-COVER': `
  SELECT j.household_id AS subject_id, j.household_id, j.division_code, NULL AS amount_cents, 'cover' AS facts, ${HOUSEHOLD_EVIDENCE} AS evidence
    FROM temp.household_judgement j WHERE j.has_edge AND NOT j.has_dibao AND NOT j.has_tekun AND NOT j.exceeds AND NOT j.fails_assets`,
};

/**
 * Coded columns checked against their dictionaries (Q-DICT), straight from the feed schema — v1's columns: this SQL
 * must run on a v1 snapshot too (the v2 tables' codes join Q-DICT with the v2 rules, which know what was delivered).
 */
function dictionaryChecks(): string {
  const parts: string[] = [];
  for (const t of FEED_TABLES) {
    if (t.since) continue;
    const key = t.key.map((k) => t.columns.find((c) => c.key === k)).map((c) => snapshotColumnOf(c!)).join(" || '|' || ");
    for (const c of t.columns) {
      if (c.kind !== 'code' || !c.dictionary || c.since) continue;
      const column = snapshotColumnOf(c);
      const codes = Object.keys(c.dictionary).map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');
      const has = (k: string) => t.columns.some((x) => x.key === k);
      const household = has('household_id') ? 'household_id' : has('person_id') ? HOUSEHOLD_OF(`${t.table}.person_id`) : 'NULL';
      parts.push(
        `SELECT '${t.table}:' || ${key} || '.${column}' AS subject_id, ${household} AS household_id, '${t.table}.${column} = ' || CAST(${column} AS TEXT) AS detail
           FROM ${t.table} WHERE ${column} IS NOT NULL AND CAST(${column} AS TEXT) NOT IN (${codes})`,
      );
    }
  }
  return parts.join('\n UNION ALL ');
}

const RECORD = (sql: string) => `
  WITH q AS (${sql})
  SELECT q.subject_id, q.household_id, h.division_code, NULL AS amount_cents, q.detail AS facts,
    json_object('rows', json_array(json_object('table', substr(q.subject_id, 1, instr(q.subject_id, ':') - 1), 'key', substr(q.subject_id, instr(q.subject_id, ':') + 1), 'values', json_object())),
      'comparisons', json_array(json_object('label', 'check', 'value', q.detail, 'op', 'fails', 'threshold', NULL))) AS evidence
  FROM q LEFT JOIN household h ON h.household_id = q.household_id`;

const QUALITY_RULES: Record<string, string> = {
  'Q-ID-CONSISTENCY': `
    SELECT p.person_id AS subject_id, ${HOUSEHOLD_OF('p.person_id')} AS household_id,
      (SELECT division_code FROM household WHERE household_id = ${HOUSEHOLD_OF('p.person_id')}) AS division_code, NULL AS amount_cents,
      p.birth_date || '/' || p.gender AS facts,
      json_object('rows', json_array(json_object('table', 'person', 'key', p.person_id, 'values', json_object('birth_date', p.birth_date, 'gender', p.gender))),
        'comparisons', json_array(
          json_object('label', 'birth_date', 'value', p.birth_date, 'op', '=', 'threshold', substr(p.person_id, 7, 4) || '-' || substr(p.person_id, 11, 2) || '-' || substr(p.person_id, 13, 2)),
          json_object('label', 'gender', 'value', p.gender, 'op', '=', 'threshold', CASE WHEN CAST(substr(p.person_id, 17, 1) AS INTEGER) % 2 = 1 THEN '1' ELSE '2' END))) AS evidence
    FROM person p
    WHERE p.birth_date <> substr(p.person_id, 7, 4) || '-' || substr(p.person_id, 11, 2) || '-' || substr(p.person_id, 13, 2)
       OR p.gender <> CASE WHEN CAST(substr(p.person_id, 17, 1) AS INTEGER) % 2 = 1 THEN '1' ELSE '2' END`,
  'Q-DUP-HOUSEHOLD': `
    SELECT m.person_id AS subject_id, min(m.household_id) AS household_id, min(h.division_code) AS division_code, NULL AS amount_cents,
      group_concat(m.household_id, ',') AS facts,
      json_object('rows', json_group_array(json_object('table', 'household_member', 'key', m.household_id || '|' || m.person_id, 'values', json_object('relation', m.relation))),
        'comparisons', json_array(json_object('label', 'households', 'value', count(*), 'op', '>', 'threshold', 1))) AS evidence
    FROM household_member m LEFT JOIN household h ON h.household_id = m.household_id
    WHERE m.person_id IN (SELECT person_id FROM household_member GROUP BY person_id HAVING count(*) > 1)
    GROUP BY m.person_id`,
  'Q-ORPHAN': RECORD(`
    SELECT 'household_member:' || m.household_id || '|' || m.person_id AS subject_id, m.household_id, 'person or household missing' AS detail
      FROM household_member m LEFT JOIN person p ON p.person_id = m.person_id LEFT JOIN household h ON h.household_id = m.household_id
     WHERE p.person_id IS NULL OR h.household_id IS NULL
    UNION ALL
    SELECT 'enrollment:' || e.enrollment_id, e.household_id, 'person or household missing' FROM enrollment e
      LEFT JOIN person p ON p.person_id = e.person_id LEFT JOIN household h ON h.household_id = e.household_id
     WHERE p.person_id IS NULL OR (e.household_id IS NOT NULL AND h.household_id IS NULL)
    UNION ALL
    SELECT 'payment:' || y.payment_id, NULL, 'person missing' FROM payment y
     WHERE y.person_id IN (SELECT d.person_id FROM (SELECT DISTINCT person_id FROM payment) d WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.person_id = d.person_id))`),
  'Q-DICT': RECORD(dictionaryChecks()),
  'Q-DATES': RECORD(`
    SELECT 'enrollment:' || enrollment_id AS subject_id, household_id, 'ends before it starts' AS detail FROM enrollment WHERE end_date < start_date
    UNION ALL
    SELECT 'payment:' || y.payment_id, e.household_id, 'paid for a month before the enrollment started' FROM payment y
      JOIN enrollment e ON e.enrollment_id = y.enrollment_id WHERE y.period < substr(e.start_date, 1, 7)
    UNION ALL
    SELECT 'death_record:' || r.person_id, ${HOUSEHOLD_OF('r.person_id')}, 'death before birth' FROM death_record r JOIN person p USING (person_id) WHERE r.death_date < p.birth_date
    UNION ALL
    SELECT 'grid_visit:' || visit_id, ${HOUSEHOLD_OF('person_id')}, 'in the future of the snapshot date' FROM grid_visit WHERE visit_date > @d
    UNION ALL
    SELECT 'payment:' || payment_id, ${HOUSEHOLD_OF('person_id')}, 'paid after the snapshot date' FROM payment WHERE paid_date > @d
    UNION ALL
    SELECT 'death_record:' || person_id, ${HOUSEHOLD_OF('person_id')}, 'in the future of the snapshot date' FROM death_record WHERE death_date > @d`),
};

export const RULE_SQL: Readonly<Record<string, string>> = { ...PERSON_RULES, ...HOUSEHOLD_RULES, ...QUALITY_RULES };

/** Rules that read a shared temporary table, and the statement that builds it. */
export const RULE_PRELUDES: Readonly<Record<string, typeof HOUSEHOLD_JUDGEMENT>> = { 'R-EXIT': HOUSEHOLD_JUDGEMENT, 'R-COVER': HOUSEHOLD_JUDGEMENT };

export interface RuleRow {
  subject_id: string;
  household_id: string | null;
  division_code: string | null;
  amount_cents: number | null;
  /** Rules with money: JSON [[payment_id, cents], …], the payments behind amount_cents (what each contributes). */
  payments?: string | null;
  facts: string | null;
  evidence: string;
}
