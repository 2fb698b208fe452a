/**
 * M-BREADWINNER 失去主要收入来源 (monitoring.md): the household's breadwinner — a person on its household_member rows
 * (prisoners included: §M's removal does not apply here) whose wage + business income over the year is > 0 and at least
 * every other listed person's, ties all counting — died or was imprisoned (any kind) in the window. Red.
 */
import { NAME } from '../shared-sql.js';

export const sql = `
  WITH event AS (
    SELECT person_id, death_date AS date, 'death' AS kind FROM death_record WHERE death_date BETWEEN @windowStart AND @d
    UNION ALL
    SELECT person_id, start_date, 'imprisonment:' || kind FROM imprisonment WHERE start_date BETWEEN @windowStart AND @d),
  cand AS (SELECT DISTINCT m.household_id FROM event e CROSS JOIN household_member m ON m.person_id = e.person_id),
  earned AS (
    SELECT c.household_id, m.person_id,
      coalesce((SELECT sum(i.amount_cents) FROM income_record i WHERE i.person_id = m.person_id AND i.period BETWEEN @yearFrom AND @month AND i.source IN ('wage', 'business')), 0) AS earned
      FROM cand c CROSS JOIN household_member m ON m.household_id = c.household_id),
  top AS (SELECT household_id, max(earned) AS top FROM earned GROUP BY household_id)
  SELECT x.household_id, h.division_code, 'red' AS level, e.person_id || '|' || e.date AS event_key,
    json_object('person_id', e.person_id, 'name', ${NAME('e.person_id')}, 'date', e.date, 'kinds', json_group_array(e.kind), 'earned_cents', x.earned,
      'months', @yearFrom || '..' || @month,
      'others', (SELECT json_group_array(json_object('person_id', o.person_id, 'name', ${NAME('o.person_id')}, 'earned_cents', o.earned))
                   FROM earned o WHERE o.household_id = x.household_id AND o.person_id <> x.person_id)) AS evidence
  FROM earned x JOIN top t ON t.household_id = x.household_id JOIN event e ON e.person_id = x.person_id JOIN household h ON h.household_id = x.household_id
  WHERE x.earned > 0 AND x.earned = t.top
  GROUP BY x.household_id, e.person_id, e.date`;
