/**
 * The monitored population's boundaries: a 低保 exit exactly 24 months before D (addMonths(D, −24): no longer
 * monitored) and one day later (退出不满两年); exits by death or moving away (not monitored); a refusal decided exactly 12
 * months before D (not) and one day later (申请未通过). Each household also has two students (M-EDUCATION), so that
 * their warnings carry the layers.
 */
import { addDays, addMonthsToDate } from '../../../domain/calendar.js';
import type { PlantKit } from '../../plant-kit.js';
import type { PlantedHousehold } from '../../shared/planted-household.js';
import { household } from '../plant-helpers.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const students = (h: PlantedHousehold) => {
    for (const i of [2, 3]) {
      kit.emit({ table: 'school_enrollment', row: { person_id: h.people[i]!, school_level: 'high_school', full_time: '1', start_date: addDays(d, -kit.rnd.int(100, 700)), expected_end_date: addDays(d, kit.rnd.int(100, 700)), status: 'enrolled' } });
    }
  };
  const family = () => household(kit, [{ age: kit.rnd.int(42, 52) }, { age: kit.rnd.int(42, 52) }, { age: 16 }, { age: 17 }], 'JCP');
  const exited = addMonthsToDate(d, -24);
  const refused = addMonthsToDate(d, -12);
  for (let n = 0; n < kit.count; n++) {
    for (const [end, reason] of [[exited, 'income'], [addDays(exited, 1), 'income'], [addDays(exited, 1), null], [addDays(d, -30), 'death'], [addDays(d, -30), 'moved']] as const) {
      const h = family();
      students(h);
      const program = kit.rnd.pick(['dibao', 'tekun']);
      kit.emit({
        table: 'enrollment',
        row: {
          enrollment_id: kit.nextId('enrollment'), person_id: h.people[0]!, household_id: h.id, program, status: 'stopped', start_date: addDays(end, -kit.rnd.int(200, 900)), end_date: end,
          monthly_amount_cents: kit.dibaoStandardCents(h.division), support_mode: program === 'tekun' ? '2' : null, cause: program === 'tekun' ? 'no_labor' : 'illness', end_reason: reason,
          ...(program === 'dibao' ? { coverage: 'household' } : {}),
        },
      });
    }
    for (const [decided, applicant] of [[refused, 0], [addDays(refused, 1), 1], [addDays(refused, 1), null]] as const) {
      const h = family();
      students(h);
      // An applicant outside the household names it all the same (the household named by the application).
      const person = applicant === null ? household(kit, [{ age: kit.rnd.int(30, 60) }], 'JCP').people[0]! : h.people[applicant]!;
      kit.emit({
        table: 'application',
        row: { application_id: kit.nextRecordId('JCSQ'), household_id: h.id, person_id: person, program: kit.rnd.pick(['dibao', 'tekun', 'dibao_edge', 'rigid_expense']), applied_date: addDays(decided, -kit.rnd.int(10, 60)), decided_date: decided, outcome: 'refused', refusal_reason: 'income' },
      });
    }
  }
}
