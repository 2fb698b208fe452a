/**
 * Q-ORPHAN 关联记录缺失 as SQL (rules.md "Data quality" and v2 "Q-rules on the new tables"): a row that names a person,
 * household or enrollment that does not exist.
 *
 * v1: member, enrollment and payment rows. v2: `gradual_exit.enrollment_id` → enrollment; every `household_id` column of
 * the new tables (gradual_exit, review, consent, application) → household; the `person_id` of school_enrollment,
 * imprisonment and a consent signed as a member → person; and a `gradual_exit` whose household is not its enrollment's.
 * Department feeds covering all residents (medical_settlement, financial_asset, unemployment, disasters) and consents
 * signed by an obligor, guardian or proxy may name persons the platform does not know: not a finding (rules.md).
 * On a v1 snapshot the new tables are empty (presentAsV2), so only v1's findings come out.
 */
import { householdOf } from '../../store/sql-fragments.js';
import { recordCheck } from '../shared/sql.js';

const NO_PERSON = (column: string) => `NOT EXISTS (SELECT 1 FROM person p WHERE p.person_id = ${column})`;
/** An empty household_id names nothing (it is informational in gradual_exit): only a named, unknown household is a finding. */
const NO_HOUSEHOLD = (column: string) => `(${column} IS NOT NULL AND ${column} <> '' AND NOT EXISTS (SELECT 1 FROM household h WHERE h.household_id = ${column}))`;

/**
 * The household an enrollment belongs to: its own `household_id`, else its person's (§M, smallest id) — the same reading
 * R-LINSHI gives an award's household.
 */
const ENROLLMENT_HOUSEHOLD = (e: string) => `coalesce(nullif(${e}.household_id, ''), ${householdOf(`${e}.person_id`)})`;

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
     WHERE y.person_id IN (SELECT d.person_id FROM (SELECT DISTINCT person_id FROM payment) d WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.person_id = d.person_id))
    UNION ALL
    SELECT 'gradual_exit:' || g.enrollment_id || '|' || g.start_period, nullif(g.household_id, ''), 'enrollment missing' FROM gradual_exit g
     WHERE NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.enrollment_id = g.enrollment_id)
    UNION ALL
    SELECT 'gradual_exit:' || g.enrollment_id || '|' || g.start_period, NULL, 'household missing' FROM gradual_exit g WHERE ${NO_HOUSEHOLD('g.household_id')}
    UNION ALL
    SELECT 'gradual_exit:' || g.enrollment_id || '|' || g.start_period, g.household_id, 'household differs from its enrollment' FROM gradual_exit g
      JOIN enrollment e ON e.enrollment_id = g.enrollment_id
     WHERE g.household_id IS NOT NULL AND g.household_id <> '' AND NOT ${NO_HOUSEHOLD('g.household_id')}
       AND g.household_id IS NOT ${ENROLLMENT_HOUSEHOLD('e')}
    UNION ALL
    SELECT 'review:' || r.household_id || '|' || r.review_date, NULL, 'household missing' FROM review r WHERE ${NO_HOUSEHOLD('r.household_id')}
    UNION ALL
    SELECT 'consent:' || c.consent_id, NULL, 'household missing' FROM consent c WHERE ${NO_HOUSEHOLD('c.household_id')}
    UNION ALL
    SELECT 'consent:' || c.consent_id, c.household_id, 'person missing' FROM consent c WHERE c.role = 'member' AND ${NO_PERSON('c.person_id')}
    UNION ALL
    SELECT 'application:' || a.application_id, NULL, 'household missing' FROM application a WHERE ${NO_HOUSEHOLD('a.household_id')}
    UNION ALL
    SELECT 'school_enrollment:' || s.person_id || '|' || s.school_level || '|' || s.start_date, NULL, 'person missing' FROM school_enrollment s WHERE ${NO_PERSON('s.person_id')}
    UNION ALL
    SELECT 'imprisonment:' || i.person_id || '|' || i.start_date, NULL, 'person missing' FROM imprisonment i WHERE ${NO_PERSON('i.person_id')}`);
