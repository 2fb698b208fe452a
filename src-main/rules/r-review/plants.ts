/**
 * R-REVIEW's own cases, each with its near-miss at the boundary (rules.md v2): a baseline exactly addMonths(D, −N)
 * before D does not fire, one day earlier does — for N = 12 (a stable household, and a baseline that is the enrolment's
 * start) and N = 6 (低保 with an able-bodied working-age member and wage income in the year: 收入不固定), with the 6-month
 * near-misses that are really 12-month households (the wage before the year; the only young member a full-time
 * student); a stop decided 31 days before D is not yet overdue, 32 days is.
 */
import { addDays, addMonths, addMonthsToDate, monthOf } from '../../domain/calendar.js';
import type { PlantKit } from '../plant-kit.js';
import { PlantedHousehold } from '../shared/planted-household.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const year = addMonthsToDate(d, -12);
  const half = addMonthsToDate(d, -6);
  const longAgo = () => addDays(d, -kit.rnd.int(800, 2000));
  const quiet = (members: ConstructorParameters<typeof PlantedHousehold>[1]) => new PlantedHousehold(kit, members, 'RV');

  for (let n = 0; n < kit.count; n++) {
    // 特困, living alone at 60 or more: reviewed once a year.
    for (const reviewed of [year, addDays(year, -1)]) {
      const start = longAgo();
      quiet([{ age: kit.rnd.int(62, 85) }]).enroll(0, 'tekun', start).consentAll(addDays(start, -10)).review(addDays(reviewed, -200)).review(reviewed);
    }
    // 低保 of two elderly people, never reviewed: the baseline is the enrolment's start.
    for (const start of [year, addDays(year, -1)]) {
      quiet([{ age: kit.rnd.int(60, 80) }, { age: kit.rnd.int(60, 80) }]).enroll(0, 'dibao', start).consentAll(addDays(start, -5));
    }
    // 低保 with an able-bodied member earning a wage in the year: every six months.
    const wageMonth = addMonths(monthOf(d), -kit.rnd.int(0, 11));
    for (const reviewed of [half, addDays(half, -1)]) {
      const start = longAgo();
      quiet([{ age: kit.rnd.int(30, 55) }, { age: kit.rnd.int(5, 15) }])
        .enroll(0, 'dibao', start)
        .consentAll(addDays(start, -3))
        .review(addDays(reviewed, -150))
        .review(reviewed)
        .income(0, 'wage', wageMonth, kit.rnd.int(300, 900) * 100);
    }
    // Near-misses: reviewed a day over six months ago, but the wage was before the year, or the only young member is a
    // full-time student — a yearly household, not overdue.
    {
      const start = longAgo();
      quiet([{ age: kit.rnd.int(30, 55) }])
        .enroll(0, 'dibao', start)
        .consentAll(addDays(start, -3))
        .review(addDays(half, -1))
        .income(0, 'wage', addMonths(monthOf(d), -12), 50_000);
    }
    {
      const start = longAgo();
      const h = quiet([{ age: kit.rnd.int(61, 70) }, { age: 19 }])
        .enroll(0, 'dibao', start)
        .consentAll(addDays(start, -3))
        .review(addDays(half, -1))
        .income(1, 'wage', monthOf(addDays(d, -40)), 40_000);
      kit.emit({ table: 'school_enrollment', row: { person_id: h.people[1]!, school_level: 'undergraduate', full_time: '1', start_date: addDays(d, -300), expected_end_date: addDays(d, 1000), status: 'enrolled' } });
    }
    // A stop decided at the latest review and not carried out: 31 days is within the month allowed, 32 is not.
    for (const days of [31, 32]) {
      const start = longAgo();
      quiet([{ age: kit.rnd.int(60, 80) }])
        .enroll(0, 'dibao', start)
        .consentAll(addDays(start, -3))
        .review(addDays(d, -days - 150))
        .review(addDays(d, -days), 'stopped');
    }
    // Near-miss: stopped long ago, but the household was admitted again afterwards (a new decision, not an unexecuted stop).
    {
      const stopped = addDays(d, -kit.rnd.int(60, 120));
      const restart = addDays(stopped, 20);
      quiet([{ age: kit.rnd.int(60, 80) }]).enroll(0, 'dibao', restart).consentAll(addDays(restart, -3)).review(stopped, 'stopped');
    }
  }
}
