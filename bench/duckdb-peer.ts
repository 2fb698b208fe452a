/**
 * The peer of the rule benchmark (issue 16): DuckDB, in memory, over the very CSV feeds a snapshot was built from, running
 * the six seed rules (R-DEATH, R-HUKOU-OUT, R-MUTEX, R-ATTR, R-EXIT, R-COVER) as plain SQL — two sets of statements over
 * one load of the feeds:
 * - `v2` (bench/duckdb-peer-v2.ts): rules.md v2 at the policy defaults, what the workstation runs — the like-for-like
 *   comparison;
 * - `v1` (PEER_SQL below): rules.md v1's naive semantics, the first peer, kept to compare with the earlier results and
 *   with the workstation at the `v1` preset.
 *
 * The SQL is written from rules.md, not from the workstation's statements, and is deliberately untuned: the obvious
 * joins and window functions an analyst would write, left to DuckDB's optimiser. It returns subjects and (for the rules
 * with money) amounts only — no evidence, no fingerprints — which is less work than the workstation does; the ratio in
 * bench/results/checks.json is read with that in mind (docs/performance.md).
 *
 * Used only by the benchmark and its test: `@duckdb/node-api` is a dev dependency, and nothing under src-main imports this.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { monthsEnding } from '../src-main/domain/calendar.js';
import { v2PeerSql, v2PeerTables } from './duckdb-peer-v2.js';

/** The tables the rules read, and how their CSV columns become typed columns (dates, cents, integers). */
const TABLES: Record<string, string> = {
  person: `* REPLACE (CAST(birth_date AS DATE) AS birth_date)`,
  household: `*`,
  household_member: `*`,
  enrollment: `* EXCLUDE (monthly_amount) REPLACE (CAST(start_date AS DATE) AS start_date, CAST(end_date AS DATE) AS end_date), ${cents('monthly_amount')}`,
  payment: `* EXCLUDE (amount), ${cents('amount')}`,
  death_record: `* REPLACE (CAST(death_date AS DATE) AS death_date)`,
  hukou_event: `* REPLACE (CAST(event_date AS DATE) AS event_date)`,
  disability_cert: `* REPLACE (CAST(disability_level AS INTEGER) AS disability_level, CAST(valid_from AS DATE) AS valid_from, CAST(valid_to AS DATE) AS valid_to)`,
  income_record: `* EXCLUDE (amount), ${cents('amount')}`,
  vehicle: `* EXCLUDE (value) REPLACE (CAST(registered_date AS DATE) AS registered_date, CAST(deregistered_date AS DATE) AS deregistered_date), ${cents('value')}`,
  real_estate: `* REPLACE (CAST(registered_date AS DATE) AS registered_date, CAST(deregistered_date AS DATE) AS deregistered_date)`,
  business_registration: `* EXCLUDE (registered_capital) REPLACE (CAST(established_date AS DATE) AS established_date), ${cents('registered_capital')}`,
  policy: `* EXCLUDE (standard_monthly) REPLACE (CAST(effective_from AS DATE) AS effective_from), ${cents('standard_monthly')}`,
  // schema v2's feeds (read by the v2 statements only)
  imprisonment: `* REPLACE (CAST(start_date AS DATE) AS start_date, CAST(end_date AS DATE) AS end_date)`,
  gradual_exit: `*`,
  school_enrollment: `* REPLACE (CAST(start_date AS DATE) AS start_date, CAST(expected_end_date AS DATE) AS expected_end_date)`,
  financial_asset: `* EXCLUDE (balance) REPLACE (CAST(as_of_date AS DATE) AS as_of_date), ${cents('balance')}`,
};

/**
 * Schema v2's feeds as empty tables, for feeds that were not delivered (rules.md §F: none of the six rules requires
 * them; absent, they remove no member, exempt nobody and cover no month).
 */
const ABSENT: Record<string, string> = {
  imprisonment: 'person_id VARCHAR, start_date DATE, end_date DATE, kind VARCHAR',
  gradual_exit: 'enrollment_id VARCHAR, household_id VARCHAR, start_period VARCHAR, end_period VARCHAR, pay_ratio VARCHAR, reason VARCHAR, approved_by VARCHAR',
  school_enrollment: 'person_id VARCHAR, school_level VARCHAR, full_time VARCHAR, start_date DATE, expected_end_date DATE, status VARCHAR',
  financial_asset: 'person_id VARCHAR, kind VARCHAR, institution VARCHAR, as_of_date DATE, balance_cents BIGINT',
};

