/**
 * R-LINSHI 临时救助异常 as SQL (rules.md v2 "New rules"). An award is one `linshi` enrollment (amount = Σ its payments,
 * dated by its start, in its household, else the person's) or a `linshi` payment without an enrollment (an award of its
 * own, dated by `paid_date`, without a cause). Awards dated in the 12 months to D are judged: `repeat` (same non-empty
 * cause as an earlier award of the household within 365 days), `cap` (over 临时救助上限 = S × linshiCapMonths × members),
 * `split` (a group of awards each within the 乡镇审批额度 L, starting at the first ungrouped award and taking the later ones
 * within linshiSplitDays of its start, whose sum exceeds L). The money at risk is allocated to the payments behind it,
 * the latest first (what went beyond a limit is what was paid last), so that it is counted once across rules.
 */
import { householdOf, householdStandardAt, membersAt } from '../../store/sql-fragments.js';
import type { DerivedBase } from '../types.js';

/** Awards before a date's (date, id) order: `a` before `b`. */
const before = (a: string, b: string) => `(${a}.award_date < ${b}.award_date OR (${a}.award_date = ${b}.award_date AND ${a}.award_id < ${b}.award_id))`;
const days = (from: string, to: string) => `(julianday(${to}) - julianday(${from}))`;

/**
 * The awards (`award`) and the payments behind each (`award_payment`): what R-LINSHI judges, as CTEs for its bases.
 */
const AWARDS = `
    -- The linshi payments without an enrollment, in one pass over payment (no index leads with the programme: the
    -- awards and their payments each scanned the whole table for them before).
    loose AS MATERIALIZED (
      SELECT y.payment_id, y.person_id, y.period, y.amount_cents, y.paid_date FROM payment y
       WHERE y.program = 'linshi' AND NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.enrollment_id = y.enrollment_id)),
    award_payment AS MATERIALIZED (
      SELECT y.enrollment_id AS award_id, y.payment_id, y.period, y.amount_cents
        FROM payment y JOIN enrollment e ON e.enrollment_id = y.enrollment_id WHERE e.program = 'linshi'
      UNION ALL
      SELECT l.payment_id, l.payment_id, l.period, l.amount_cents FROM loose l),
    award AS MATERIALIZED (
      SELECT e.enrollment_id AS award_id, 'enrollment' AS source, e.start_date AS award_date, e.person_id,
             coalesce(nullif(e.household_id, ''), ${householdOf('e.person_id')}) AS household_id, nullif(e.cause, '') AS cause,
             (SELECT coalesce(sum(p.amount_cents), 0) FROM award_payment p WHERE p.award_id = e.enrollment_id) AS amount_cents,
             NULL AS period
        FROM enrollment e WHERE e.program = 'linshi'
      UNION ALL
      SELECT l.payment_id, 'payment', coalesce(nullif(l.paid_date, ''), l.period || '-01'), l.person_id, ${householdOf('l.person_id')}, NULL,
             coalesce(l.amount_cents, 0), l.period
        FROM loose l)`;

/**
 * What R-LINSHI reads that depends on D alone (session 16): every award with its amount and the payments behind it, and
 * the awards of the 12 months to D with their household's division, standard and members at D. The build stores them;
 * a run applies the cap, the township limit and the split window. (Finding the payments without an enrollment scanned
 * the whole payment table at every run.)
 */
