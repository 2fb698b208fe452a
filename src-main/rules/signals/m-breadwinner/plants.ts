/**
 * M-BREADWINNER's cases beside their near-misses: the member who earned one 分 more than the other over the year dies
 * in the window (fires) — and one who earned one 分 less (quiet); equal earnings (a tie: fires); the breadwinner
 * imprisoned in the window (fires); a death the day before the window (quiet).
 */
import { addDays, monthOf, monthsEnding } from '../../../domain/calendar.js';
import type { PlantKit } from '../../plant-kit.js';
import { household, spread, windowStart } from '../plant-helpers.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const start = windowStart(d);
  const year = monthsEnding(monthOf(d), 12);
  for (let n = 0; n < kit.count; n++) {
    const base = kit.rnd.int(30_000, 60_000) * 100;
    for (const [margin, event, date] of [
      [1, 'death', addDays(d, -kit.rnd.int(0, 40))],
      [-1, 'death', addDays(d, -kit.rnd.int(0, 40))],
      [0, 'death', addDays(d, -kit.rnd.int(0, 40))],
      [1, 'prison', start],
      [1, 'death', addDays(start, -1)],
    ] as const) {
      const h = household(kit, [{ age: kit.rnd.int(30, 55) }, { age: kit.rnd.int(30, 55) }, { age: 10 }], 'JCB');
      spread(h, 0, 'wage', year.slice(0, 9), base + margin);
      spread(h, 1, kit.rnd.pick(['wage', 'business'] as const), year, base);
      if (event === 'death') h.death(0, date);
      else kit.emit({ table: 'imprisonment', row: { person_id: h.people[0]!, start_date: date, end_date: null, kind: 'prison' } });
    }
  }
}
