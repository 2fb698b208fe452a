/**
 * M-UNEMPLOYED 因失业 (monitoring.md): (a) a member registered unemployed in the window; (b) a member paid wages in at
 * least wageMonthsMin of the 9 months before the (wage) window and in none of its months — the wage window ends with the
 * newest income month delivered, so a late feed does not stop everyone's wages. Orange when that member was the only
 * member with wages (in those 9 months; for (a), in the year); else yellow.
 */
import { BOOL, MEMBER, NAME } from '../shared-sql.js';

/** Persons with wage > 0 in a month between `from` and `to` (income_record holds one wage line per person and month). */
const WAGE_EARNER = (person: string, from: string, to: string) =>
  `EXISTS (SELECT 1 FROM income_record w WHERE w.person_id = ${person} AND w.period BETWEEN ${from} AND ${to} AND w.source = 'wage' AND w.amount_cents > 0)`;

/** Another member of the household earned wages between `from` and `to`. */
const OTHER_EARNER = (household: string, person: string, from: string, to: string) => `EXISTS (
    SELECT 1 FROM household_member o WHERE o.household_id = ${household} AND o.person_id <> ${person} AND ${MEMBER('o')} AND ${WAGE_EARNER('o.person_id', from, to)})`;

export const sql = `
  WITH registered AS (
    SELECT m.household_id, u.person_id, u.registered_date
      FROM unemployment_registration u CROSS JOIN household_member m ON m.person_id = u.person_id
     WHERE u.registered_date BETWEEN @windowStart AND @d AND ${MEMBER('m')}),
  wages AS (
    SELECT person_id, count(DISTINCT CASE WHEN period <= @wageBaseTo THEN period END) AS base_months,
      count(DISTINCT CASE WHEN period >= @wageWindowFrom THEN period END) AS window_months, max(CASE WHEN period <= @wageBaseTo THEN period END) AS last_month
      FROM income_record WHERE source = 'wage' AND amount_cents > 0 AND period BETWEEN @wageBaseFrom AND @wageWindowTo GROUP BY person_id),
  stopped AS (
    SELECT m.household_id, w.person_id, w.base_months, w.last_month
      FROM wages w CROSS JOIN household_member m ON m.person_id = w.person_id
     WHERE w.base_months >= @wageMonthsMin AND w.window_months = 0 AND ${MEMBER('m')}),
  hit AS (
    SELECT r.household_id, r.person_id, r.person_id || '|' || r.registered_date AS event_key, 'registered' AS reason, r.registered_date AS date, NULL AS base_months,
      ${WAGE_EARNER('r.person_id', '@yearFrom', '@month')} AND NOT ${OTHER_EARNER('r.household_id', 'r.person_id', '@yearFrom', '@month')} AS only_earner
      FROM registered r
    UNION ALL
    SELECT s.household_id, s.person_id, s.person_id || '|wage-stop|' || s.last_month, 'wage_stop', s.last_month, s.base_months,
      NOT ${OTHER_EARNER('s.household_id', 's.person_id', '@wageBaseFrom', '@wageBaseTo')}
      FROM stopped s)
  SELECT x.household_id, h.division_code, CASE WHEN x.only_earner THEN 'orange' ELSE 'yellow' END AS level, x.event_key,
    json_object('person_id', x.person_id, 'name', ${NAME('x.person_id')}, 'reason', x.reason, 'date', x.date, 'only_earner', ${BOOL('x.only_earner')},
      'wage_months', x.base_months, 'wage_months_min', @wageMonthsMin, 'before', @wageBaseFrom || '..' || @wageBaseTo, 'window', @wageWindowFrom || '..' || @wageWindowTo,
      'registered_window', @windowStart || '..' || @d) AS evidence
  FROM hit x JOIN household h ON h.household_id = x.household_id`;
