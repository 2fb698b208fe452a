/** Q-ORPHAN 关联记录缺失 as SQL: a member, enrollment or payment row whose person or household does not exist. */
import { recordCheck } from '../shared/sql.js';

export const sql = recordCheck(`
    SELECT 'household_member:' || m.household_id || '|' || m.person_id AS subject_id, m.household_id, 'person or household missing' AS detail
      FROM household_member m LEFT JOIN person p ON p.person_id = m.person_id LEFT JOIN household h ON h.household_id = m.household_id
     WHERE p.person_id IS NULL OR h.household_id IS NULL
    UNION ALL
    SELECT 'enrollment:' || e.enrollment_id, e.household_id, 'person or household missing' FROM enrollment e
      LEFT JOIN person p ON p.person_id = e.person_id LEFT JOIN household h ON h.household_id = e.household_id
     WHERE p.person_id IS NULL OR (e.household_id IS NOT NULL AND h.household_id IS NULL)
    UNION ALL
    SELECT 'payment:' || y.payment_id, NULL, 'person missing' FROM payment y
     WHERE y.person_id IN (SELECT d.person_id FROM (SELECT DISTINCT person_id FROM payment) d WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.person_id = d.person_id))`);
