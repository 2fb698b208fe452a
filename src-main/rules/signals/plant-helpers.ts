/**
 * Small helpers for the signals' plants (plants.ts): the window's first day as monitoring.md counts it (the first day
 * of month(D) − windowMonths + 1, at the default of 3), and households quiet for every rule of the library — no
 * enrollment unless the plant needs a layer (then with consents and a recent review, like the rules' own plants).
 */
import { addDays, addMonths, monthOf } from '../../domain/calendar.js';
import type { IncomeSource } from '../../domain/exchange/rows.js';
import type { PlantKit } from '../plant-kit.js';
import { PlantedHousehold, type PlantedMember } from '../shared/planted-household.js';

/** The default window's first day (windowMonths = 3). */
export const windowStart = (d: string) => `${addMonths(monthOf(d), -2)}-01`;

/** A household of the given members; `program` enrolls member 0 (with complete consents and a recent review). */
export function household(kit: PlantKit, members: readonly PlantedMember[], prefix: string, program?: string): PlantedHousehold {
  const h = new PlantedHousehold(kit, members, prefix);
  if (program) {
    const start = addDays(kit.asOf, -kit.rnd.int(200, 900));
    h.enroll(0, program, start).consentAll(addDays(start, -5)).review(addDays(kit.asOf, -kit.rnd.int(10, 60)));
  }
  return h;
}

/** `total` cents of one source spread over the months for member i, to the cent (the last month takes the remainder). */
export function spread(h: PlantedHousehold, i: number, source: IncomeSource, months: readonly string[], total: number): void {
  const monthly = Math.floor(total / months.length);
  months.forEach((m, k) => h.income(i, source, m, k === months.length - 1 ? total - monthly * (months.length - 1) : monthly));
}