/** Feed money is yuan with two decimals; rules.md compares money exactly, in integer cents. */
function cents(column: string): string {
  return `CAST(round(CAST(${column} AS DECIMAL(18, 2)) * 100) AS BIGINT) AS ${column}_cents`;
}

/** rules.md v1, as an analyst would write it. `:d` is D (a DATE), `:month` its YYYY-MM, `:from` the window's first month. */
const ACTIVE = (e: string) => `${e}.status = 'active' AND ${e}.start_date <= :d AND (${e}.end_date IS NULL OR ${e}.end_date >= :d)`;
const HELD = (x: string) => `${x}.registered_date <= :d AND (${x}.deregistered_date IS NULL OR ${x}.deregistered_date > :d)`;
const AGE = (birth: string) => `(year(:d) - year(${birth}) - CASE WHEN strftime(:d, '%m-%d') < strftime(${birth}, '%m-%d') THEN 1 ELSE 0 END)`;
const MONTH = (date: string) => `strftime(${date}, '%Y-%m')`;

/** Each rule: one statement returning `subject` and `amount` (cents; NULL for rules without money). */
export const PEER_SQL: Record<string, string> = {
  'R-DEATH': `
    WITH hit AS (
      SELECT DISTINCT e.person_id, r.death_date FROM enrollment e JOIN death_record r ON r.person_id = e.person_id
       WHERE ${ACTIVE('e')} AND r.death_date <= :d)
    SELECT hit.person_id AS subject,
      CAST(coalesce((SELECT sum(p.amount_cents) FROM payment p WHERE p.person_id = hit.person_id AND p.period > ${MONTH('hit.death_date')}), 0) AS BIGINT) AS amount
    FROM hit`,
  'R-HUKOU-OUT': `
    WITH latest AS (
      SELECT * FROM hukou_event WHERE event_date <= :d
      QUALIFY row_number() OVER (PARTITION BY person_id ORDER BY event_date DESC) = 1),
    hit AS (
      SELECT l.person_id, l.event_date FROM latest l
       WHERE l.event_type = 'move_out' AND NOT :inJ
         AND EXISTS (SELECT 1 FROM enrollment e WHERE e.person_id = l.person_id AND ${ACTIVE('e')}))
    SELECT hit.person_id AS subject,
      CAST(coalesce((SELECT sum(p.amount_cents) FROM payment p WHERE p.person_id = hit.person_id AND p.period > ${MONTH('hit.event_date')}), 0) AS BIGINT) AS amount
    FROM hit`,
  'R-MUTEX': `
    WITH pairs(a, b) AS (VALUES ('dibao', 'tekun'), ('tekun', 'disability_living'), ('child_difficulty', 'disability_living'), ('dibao', 'child_severe')),
    firing AS (
      SELECT DISTINCT x.person_id, pairs.a, pairs.b FROM enrollment x JOIN enrollment y ON y.person_id = x.person_id
        JOIN pairs ON pairs.a = x.program AND pairs.b = y.program
       WHERE ${ACTIVE('x')} AND ${ACTIVE('y')}),
    monthly AS (SELECT person_id, program, period, sum(amount_cents) AS cents FROM payment GROUP BY ALL),
    -- the smaller programme's payments in the months paid under both
    overlap AS (
      SELECT f.person_id, sum(least(pa.cents, pb.cents)) AS cents FROM firing f
        JOIN monthly pa ON pa.person_id = f.person_id AND pa.program = f.a
        JOIN monthly pb ON pb.person_id = f.person_id AND pb.program = f.b AND pb.period = pa.period
       GROUP BY f.person_id)
    SELECT s.person_id AS subject, CAST(coalesce(o.cents, 0) AS BIGINT) AS amount
    FROM (SELECT DISTINCT person_id FROM firing) s LEFT JOIN overlap o ON o.person_id = s.person_id`,
  'R-ATTR': `
    SELECT DISTINCT e.person_id AS subject, CAST(NULL AS BIGINT) AS amount
      FROM enrollment e JOIN person p ON p.person_id = e.person_id
      LEFT JOIN disability_cert c ON c.person_id = e.person_id AND c.valid_from <= :d AND (c.valid_to IS NULL OR c.valid_to >= :d)
     WHERE ${ACTIVE('e')} AND (
          (e.program IN ('child_difficulty', 'child_severe') AND ${AGE('p.birth_date')} >= 18)
       OR (e.program IN ('disability_living', 'disability_care') AND c.person_id IS NULL)
       OR (e.program = 'disability_care' AND c.disability_level IN (3, 4))
       OR (e.program = 'tekun' AND ${AGE('p.birth_date')} BETWEEN 18 AND 59 AND coalesce(c.disability_level, 9) > 2))`,
};

