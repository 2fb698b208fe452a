/**
 * R-ALIVE 长期无生存迹象 as SQL (rules.md v2 "New rules", "Details decided"): every person enrolled at D in a programme
 * other than 临时救助 and 刚性支出 (and, with aliveExcludeInstitutional, other than 集中供养特困), not registered dead,
 * without one sign of life in the aliveMonths months to D. Set-oriented: one pass over the active enrollments for the
 * persons, then each sign an indexed lookup by person (grid_visit, medical_settlement, income_record, consent,
 * application, enrollment) or by the person's household (review), the search stopping at the first sign found. The
 * evidence (enrollments, latest signs, household) is read for the silent only, a few per cent (session 10: it was built
 * for every enrolled person). The persons and their latest sign depend on D alone and are made when the snapshot is
 * built (ALIVE_BASES, session 15); a run compares them with its window.
 */
import { activeAt, householdOf } from '../../store/sql-fragments.js';
import { enrollmentJson } from '../shared/sql.js';
import type { DerivedBase } from '../types.js';

/** The person's household, looked up where it is needed: for the persons the review sign is searched for, and the silent. */
const HOME = householdOf('p.person_id');

/** The first day of the window: month(D) − aliveMonths + 1 (§T "the N months to D"). */
const FROM = `date(@d, 'start of month', printf('-%d months', CAST(@aliveMonths AS INTEGER) - 1))`;

/**
 * Each kind of sign: its table, date column, and the condition on a person `p` (home: their household). In the order
 * the window is searched: the signs most persons have first (a grid visit, then the household's review), so that most
 * persons are settled after one or two lookups.
 */
const SIGNS: readonly { table: string; column: string; date: string; where: string }[] = [
  { table: 'grid_visit', column: 'visit_date', date: 'x.visit_date', where: "x.person_id = p.person_id AND x.outcome IN ('normal', 'changed')" },
  { table: 'review', column: 'review_date', date: 'x.review_date', where: `x.household_id = ${HOME}` },
  { table: 'income_record', column: 'period', date: "x.period || '-01'", where: "x.person_id = p.person_id AND x.source IN ('wage', 'business', 'unemployment') AND x.amount_cents > 0" },
  { table: 'medical_settlement', column: 'settle_date', date: 'x.settle_date', where: 'x.person_id = p.person_id' },
  { table: 'consent', column: 'signed_date', date: 'x.signed_date', where: 'x.person_id = p.person_id' },
  { table: 'application', column: 'applied_date', date: 'x.applied_date', where: 'x.person_id = p.person_id' },
  { table: 'enrollment', column: 'start_date', date: 'x.start_date', where: 'x.person_id = p.person_id' },
];

/** The latest sign of each kind at any date up to D, as (table, column, date, key). */
const latestOfEach = SIGNS.map(
  (s) =>
    `SELECT '${s.table}' AS tbl, '${s.column}' AS col, ${s.column === 'period' ? "max(x.period) || '-01'" : `max(${s.date})`} AS d, ${s.table === 'review' ? 'p.home' : 'p.person_id'} AS k
       FROM ${s.table} x WHERE ${s.where} AND ${s.column === 'period' ? 'x.period <= @month' : `${s.date} <= @d`}`,
).join('\n UNION ALL ');

/**
 * What R-ALIVE reads that depends on D alone (session 15): each person enrolled at D in a programme other than 临时救助
 * and 刚性支出, not registered dead, with their household, whether every such enrollment is 集中供养特困 (which
 * aliveExcludeInstitutional leaves out), and the date and kind of their latest sign of life of any kind up to D — "no
 * sign in the window" is "the latest sign before its first day". The build stores it; a run applies its window to it.
 */
