/**
 * M-DISASTER's cases beside their near-misses: a loss exactly at the red line, 12 × S × members (orange), and one 分
 * over (red); an event on the window's first day (fires) and the day before (quiet); a loss not assessed (NULL: orange);
 * two events in one household (two hits, the larger loss deciding the level).
 */
import { addDays } from '../../../domain/calendar.js';
import type { DisasterVictimRow } from '../../../domain/exchange/rows.js';
import type { PlantKit } from '../../plant-kit.js';
import type { PlantedHousehold } from '../../shared/planted-household.js';
import { household, windowStart } from '../plant-helpers.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const start = windowStart(d);
  const kinds: DisasterVictimRow['kind'][] = ['flood', 'fire', 'earthquake', 'accident', 'other'];
  const hit = (h: PlantedHousehold, i: number, date: string, loss: number | null, kind = kit.rnd.pick(kinds)) =>
    kit.emit({ table: 'disaster_victim', row: { person_id: h.people[i]!, event_date: date, kind, loss_cents: loss } });
  const pair = () => household(kit, [{ age: kit.rnd.int(30, 70) }, { age: kit.rnd.int(30, 70) }], 'JCZ');
  for (let n = 0; n < kit.count; n++) {
    for (const over of [0, 1]) {
      const h = pair();
      hit(h, 0, addDays(d, -kit.rnd.int(0, 50)), 12 * kit.dibaoStandardCents(h.division) * 2 + over);
    }
    for (const date of [start, addDays(start, -1)]) hit(pair(), 1, date, kit.rnd.int(1, 50) * 100_000);
    hit(pair(), 0, addDays(d, -kit.rnd.int(0, 50)), null);
    const two = pair();
    hit(two, 0, addDays(d, -kit.rnd.int(30, 50)), 100_000, 'flood');
    hit(two, 1, addDays(d, -kit.rnd.int(0, 29)), 12 * kit.dibaoStandardCents(two.division) * 2 + 1, 'fire');
  }
}
