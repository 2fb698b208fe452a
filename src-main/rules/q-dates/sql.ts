/**
 * Q-DATES 日期矛盾 as SQL: end before start, payment before enrollment start, death before birth, dates after D (rules.md
 * "Data quality"); v2 ("Q-rules on the new tables") adds a school's expected end before its start, a 渐退 ending before
 * it starts, a release before the imprisonment, and the new tables' dates after D. On a v1 snapshot the new tables are
 * empty (presentAsV2), so only v1's findings come out.
 */
import { householdOf } from '../../store/sql-fragments.js';
import { recordCheck } from '../shared/sql.js';

/** The new tables' dates that cannot lie after D: table (alias x), its key and household as SQL, the date column. */
const V2_NOT_AFTER_D: readonly { table: string; key: string; column: string; household: string }[] = [
  { table: 'medical_settlement', key: 'x.settlement_id', column: 'settle_date', household: householdOf('x.person_id') },
  { table: 'unemployment_registration', key: "x.person_id || '|' || x.registered_date", column: 'registered_date', household: householdOf('x.person_id') },
  { table: 'disaster_victim', key: "x.person_id || '|' || x.event_date || '|' || x.kind", column: 'event_date', household: householdOf('x.person_id') },
  { table: 'review', key: "x.household_id || '|' || x.review_date", column: 'review_date', household: 'x.household_id' },
  { table: 'consent', key: 'x.consent_id', column: 'signed_date', household: 'x.household_id' },
  { table: 'application', key: 'x.application_id', column: 'applied_date', household: 'x.household_id' },
  { table: 'application', key: 'x.application_id', column: 'decided_date', household: 'x.household_id' },
  { table: 'financial_asset', key: "x.person_id || '|' || x.kind || '|' || x.institution || '|' || x.as_of_date", column: 'as_of_date', household: householdOf('x.person_id') },
  { table: 'school_enrollment', key: "x.person_id || '|' || x.school_level || '|' || x.start_date", column: 'start_date', household: householdOf('x.person_id') },
  { table: 'imprisonment', key: "x.person_id || '|' || x.start_date", column: 'start_date', household: householdOf('x.person_id') },
];

/**
 * One finding per record and date: the detail names the column (an application applied and decided after D is two
 * findings — each date is wrong on its own).
 */
const afterD = V2_NOT_AFTER_D.map(
  (c) => `SELECT '${c.table}:' || ${c.key}, ${c.household}, '${c.column} after the snapshot date' FROM ${c.table} x WHERE x.${c.column} > @d`,
).join('\n    UNION ALL\n    ');

export const sql = recordCheck(`
    SELECT 'enrollment:' || enrollment_id AS subject_id, household_id, 'ends before it starts' AS detail FROM enrollment WHERE end_date < start_date
    UNION ALL
    SELECT 'payment:' || y.payment_id, e.household_id, 'paid for a month before the enrollment started' FROM payment y
      JOIN enrollment e ON e.enrollment_id = y.enrollment_id WHERE y.period < substr(e.start_date, 1, 7)
    UNION ALL
    SELECT 'death_record:' || r.person_id, ${householdOf('r.person_id')}, 'death before birth' FROM death_record r JOIN person p USING (person_id) WHERE r.death_date < p.birth_date
    UNION ALL
    -- (Each table aliased: an unqualified person_id inside householdOf would name household_member's own column, and
    -- every finding would land in the snapshot's first household — outside its real division and scope.)
    SELECT 'grid_visit:' || g.visit_id, ${householdOf('g.person_id')}, 'in the future of the snapshot date' FROM grid_visit g WHERE g.visit_date > @d
    UNION ALL
    SELECT 'payment:' || y.payment_id, ${householdOf('y.person_id')}, 'paid after the snapshot date' FROM payment y WHERE y.paid_date > @d
    UNION ALL
    SELECT 'death_record:' || r.person_id, ${householdOf('r.person_id')}, 'in the future of the snapshot date' FROM death_record r WHERE r.death_date > @d
    UNION ALL
    SELECT 'school_enrollment:' || s.person_id || '|' || s.school_level || '|' || s.start_date, ${householdOf('s.person_id')}, 'expected to end before it starts'
      FROM school_enrollment s WHERE s.expected_end_date <> '' AND s.expected_end_date < s.start_date
    UNION ALL
    SELECT 'gradual_exit:' || g.enrollment_id || '|' || g.start_period, nullif(g.household_id, ''), 'end month before start month' FROM gradual_exit g WHERE g.end_period < g.start_period
    UNION ALL
    SELECT 'imprisonment:' || i.person_id || '|' || i.start_date, ${householdOf('i.person_id')}, 'released before it started'
      FROM imprisonment i WHERE i.end_date <> '' AND i.end_date < i.start_date
    UNION ALL
    ${afterD}`);