export const ALIVE_BASES: readonly DerivedBase[] = [
  {
    table: 'derived_alive',
    columns: 'person_id, home, institutional_only, latest_date, latest_table, PRIMARY KEY (person_id)',
    sql: `
    WITH enrolled AS MATERIALIZED (
      SELECT e.person_id, min(e.program = 'tekun' AND coalesce(e.support_mode = '1', 0)) AS institutional_only
        FROM enrollment e
       WHERE ${activeAt('e', '@d')} AND e.program NOT IN ('linshi', 'rigid_expense') GROUP BY e.person_id),
    alive AS MATERIALIZED (
      SELECT p.person_id, ${HOME} AS home, p.institutional_only FROM enrolled p
       WHERE NOT EXISTS (SELECT 1 FROM death_record r WHERE r.person_id = p.person_id AND r.death_date <= @d)),
    -- the latest sign: its date and its kind (on one date, the first kind by name), as "date<US>table"
    signed AS MATERIALIZED (
      SELECT p.*, (SELECT l.d || char(31) || l.tbl FROM (${latestOfEach}) l WHERE l.d IS NOT NULL ORDER BY l.d DESC, l.tbl LIMIT 1) AS latest FROM alive p)
    SELECT p.person_id, p.home, p.institutional_only, substr(p.latest, 1, instr(p.latest, char(31)) - 1) AS latest_date,
      substr(p.latest, instr(p.latest, char(31)) + 1) AS latest_table FROM signed p`,
  },
];

export const sql = `
    WITH
    -- without a sign in the window: the latest sign up to D (any kind) before the window's first day, or none
    silent AS MATERIALIZED (
      SELECT p.person_id, p.home, p.latest_date, p.latest_table FROM derived_alive p
       WHERE NOT (@aliveExcludeInstitutional = 1 AND p.institutional_only) AND (p.latest_date IS NULL OR p.latest_date < ${FROM})),
    -- The evidence of the silent only: their enrollments (in enrollment_by_person's order, as the grouped pass over it
    -- gave them before), the latest sign (of D alone: derived_alive) and the last grid visit.
    evidence AS MATERIALIZED (
      SELECT p.*,
        (SELECT json_group_array(json(${enrollmentJson('e')})) FROM enrollment e
          WHERE e.person_id = p.person_id AND ${activeAt('e', '@d')} AND e.program NOT IN ('linshi', 'rigid_expense')
            AND NOT (@aliveExcludeInstitutional = 1 AND e.program = 'tekun' AND e.support_mode = '1')) AS enrollments,
        CASE WHEN p.latest_date IS NOT NULL THEN json_object('table', p.latest_table, 'column', CASE p.latest_table ${SIGNS.map((x) => `WHEN '${x.table}' THEN '${x.column}'`).join(' ')} END,
          'date', p.latest_date, 'key', CASE WHEN p.latest_table = 'review' THEN p.home ELSE p.person_id END) END AS latest,
        (SELECT json_object('visit_id', v.visit_id, 'visit_date', v.visit_date, 'outcome', v.outcome) FROM grid_visit v
          WHERE v.person_id = p.person_id AND v.visit_date <= @d ORDER BY v.visit_date DESC, v.visit_id DESC LIMIT 1) AS last_visit
        FROM silent p),
    judged AS (
      SELECT s.*, CASE WHEN s.last_visit ->> 'outcome' = 'not_found' THEN 'not_found' ELSE 'no_sign' END AS reason,
             CASE WHEN s.latest IS NULL THEN s.enrollments
                  ELSE json_insert(s.enrollments, '$[#]', json_object('table', s.latest ->> 'table', 'key', s.latest ->> 'key', 'values',
                         json_object(s.latest ->> 'column', CASE WHEN s.latest ->> 'column' = 'period' THEN substr(s.latest ->> 'date', 1, 7) ELSE s.latest ->> 'date' END))) END AS with_latest
        FROM evidence s)
    SELECT j.person_id AS subject_id, j.home AS household_id, h.division_code, NULL AS amount_cents,
      j.reason || ':' || coalesce(j.latest_date, 'none') AS facts,
      json_object(
        'rows', json(CASE WHEN j.last_visit IS NULL THEN j.with_latest
                          ELSE json_insert(j.with_latest, '$[#]', json_object('table', 'grid_visit', 'key', j.last_visit ->> 'visit_id', 'values',
                                 json_object('visit_date', j.last_visit ->> 'visit_date', 'outcome', j.last_visit ->> 'outcome'))) END),
        'comparisons', json_array(json_object('label', j.reason, 'value', j.latest_date, 'op', '<', 'threshold', ${FROM},
          'sign', j.latest ->> 'table', 'months', CAST(@aliveMonths AS INTEGER),
          'lastVisit', j.last_visit ->> 'visit_date', 'lastVisitOutcome', j.last_visit ->> 'outcome'))) AS evidence
    FROM judged j LEFT JOIN household h ON h.household_id = j.home`;