export const LINSHI_BASES: readonly DerivedBase[] = [
  {
    // every award, whenever dated: a repeat looks back 365 days from an award of the year
    table: 'derived_linshi_award',
    // (an award's ID is its enrollment's or its payment's: unique with its source whatever the feeds hold)
    columns: 'award_id, source, award_date, person_id, household_id, cause, amount_cents, period, PRIMARY KEY (award_id, source)',
    sql: `WITH ${AWARDS} SELECT award_id, source, award_date, person_id, household_id, cause, amount_cents, period FROM award`,
  },
  {
    // (a payment is behind one award at most: its enrollment's, or its own when it has none)
    table: 'derived_linshi_payment',
    columns: 'award_id, payment_id, period, amount_cents, PRIMARY KEY (award_id, payment_id)',
    sql: `WITH ${AWARDS} SELECT award_id, payment_id, period, amount_cents FROM award_payment`,
  },
  {
    table: 'derived_linshi_priced',
    columns: 'award_id, source, award_date, person_id, household_id, cause, amount_cents, period, division_code, standard, members, PRIMARY KEY (award_id, source)',
    sql: `WITH award AS (SELECT * FROM derived_linshi_award),
    -- looked up once (inlined, the cap and the limit asked for them again)
    priced AS MATERIALIZED (
      SELECT a.*, h.division_code, ${householdStandardAt('h.division_code', 'h.urban_rural', '@d')} AS standard,
             ${membersAt('a.household_id', '@d')} AS members
        FROM award a JOIN household h ON h.household_id = a.household_id
       WHERE a.award_date >= date(@d, 'start of month', '-11 months') AND a.award_date <= @d)
    SELECT award_id, source, award_date, person_id, household_id, cause, amount_cents, period, division_code, standard, members FROM priced`,
  },
];

