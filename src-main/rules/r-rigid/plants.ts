/**
 * R-RIGID's own cases beside their near-misses (rules.md v2): a recognition started exactly rigidValidityMonths before
 * D (expired) and a day later (valid); counted income exactly the example region's per-capita disposable income ×
 * members (fires with that set) and one 分 under; a member also on 低保边缘 (overlap); a car (assets).
 */
import { addDays, addMonthsToDate, monthOf, monthsEnding } from '../../domain/calendar.js';
import type { PlantKit } from '../plant-kit.js';
import { exampleValue } from '../shared/example-region.js';
import { PlantedHousehold } from '../shared/planted-household.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const year = monthsEnding(monthOf(d), 12);
  const disposable = exampleValue('disposableIncomeAnnual') as Record<string, number>;

  /** A 刚性支出 household of two (urban: PlantedHousehold's households are), recognised from `start`. */
  const rigid = (start: string, total = 0) => {
    const h = new PlantedHousehold(kit, [{ age: kit.rnd.int(35, 55) }, { age: kit.rnd.int(8, 15) }], 'RG').enroll(0, 'rigid_expense', start).consentAll(addDays(start, -5));
    const monthly = Math.floor(total / 12);
    if (total > 0) year.forEach((m, i) => h.income(0, 'pension', m, i === 11 ? total - monthly * 11 : monthly));
    return h;
  };
  const recent = () => addDays(d, -kit.rnd.int(30, 300));

  for (let n = 0; n < kit.count; n++) {
    const validity = 12;
    rigid(addMonthsToDate(d, -validity));
    rigid(addDays(addMonthsToDate(d, -validity), 1));
    for (const under of [0, 1]) rigid(recent(), disposable['1']! * 2 - under);
    rigid(recent()).enroll(1, 'dibao_edge', recent());
    const h = rigid(recent());
    kit.emit({ table: 'vehicle', row: { plate: kit.nextRecordId('苏AR'), person_id: h.people[0]!, vehicle_type: 'car', registered_date: addDays(d, -kit.rnd.int(100, 700)), deregistered_date: null, value_cents: kit.rnd.int(3, 9) * 1_000_000, exempt_reason: null } });
  }
}