/** The household judgement of rules.md (income per capita, standard, asset test), shared by R-EXIT and R-COVER. */
const HOUSEHOLDS = `
  WITH programmes AS (
    SELECT m.household_id, bool_or(e.program = 'dibao') AS dibao, bool_or(e.program = 'dibao_edge') AS edge, bool_or(e.program = 'tekun') AS tekun
      FROM household_member m JOIN enrollment e ON e.person_id = m.person_id WHERE ${ACTIVE('e')} GROUP BY m.household_id),
  members AS (SELECT household_id, count(*) AS n FROM household_member GROUP BY household_id),
  income AS (
    SELECT m.household_id, sum(i.amount_cents) AS cents FROM household_member m JOIN income_record i ON i.person_id = m.person_id
     WHERE i.source <> 'provident_fund' AND i.period BETWEEN :from AND :month GROUP BY m.household_id),
  monthly_income AS (
    SELECT m.household_id, i.period, sum(i.amount_cents) AS cents FROM household_member m JOIN income_record i ON i.person_id = m.person_id
     WHERE i.source <> 'provident_fund' AND i.period BETWEEN :from AND :month GROUP BY m.household_id, i.period),
  standard AS (
    SELECT h.household_id, p.standard_monthly_cents AS cents FROM household h JOIN policy p
      ON p.program = 'dibao' AND starts_with(h.division_code, p.division_prefix) AND p.effective_from <= :d
    QUALIFY row_number() OVER (PARTITION BY h.household_id ORDER BY length(p.division_prefix) DESC, p.effective_from DESC) = 1),
  -- every asset that fails the test, with the date from which it did (a second home: the later of the first two)
  homes AS (
    SELECT m.household_id, r.registered_date, row_number() OVER (PARTITION BY m.household_id ORDER BY r.registered_date, r.property_id) AS k
      FROM household_member m JOIN real_estate r ON r.person_id = m.person_id WHERE r.usage = 'residential' AND ${HELD('r')}),
  failing AS (
    SELECT m.household_id, v.registered_date AS since FROM household_member m JOIN vehicle v ON v.person_id = m.person_id
     WHERE v.vehicle_type IN ('car', 'truck') AND ${HELD('v')}
    UNION ALL
    SELECT m.household_id, b.established_date FROM household_member m JOIN business_registration b ON b.person_id = m.person_id
     WHERE b.status = 'active' AND b.established_date <= :d
    UNION ALL
    SELECT m.household_id, r.registered_date FROM household_member m JOIN real_estate r ON r.person_id = m.person_id
     WHERE r.usage = 'commercial' AND ${HELD('r')}
    UNION ALL
    SELECT household_id, registered_date FROM homes WHERE k = 2),
  assets AS (SELECT household_id, min(since) AS since FROM failing GROUP BY household_id),
  judged AS (
    SELECT p.*, coalesce(i.cents, 0) > s.cents * 12 * mb.n AS exceeds, a.household_id IS NOT NULL AS fails_assets, a.since AS asset_since,
      s.cents * mb.n AS monthly_line
      FROM programmes p JOIN members mb USING (household_id) JOIN standard s USING (household_id)
      LEFT JOIN income i USING (household_id) LEFT JOIN assets a USING (household_id))`;

PEER_SQL['R-EXIT'] = `${HOUSEHOLDS},
  hit AS (
    SELECT j.household_id,
      -- the first month the condition held: the failing asset's month, or the first month whose income passed the line
      least(
        CASE WHEN j.fails_assets THEN ${MONTH('j.asset_since')} END,
        CASE WHEN j.exceeds THEN coalesce((SELECT min(mi.period) FROM monthly_income mi WHERE mi.household_id = j.household_id AND mi.cents > j.monthly_line), :from) END) AS since
      FROM judged j WHERE j.dibao AND (j.exceeds OR j.fails_assets))
  SELECT hit.household_id AS subject,
    CAST(coalesce((SELECT sum(p.amount_cents) FROM household_member m JOIN payment p ON p.person_id = m.person_id
      WHERE m.household_id = hit.household_id AND p.program = 'dibao' AND p.period > hit.since), 0) AS BIGINT) AS amount
  FROM hit`;

