/** R-MUTEX 重复享受互斥待遇 as SQL: two enrollments active at D in an exclusive pair (@exclusivePairs); money: the smaller programme's payments in the months paid under both. */
import { ACTIVE_ENROLLMENTS, enrollmentJson } from '../shared/sql.js';

export const sql = `
    WITH act AS (${ACTIVE_ENROLLMENTS}),
    pairs AS (SELECT json_extract(p.value, '$[0]') AS a, json_extract(p.value, '$[1]') AS b FROM json_each(@exclusivePairs) p),
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
        'rows', (SELECT json_group_array(json(${enrollmentJson('e')})) FROM enrollment e WHERE e.enrollment_id IN (hit.ex, hit.ey)),
        'comparisons', json_array(json_object('label', 'programs', 'value', hit.px || ' + ' || hit.py, 'op', 'exclusive', 'threshold', @exclusivePairs))) AS evidence
    FROM hit LEFT JOIN overlap o ON o.person_id = hit.person_id LEFT JOIN household h ON h.household_id = hit.household_id
    WHERE hit.rn = 1`;
