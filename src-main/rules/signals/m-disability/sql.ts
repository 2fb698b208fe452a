/**
 * M-DISABILITY 因残 (monitoring.md): a member holds a certificate valid at D first issued in the window (first_issued_date,
 * else valid_from), either severe (level ≤ 2) or in a household with two or more holders (一户多残). Red when that
 * certificate is level 1 and nobody in the household is aged 18–59 at D without a certificate valid at D; else orange.
 */
import { ageAt, validAt } from '../../../store/sql-fragments.js';
import { BOOL, MEMBER, NAME } from '../shared-sql.js';

export const sql = `
  WITH cert AS (
    SELECT m.household_id, c.person_id, c.disability_type, CAST(c.disability_level AS INTEGER) AS lvl,
      CASE WHEN c.first_issued_date IS NULL OR c.first_issued_date = '' THEN c.valid_from ELSE c.first_issued_date END AS first_issued
      FROM disability_cert c CROSS JOIN household_member m ON m.person_id = c.person_id
     WHERE ${validAt('c.valid_from', 'c.valid_to', '@d')} AND ${MEMBER('m')}),
  holders AS (SELECT household_id, count(DISTINCT person_id) AS holders FROM cert GROUP BY household_id),
  qualifying AS (
    SELECT c.*, x.holders FROM cert c JOIN holders x ON x.household_id = c.household_id
     WHERE c.first_issued BETWEEN @windowStart AND @d AND (c.lvl <= 2 OR x.holders >= 2)),
  -- Someone who can care and earn: a member aged 18–59 at D without a certificate valid at D.
  able AS (
    SELECT DISTINCT q.household_id FROM (SELECT DISTINCT household_id FROM qualifying) q
      CROSS JOIN household_member m ON m.household_id = q.household_id JOIN person p ON p.person_id = m.person_id
     WHERE ${MEMBER('m')} AND ${ageAt('p.birth_date', '@d')} BETWEEN 18 AND 59
       AND NOT EXISTS (SELECT 1 FROM disability_cert c WHERE c.person_id = m.person_id AND ${validAt('c.valid_from', 'c.valid_to', '@d')}))
  SELECT q.household_id, h.division_code,
    CASE WHEN q.lvl = 1 AND a.household_id IS NULL THEN 'red' ELSE 'orange' END AS level,
    q.person_id || '|' || q.first_issued AS event_key,
    json_object('person_id', q.person_id, 'name', ${NAME('q.person_id')}, 'disability_type', q.disability_type, 'disability_level', q.lvl,
      'first_issued', q.first_issued, 'holders', q.holders, 'able_member', ${BOOL('a.household_id IS NOT NULL')}, 'window', @windowStart || '..' || @d) AS evidence
  FROM qualifying q JOIN household h ON h.household_id = q.household_id LEFT JOIN able a ON a.household_id = q.household_id`;