PEER_SQL['R-COVER'] = `${HOUSEHOLDS}
  SELECT household_id AS subject, CAST(NULL AS BIGINT) AS amount FROM judged WHERE edge AND NOT dibao AND NOT tekun AND NOT exceeds AND NOT fails_assets`;

export interface PeerFinding {
  subject: string;
  amountCents: number | null;
}

/** One set of statements: the tables it reads and one statement per rule. */
export interface PeerQueries {
  name: string;
  tables: readonly string[];
  sql: Record<string, string>;
}

/** rules.md v1's six rules (the first peer). */
export const PEER_V1: PeerQueries = {
  name: 'v1',
  tables: ['person', 'household', 'household_member', 'enrollment', 'payment', 'death_record', 'hukou_event', 'disability_cert', 'income_record', 'vehicle', 'real_estate', 'business_registration', 'policy'],
  sql: PEER_SQL,
};

/** rules.md v2's six rules at the policy defaults (bench/duckdb-peer-v2.ts): the like-for-like peer. */
export const PEER_V2: PeerQueries = { name: 'v2', tables: v2PeerTables(), sql: v2PeerSql() };

export interface PeerSetRun {
  /** Loading the tables this set reads (each table's load, summed: the sets share one load). */
  loadMs: number;
  /** The six statements, one after the other, timed together (the load excluded). */
  queriesMs: number;
  perRule: Record<string, { ms: number; findings: number }>;
  findings: Record<string, PeerFinding[]>;
}

export interface PeerRun {
  /** The whole load: every table some set reads, once. */
  loadMs: number;
  /** Rows and load time per table. */
  rows: Record<string, number>;
  tableLoadMs: Record<string, number>;
  sets: Record<string, PeerSetRun>;
}

/**
 * Loads `feedsDir`'s CSV files into one in-memory DuckDB (the tables the sets read, once) and runs each set's
 * statements at D = asOf, set after set, in the order given.
 */
export async function runPeer(feedsDir: string, asOf: string, jurisdiction: readonly string[], sets: readonly PeerQueries[] = [PEER_V2, PEER_V1]): Promise<PeerRun> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    const rows: Record<string, number> = {};
    const tableLoadMs: Record<string, number> = {};
    const tables = Object.keys(TABLES).filter((t) => sets.some((s) => s.tables.includes(t)));
    for (const table of tables) {
      const t = performance.now();
      const file = join(feedsDir, `${table}.csv`);
      if (!existsSync(file) && ABSENT[table]) await db.run(`CREATE TABLE ${table} (${ABSENT[table]})`);
      // all_varchar: IDs, codes and division codes stay text (auto-detection would make some of them numbers).
      else await db.run(`CREATE TABLE ${table} AS SELECT ${TABLES[table]} FROM read_csv(${literal(file)}, header = true, all_varchar = true)`);
      tableLoadMs[table] = performance.now() - t;
      rows[table] = Number((await db.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0]![0]);
    }
    const loadMs = Object.values(tableLoadMs).reduce((a, b) => a + b, 0);

    const month = asOf.slice(0, 7);
    const fromMonth = monthsEnding(month, 12)[0]!;
    const bind = (sql: string) =>
      sql
        .replaceAll(':inJ', `(${jurisdiction.map((j) => `starts_with(coalesce(l.to_division, ''), ${literal(j)})`).join(' OR ')})`)
        .replaceAll(':d', `DATE ${literal(asOf)}`)
        .replaceAll(':month', literal(month))
        .replaceAll(':from', literal(fromMonth));

    const runs: Record<string, PeerSetRun> = {};
    for (const set of sets) {
      const findings: Record<string, PeerFinding[]> = {};
      const perRule: PeerSetRun['perRule'] = {};
      const t = performance.now();
      for (const [rule, sql] of Object.entries(set.sql)) {
        const s = performance.now();
        const result = await db.runAndReadAll(bind(sql));
        perRule[rule] = { ms: Math.round(performance.now() - s), findings: result.currentRowCount };
        findings[rule] = result.getRows().map(([subject, amount]) => ({ subject: String(subject), amountCents: amount === null ? null : Number(amount) }));
      }
      const queriesMs = Math.round(performance.now() - t);
      runs[set.name] = { loadMs: Math.round(set.tables.reduce((n, table) => n + (tableLoadMs[table] ?? 0), 0)), queriesMs, perRule, findings };
    }
    return {
      loadMs: Math.round(loadMs),
      rows,
      tableLoadMs: Object.fromEntries(Object.entries(tableLoadMs).map(([k, v]) => [k, Math.round(v)])),
      sets: runs,
    };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

function literal(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
