/**
 * R-EDGE's own cases beside their near-misses (rules.md v2): a 低保边缘 household of two whose counted income is
 * exactly 1.5 × S × 12 × 2 (fires) and one 分 under (does not); the same at the example region's multiple of 2; a car
 * (fails the asset test) beside an exempt 生计 truck; a member's 单人保 does not shelter the household.
 */
import { addDays, monthOf, monthsEnding } from '../../domain/calendar.js';
import type { PlantKit } from '../plant-kit.js';
import { exampleValue } from '../shared/example-region.js';
import { PlantedHousehold } from '../shared/planted-household.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const year = monthsEnding(monthOf(d), 12);
  const exampleMultiple = exampleValue('edgeMultiple') as number;

  /** A 低保边缘 household of two (both over 60: no wage, yearly reviews) with `total` cents of counted pension over the year. */
  const onEdge = (total: (s: number) => number) => {
    const start = addDays(d, -kit.rnd.int(200, 900));
    const h = new PlantedHousehold(kit, [{ age: kit.rnd.int(60, 75) }, { age: kit.rnd.int(60, 75) }], 'ED').enroll(0, 'dibao_edge', start).consentAll(addDays(start, -5));
    const s = kit.dibaoStandardCents(h.division);
    const cents = total(s);
    const monthly = Math.floor(cents / 12);
    year.forEach((m, i) => h.income(0, 'pension', m, i === 11 ? cents - monthly * 11 : monthly));
    return h;
  };

  for (let n = 0; n < kit.count; n++) {
    for (const multiple of [1.5, exampleMultiple]) {
      for (const under of [0, 1]) onEdge((s) => Math.round(multiple * s * 24) - under);
    }
    for (const [type, reason] of [['car', null], ['truck', 'livelihood']] as const) {
      const h = onEdge((s) => s * 12);
      kit.emit({ table: 'vehicle', row: { plate: kit.nextRecordId('苏AD'), person_id: h.people[1]!, vehicle_type: type, registered_date: addDays(d, -kit.rnd.int(100, 700)), deregistered_date: null, value_cents: kit.rnd.int(3, 9) * 1_000_000, exempt_reason: reason } });
    }
    {
      const h = onEdge((s) => s * 40);
      h.enroll(1, 'dibao', addDays(d, -kit.rnd.int(100, 400)), { coverage: 'single' }).review(addDays(d, -kit.rnd.int(10, 60)));
    }
  }
}
