/** Q-DATES 日期矛盾 as SQL: end before start, payment before enrollment start, death before birth, dates after D. */
import { householdOf } from '../../store/sql-fragments.js';
import { recordCheck } from '../shared/sql.js';

export const sql = recordCheck(`
    SELECT 'enrollment:' || enrollment_id AS subject_id, household_id, 'ends before it starts' AS detail FROM enrollment WHERE end_date < start_date
    UNION ALL
    SELECT 'payment:' || y.payment_id, e.household_id, 'paid for a month before the enrollment started' FROM payment y
      JOIN enrollment e ON e.enrollment_id = y.enrollment_id WHERE y.period < substr(e.start_date, 1, 7)
    UNION ALL
    SELECT 'death_record:' || r.person_id, ${householdOf('r.person_id')}, 'death before birth' FROM death_record r JOIN person p USING (person_id) WHERE r.death_date < p.birth_date
    UNION ALL
    SELECT 'grid_visit:' || visit_id, ${householdOf('person_id')}, 'in the future of the snapshot date' FROM grid_visit WHERE visit_date > @d
    UNION ALL
    SELECT 'payment:' || payment_id, ${householdOf('person_id')}, 'paid after the snapshot date' FROM payment WHERE paid_date > @d
    UNION ALL
    SELECT 'death_record:' || person_id, ${householdOf('person_id')}, 'in the future of the snapshot date' FROM death_record WHERE death_date > @d`);
