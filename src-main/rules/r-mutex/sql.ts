/**
 * R-MUTEX 重复享受互斥待遇 as SQL (rules.md v2 "Changed v1 rules" and "Details decided"): every exclusive pair
 * (@exclusivePairs) of which the person has both programmes active at D, and the work-injury reason — `work_injury_care`
 * income > 0 in the 12 months to D while `disability_care` or `disability_living` is active at D.
 *
 * Money: payments are summed per (programme, month) first. For each month paid under both programmes of a firing pair,
 * the smaller of the two (programme, month) is at risk (on a tie, the alphabetically first programme's); for the
 * work-injury reason, the programme's (programme, month) in the months with such income. Each (programme, month) is
 * counted once across all reasons. Pairs use the whole payment history.
 *
 * Facts: the sorted reason codes joined by ','. A pair's code stays v1's `a+b` (in the parameter's order, as v1 wrote
 * it) so that a v1 finding keeps its fingerprint; rules.md's `a×b` would have renamed every one (docs/rules-v2.md).
 * The work-injury reason is `work_injury:<programme>`.
 */
import { activeAt, divisionOfPerson, householdOf } from '../../store/sql-fragments.js';
import type { DerivedBase } from '../types.js';
import { enrollmentJson, YEAR_FROM } from '../shared/sql.js';

/** The programmes whose holders are asked about work-injury care (rules.md v2). */
const DISABILITY_SUBSIDIES = `('disability_care', 'disability_living')`;

/**
 * What R-MUTEX reads that depends on D alone (session 16): the persons a reason can name — two or more enrollments
 * active at D (a pair needs two), or a disability subsidy active at D and work-injury care income in the 12 months to
 * D — with each of their enrollments active at D; and that income, by month. The build stores them; a run applies its
 * pairs to them. (Their payments stay in the payment table: a base of every such person's payments per programme and
 * month would be about 14 MB at a million persons.)
 */
export const MUTEX_BASES: readonly DerivedBase[] = [
  {
    // the work-injury care income of the year of each holder of a disability subsidy at D, by month (one line a month:
    // income_record's key is person, period and source)
    table: 'derived_mutex_injury',
    columns: 'person_id, period, amount_cents, PRIMARY KEY (person_id, period)',
    sql: `SELECT i.person_id, i.period, sum(i.amount_cents) AS amount_cents FROM income_record i
       WHERE i.person_id IN (SELECT e.person_id FROM enrollment e WHERE e.program IN ${DISABILITY_SUBSIDIES} AND ${activeAt('e', '@d')})
         AND i.source = 'work_injury_care' AND i.amount_cents > 0 AND i.period BETWEEN ${YEAR_FROM} AND @month GROUP BY i.person_id, i.period`,
  },
  {
    table: 'derived_mutex_enrolled',
    // the columns the evidence row shows (enrollmentJson): its JSON, stored, would be twice the size
    columns: 'person_id, enrollment_id, program, status, start_date, end_date, monthly_amount_cents, PRIMARY KEY (person_id, enrollment_id)',
    sql: `
    WITH act AS MATERIALIZED (SELECT e.* FROM enrollment e WHERE ${activeAt('e', '@d')}),
    asked AS (
      SELECT person_id FROM act GROUP BY person_id HAVING count(*) > 1
      UNION SELECT DISTINCT x.person_id FROM act x WHERE x.program IN ${DISABILITY_SUBSIDIES} AND x.person_id IN (SELECT person_id FROM derived_mutex_injury))
    SELECT e.person_id, e.enrollment_id, e.program, e.status, e.start_date, e.end_date, e.monthly_amount_cents FROM asked a CROSS JOIN act e ON e.person_id = a.person_id`,
  },
];