export const sql = `
    WITH
    -- materialized: a repeat looks an award's household and cause up in it (SQLite indexes it for that)
    award AS MATERIALIZED (SELECT * FROM derived_linshi_award),
    award_payment AS (SELECT * FROM derived_linshi_payment),
    considered AS MATERIALIZED (
      SELECT b.*, b.standard * CAST(@linshiCapMonths AS INTEGER) * b.members AS cap, b.standard * CAST(@linshiTownshipLimitMonths AS INTEGER) * b.members AS lim
        FROM derived_linshi_priced b),
    judged AS MATERIALIZED (
      SELECT c.*, r.award_id AS previous_id, r.award_date AS previous_date,
             CASE WHEN r.award_id IS NOT NULL THEN 'repeat'
                  WHEN c.standard IS NOT NULL AND c.members > 0 AND c.amount_cents > c.cap THEN 'cap' END AS reason
        FROM considered c
        LEFT JOIN award r ON r.award_id = (
          SELECT a.award_id FROM award a WHERE a.household_id = c.household_id AND a.cause = c.cause AND ${before('a', 'c')}
             AND ${days('a.award_date', 'c.award_date')} <= 365 ORDER BY a.award_date DESC, a.award_id DESC LIMIT 1)),
    candidate AS MATERIALIZED (
      SELECT j.*, row_number() OVER (PARTITION BY j.household_id ORDER BY j.award_date, j.award_id) AS rn
        FROM judged j WHERE j.reason IS NULL AND j.standard IS NOT NULL AND j.members > 0 AND j.amount_cents <= j.lim),
    grouped(household_id, rn, award_id, start_rn, start_date) AS (
      SELECT household_id, rn, award_id, rn, award_date FROM candidate WHERE rn = 1
      UNION ALL
      SELECT c.household_id, c.rn, c.award_id,
             CASE WHEN ${days('g.start_date', 'c.award_date')} <= CAST(@linshiSplitDays AS INTEGER) THEN g.start_rn ELSE c.rn END,
             CASE WHEN ${days('g.start_date', 'c.award_date')} <= CAST(@linshiSplitDays AS INTEGER) THEN g.start_date ELSE c.award_date END
        FROM grouped g JOIN candidate c ON c.household_id = g.household_id AND c.rn = g.rn + 1),
    split AS MATERIALIZED (
      SELECT g.household_id, g.start_rn, count(*) AS awards, sum(c.amount_cents) AS total, max(c.lim) AS lim, max(c.standard) AS standard,
             max(c.members) AS members, min(c.award_date) AS first_date, max(c.award_date) AS last_date,
             json_group_array(c.award_id) AS award_ids
        FROM grouped g JOIN candidate c ON c.household_id = g.household_id AND c.rn = g.rn
       GROUP BY g.household_id, g.start_rn HAVING count(*) >= 2 AND sum(c.amount_cents) > max(c.lim)),
    -- What is at risk, unit by unit (an award over the cap or repeated, a split group), and the awards behind each.
    unit AS (
      SELECT household_id, 'award:' || award_id AS unit_id, award_id, reason,
             CASE reason WHEN 'repeat' THEN amount_cents ELSE amount_cents - cap END AS excess
        FROM judged WHERE reason IS NOT NULL
      UNION ALL
      SELECT s.household_id, 'group:' || s.start_rn, g.award_id, 'split', s.total - s.lim
        FROM split s JOIN grouped g ON g.household_id = s.household_id AND g.start_rn = s.start_rn),
    unit_payment AS (
      SELECT u.household_id, p.payment_id, p.amount_cents, u.excess,
             sum(p.amount_cents) OVER (PARTITION BY u.household_id, u.unit_id ORDER BY a.award_date DESC, a.award_id DESC, p.period DESC, p.payment_id DESC
                                       ROWS UNBOUNDED PRECEDING) AS running
        FROM unit u JOIN award a ON a.award_id = u.award_id JOIN award_payment p ON p.award_id = u.award_id),
    at_risk AS (
      SELECT household_id, payment_id, max(0, min(amount_cents, excess - (running - amount_cents))) AS cents FROM unit_payment),
    finding AS (
      SELECT u.household_id, group_concat(u.reason || ':' || u.award_id, ',' ORDER BY u.reason || ':' || u.award_id) AS facts
        FROM unit u GROUP BY u.household_id),
    shown AS (
      -- The awards the evidence shows: the flagged ones and the earlier award each repeat repeats.
      SELECT u.household_id, u.award_id FROM unit u
      UNION SELECT household_id, previous_id FROM judged WHERE reason = 'repeat')
    SELECT f.household_id AS subject_id, f.household_id, h.division_code,
      (SELECT coalesce(sum(r.cents), 0) FROM at_risk r WHERE r.household_id = f.household_id) AS amount_cents,
      (SELECT json_group_array(json_array(r.payment_id, r.cents)) FROM at_risk r WHERE r.household_id = f.household_id AND r.cents > 0) AS payments,
      f.facts,
      json_object(
        'rows', (SELECT json_group_array(json(CASE a.source
                   WHEN 'enrollment' THEN json_object('table', 'enrollment', 'key', a.award_id, 'values',
                     json_object('program', 'linshi', 'start_date', a.award_date, 'cause', a.cause, 'amount_cents', a.amount_cents))
                   ELSE json_object('table', 'payment', 'key', a.award_id, 'values',
                     json_object('program', 'linshi', 'period', a.period, 'paid_date', a.award_date, 'amount_cents', a.amount_cents)) END))
                 FROM (SELECT a.* FROM shown s JOIN award a ON a.award_id = s.award_id WHERE s.household_id = f.household_id
                        ORDER BY a.award_date, a.award_id) a),
        'comparisons', json((SELECT json_group_array(json(x.c)) FROM (
            SELECT j.award_date AS d, j.award_id AS k, json_object('label', 'cap', 'award', j.award_id, 'date', j.award_date, 'cause', j.cause,
                     'value', j.amount_cents, 'op', '>', 'threshold', j.cap, 'standard', j.standard, 'months', CAST(@linshiCapMonths AS INTEGER), 'members', j.members) AS c
              FROM judged j WHERE j.household_id = f.household_id AND j.reason = 'cap'
            UNION ALL
            SELECT j.award_date, j.award_id, json_object('label', 'repeat', 'award', j.award_id, 'date', j.award_date, 'cause', j.cause,
                     'value', j.amount_cents, 'previous', j.previous_id, 'previousDate', j.previous_date,
                     'days', CAST(${days('j.previous_date', 'j.award_date')} AS INTEGER), 'op', '<=', 'threshold', 365)
              FROM judged j WHERE j.household_id = f.household_id AND j.reason = 'repeat'
            UNION ALL
            SELECT s.first_date, '', json_object('label', 'split', 'awards', json(s.award_ids), 'count', s.awards, 'first', s.first_date, 'last', s.last_date,
                     'value', s.total, 'op', '>', 'threshold', s.lim, 'standard', s.standard, 'months', CAST(@linshiTownshipLimitMonths AS INTEGER), 'members', s.members,
                     'days', CAST(@linshiSplitDays AS INTEGER))
              FROM split s WHERE s.household_id = f.household_id
            ORDER BY 1, 2) x))) AS evidence
    FROM finding f JOIN household h ON h.household_id = f.household_id`;
