/**
 * The monitored population (监测对象, monitoring.md): a person with no death record ≤ D is monitored in the first layer
 * that applies — tekun, dibao, dibao_edge, rigid_expense (p is a member of H and H has it active at D), exited (a
 * member of H left dibao or tekun within the last exitedMonths, not by death or moving away), refused (p applied, or
 * belongs to the household named by an application, refused within the last refusedMonths). A household is monitored
 * when any member is; its layers are its members' layers.
 *
 * One row per (household, layer) with its persons (and those whose own household it is, to count each person once): the
 * service sorts each household's layers. Set-wise: the programmes' enrollments
 * (enrollment_by_program), their households' members (the primary key), the refusals (application is small).
 */
import { activeAt, memberAt } from '../../../store/sql-fragments.js';

const PROGRAMS = `'tekun', 'dibao', 'dibao_edge', 'rigid_expense'`;

export const sql = `
  WITH household_rank AS (
    SELECT DISTINCT m.household_id, CASE e.program WHEN 'tekun' THEN 1 WHEN 'dibao' THEN 2 WHEN 'dibao_edge' THEN 3 ELSE 4 END AS rank
      FROM enrollment e CROSS JOIN household_member m ON m.person_id = e.person_id
     WHERE e.program IN (${PROGRAMS}) AND ${activeAt('e', '@d')} AND ${memberAt('m', '@d')}
    UNION
    SELECT DISTINCT m.household_id, 5
      FROM enrollment e CROSS JOIN household_member m ON m.person_id = e.person_id
     WHERE e.program IN ('dibao', 'tekun') AND e.end_date > @exitedAfter AND e.end_date <= @d
       AND (e.end_reason IS NULL OR e.end_reason NOT IN ('death', 'moved')) AND ${memberAt('m', '@d')}),
  refused AS (
    SELECT a.person_id, a.household_id FROM application a
     WHERE a.outcome = 'refused' AND a.decided_date > @refusedAfter AND a.decided_date <= @d AND a.program IN (${PROGRAMS})),
  person_rank AS (
    SELECT m.person_id, r.rank FROM household_rank r CROSS JOIN household_member m ON m.household_id = r.household_id WHERE ${memberAt('m', '@d')}
    UNION ALL
    SELECT person_id, 6 FROM refused
    UNION ALL
    SELECT m.person_id, 6 FROM refused r CROSS JOIN household_member m ON m.household_id = r.household_id WHERE ${memberAt('m', '@d')}),
  layer AS (
    SELECT r.person_id, min(r.rank) AS rank FROM person_rank r
     WHERE NOT EXISTS (SELECT 1 FROM death_record d WHERE d.person_id = r.person_id AND d.death_date <= @d)
     GROUP BY r.person_id)
  SELECT m.household_id, h.division_code,
    CASE l.rank WHEN 1 THEN 'tekun' WHEN 2 THEN 'dibao' WHEN 3 THEN 'dibao_edge' WHEN 4 THEN 'rigid_expense' WHEN 5 THEN 'exited' ELSE 'refused' END AS layer,
    count(*) AS persons,
    -- Counted once in the district: in the person's own household (§M: the smallest household_id of their rows).
    sum(m.household_id = (SELECT min(x.household_id) FROM household_member x WHERE x.person_id = m.person_id)) AS own_persons
  FROM layer l CROSS JOIN household_member m ON m.person_id = l.person_id JOIN household h ON h.household_id = m.household_id
  WHERE ${memberAt('m', '@d')}
  GROUP BY m.household_id, l.rank`;