export const sql = `
    WITH
    act AS (SELECT * FROM derived_mutex_enrolled),
    pairs AS (SELECT DISTINCT json_extract(p.value, '$[0]') AS a, json_extract(p.value, '$[1]') AS b FROM json_each(@exclusivePairs) p),
    pair_hit AS (
      SELECT DISTINCT x.person_id, pairs.a, pairs.b FROM act x JOIN pairs ON pairs.a = x.program
        JOIN act y ON y.person_id = x.person_id AND y.program = pairs.b AND y.enrollment_id <> x.enrollment_id),
    injury_months AS (SELECT person_id, period, amount_cents AS cents FROM derived_mutex_injury),
    injury_hit AS (
      SELECT DISTINCT x.person_id, x.program FROM act x JOIN (SELECT DISTINCT person_id FROM injury_months) m ON m.person_id = x.person_id
       WHERE x.program IN ${DISABILITY_SUBSIDIES}),
    -- the programmes the reasons name for each person: the only payments the amount reads, and the evidence's enrollments
    named AS MATERIALIZED (
      SELECT person_id, a AS program FROM pair_hit UNION SELECT person_id, b FROM pair_hit UNION SELECT person_id, program FROM injury_hit),
    paid AS MATERIALIZED (
      SELECT y.person_id, y.program, y.period, sum(y.amount_cents) AS cents FROM named n
        CROSS JOIN payment y ON y.person_id = n.person_id AND y.program = n.program GROUP BY y.person_id, y.program, y.period),
    -- each month paid under both programmes of a pair: the smaller (programme, month), a tie to the alphabetically first
    -- materialized: read by the stats and the amount (inlined, each re-joined paid through an index built for it)
    pair_months AS MATERIALIZED (
      SELECT h.person_id, h.a, h.b, pa.period, min(pa.cents, pb.cents) AS cents,
        CASE WHEN pa.cents < pb.cents OR (pa.cents = pb.cents AND h.a < h.b) THEN h.a ELSE h.b END AS program
        FROM pair_hit h JOIN paid pa ON pa.person_id = h.person_id AND pa.program = h.a
        JOIN paid pb ON pb.person_id = h.person_id AND pb.program = h.b AND pb.period = pa.period),
    injury_paid AS MATERIALIZED (
      SELECT w.person_id, w.program, p.period, p.cents FROM injury_hit w
        JOIN injury_months m ON m.person_id = w.person_id
        JOIN paid p ON p.person_id = w.person_id AND p.program = w.program AND p.period = m.period),
    -- UNION, not UNION ALL: a (programme, month) at risk under two reasons is counted once
    -- with the (programme, month)'s cents: a pair month's is the smaller one's, which is the programme chosen, so the
    -- union still counts each (programme, month) once and the amount needs no second join with paid
    at_risk AS MATERIALIZED (SELECT person_id, program, period, cents FROM pair_months UNION SELECT person_id, program, period, cents FROM injury_paid),
    amount AS (SELECT r.person_id, sum(r.cents) AS cents FROM at_risk r GROUP BY r.person_id),
    pair_stats AS (
      SELECT m.person_id, m.a, m.b, count(*) AS months, min(m.period) AS first, max(m.period) AS last, sum(m.cents) AS cents
        FROM pair_months m GROUP BY m.person_id, m.a, m.b),
    injury_stats AS (
      SELECT m.person_id, group_concat(m.period, '、' ORDER BY m.period) AS periods, count(*) AS months, sum(m.cents) AS cents
        FROM injury_months m WHERE m.person_id IN (SELECT person_id FROM injury_hit) GROUP BY m.person_id),
    -- one comparison per reason, with the figures "why it fired" names
    reasons AS (
      SELECT h.person_id, h.a || '+' || h.b AS code,
        json_object('label', 'pair', 'value', h.a || '+' || h.b, 'op', 'exclusive', 'threshold', NULL, 'a', h.a, 'b', h.b,
          'months', coalesce(s.months, 0), 'first', s.first, 'last', s.last, 'cents', coalesce(s.cents, 0)) AS comparison
        FROM pair_hit h LEFT JOIN pair_stats s ON s.person_id = h.person_id AND s.a = h.a AND s.b = h.b
      UNION ALL
      SELECT w.person_id, 'work_injury:' || w.program,
        json_object('label', 'work_injury', 'value', 'work_injury:' || w.program, 'op', 'exclusive', 'threshold', NULL, 'program', w.program,
          'from', ${YEAR_FROM} || '-01', 'incomeMonths', s.periods, 'count', s.months, 'income', s.cents,
          'cents', (SELECT coalesce(sum(p.cents), 0) FROM injury_paid p WHERE p.person_id = w.person_id AND p.program = w.program))
        FROM injury_hit w JOIN injury_stats s ON s.person_id = w.person_id),
    person_hit AS (
      SELECT r.person_id, group_concat(r.code, ',' ORDER BY r.code) AS facts, json_group_array(json(r.comparison) ORDER BY r.code) AS comparisons
        FROM reasons r GROUP BY r.person_id),
    -- the payments behind the amount: every payment of a (programme, month) at risk (CROSS JOIN keeps at_risk outside,
    -- so that payments are read by their index and the payment table is never scanned)
    at_risk_payments AS (
      SELECT r.person_id, json_group_array(json_array(y.payment_id, y.amount_cents)) AS payments FROM at_risk r
        CROSS JOIN payment y ON y.person_id = r.person_id AND y.program = r.program AND y.period = r.period GROUP BY r.person_id),
    -- evidence rows: the enrollments of the programmes named, and the work-injury income of the year
    evidence_rows AS (
      SELECT x.person_id, json_group_array(json(x.row)) AS rows FROM (
          SELECT n.person_id, ${enrollmentJson('e')} AS row FROM named n JOIN derived_mutex_enrolled e ON e.person_id = n.person_id AND e.program = n.program
          UNION ALL
          SELECT i.person_id, json_object('table', 'income_record', 'key', i.person_id || '|' || i.period, 'values', json_object('source', 'work_injury_care', 'period', i.period, 'amount_cents', i.amount_cents))
            FROM derived_mutex_injury i WHERE i.person_id IN (SELECT person_id FROM injury_hit)) x
       GROUP BY x.person_id)
    SELECT ph.person_id AS subject_id, ${householdOf('ph.person_id')} AS household_id, ${divisionOfPerson('ph.person_id')} AS division_code,
      coalesce(a.cents, 0) AS amount_cents, coalesce(pp.payments, '[]') AS payments, ph.facts,
      json_object('rows', json(coalesce(er.rows, '[]')), 'comparisons', json(ph.comparisons)) AS evidence
    FROM person_hit ph LEFT JOIN amount a ON a.person_id = ph.person_id LEFT JOIN at_risk_payments pp ON pp.person_id = ph.person_id
      LEFT JOIN evidence_rows er ON er.person_id = ph.person_id`;
