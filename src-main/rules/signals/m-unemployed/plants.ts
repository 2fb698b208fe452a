/**
 * M-UNEMPLOYED's cases beside their near-misses: a registration on the window's first day (fires) and the day before
 * (quiet), by the only earner (orange) or beside an earning spouse (yellow); wages in 6 of the 9 months before the
 * window stopping exactly 3 months before D — the last wage in month(D) − 3 (fires) — and in month(D) − 2 (quiet, still
 * paid in the window); 5 of the 9 months (quiet). A wage in month(D) keeps the income feed's newest month at D's.
 */
import { addDays, addMonths, monthOf, monthsEnding } from '../../../domain/calendar.js';
import type { PlantKit } from '../../plant-kit.js';
import type { PlantedHousehold } from '../../shared/planted-household.js';
import { household, windowStart } from '../plant-helpers.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const month = monthOf(d);
  const start = windowStart(d);
  const wages = (h: PlantedHousehold, i: number, months: readonly string[]) => months.forEach((m) => h.income(i, 'wage', m, kit.rnd.int(300_000, 600_000)));
  const register = (h: PlantedHousehold, i: number, date: string) => kit.emit({ table: 'unemployment_registration', row: { person_id: h.people[i]!, registered_date: date, ended_date: null } });
  for (let n = 0; n < kit.count; n++) {
    for (const date of [start, addDays(start, -1)]) {
      for (const spouseEarns of [false, true]) {
        const h = household(kit, [{ age: kit.rnd.int(25, 50) }, { age: kit.rnd.int(25, 50) }], 'JCU');
        wages(h, 0, monthsEnding(addMonths(month, -4), 6));
        if (spouseEarns) wages(h, 1, monthsEnding(month, 12));
        register(h, 0, date);
      }
    }
    // The last wage month, and how many of the 9 months before the window were paid.
    for (const [last, paid, spouseEarns] of [[-3, 6, false], [-3, 6, true], [-2, 6, false], [-3, 5, false]] as const) {
      const h = household(kit, [{ age: kit.rnd.int(25, 50) }, { age: kit.rnd.int(25, 50) }], 'JCU');
      wages(h, 0, monthsEnding(addMonths(month, last), paid));
      if (spouseEarns) wages(h, 1, monthsEnding(month, 12));
    }
  }
}
