/**
 * M-DISABILITY's cases beside their near-misses: a level-1 certificate first issued on the window's first day (red: an
 * old person alone) and the day before (quiet); level 1 beside a 40-year-old without a certificate (orange); level 3
 * alone (quiet) and beside a second holder (一户多残, orange); a renewal (valid_from in the window, first issued years
 * ago: quiet).
 */
import { addDays } from '../../../domain/calendar.js';
import type { PlantKit } from '../../plant-kit.js';
import type { PlantedHousehold } from '../../shared/planted-household.js';
import { household, windowStart } from '../plant-helpers.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const start = windowStart(d);
  const cert = (h: PlantedHousehold, i: number, level: number, validFrom: string, firstIssued: string | null) =>
    kit.emit({ table: 'disability_cert', row: { person_id: h.people[i]!, disability_type: kit.rnd.pick(['1', '2', '4', '5', '6']), disability_level: level, valid_from: validFrom, valid_to: null, first_issued_date: firstIssued } });
  for (let n = 0; n < kit.count; n++) {
    for (const first of [start, addDays(start, -1)]) cert(household(kit, [{ age: kit.rnd.int(65, 80) }], 'JCD'), 0, 1, first, kit.rnd.chance(0.5) ? first : null);
    cert(household(kit, [{ age: kit.rnd.int(65, 80) }, { age: 40 }], 'JCD'), 0, 1, addDays(d, -kit.rnd.int(0, 20)), null);
    cert(household(kit, [{ age: kit.rnd.int(30, 50) }], 'JCD'), 0, 3, addDays(d, -kit.rnd.int(0, 20)), null);
    const two = household(kit, [{ age: kit.rnd.int(30, 50) }, { age: kit.rnd.int(60, 70) }], 'JCD');
    cert(two, 0, 3, addDays(d, -kit.rnd.int(0, 20)), null);
    cert(two, 1, 4, addDays(d, -kit.rnd.int(400, 900)), null);
    cert(household(kit, [{ age: kit.rnd.int(65, 80) }], 'JCD'), 0, 1, addDays(d, -kit.rnd.int(0, 20)), addDays(d, -kit.rnd.int(800, 2000)));
  }
}
