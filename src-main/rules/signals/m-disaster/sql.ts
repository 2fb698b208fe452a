/**
 * M-DISASTER 因灾 (monitoring.md): a member's disaster record dated in the window, one hit per (event_date, kind). Red when
 * the largest single loss among the household's records in the window (NULL as 0) is over disasterLossMonths × S ×
 * members (a local choice); else orange. Without a standard in force the comparison cannot be made: orange.
 */
import { MEMBER, MEMBERS, NAME, STANDARD } from '../shared-sql.js';

export const sql = `
  WITH victim AS (
    SELECT m.household_id, v.person_id, v.event_date, v.kind, coalesce(v.loss_cents, 0) AS loss
      FROM disaster_victim v CROSS JOIN household_member m ON m.person_id = v.person_id
     WHERE v.event_date BETWEEN @windowStart AND @d AND ${MEMBER('m')}),
  hh AS (
    SELECT x.household_id, h.division_code, max(x.loss) AS top, ${STANDARD} AS standard, ${MEMBERS('x.household_id')} AS members
      FROM victim x JOIN household h ON h.household_id = x.household_id GROUP BY x.household_id),
  judged AS (SELECT *, @disasterLossMonths * standard * members AS red_line FROM hh)
  SELECT v.household_id, j.division_code, CASE WHEN j.top > j.red_line THEN 'red' ELSE 'orange' END AS level, v.event_date || '|' || v.kind AS event_key,
    json_object('event_date', v.event_date, 'kind', v.kind, 'loss_cents', max(v.loss), 'largest_loss_cents', j.top, 'red_line_cents', j.red_line,
      'loss_months', @disasterLossMonths, 'standard_monthly_cents', j.standard, 'members', j.members,
      'persons', json_group_array(json_object('person_id', v.person_id, 'name', ${NAME('v.person_id')}, 'loss_cents', v.loss))) AS evidence
  FROM victim v JOIN judged j ON j.household_id = v.household_id
  GROUP BY v.household_id, v.event_date, v.kind`;
