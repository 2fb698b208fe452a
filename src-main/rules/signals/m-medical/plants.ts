/**
 * M-MEDICAL's cases beside their near-misses: a 低保 household whose member paid exactly the threshold (1 万元, quiet)
 * and one 分 over (red: no income); a household without assistance at exactly 2.6 万元 and one 分 over; and the levels
 * at their edges — counted income I = B − 1 (red), B and 2B − 1 (orange), 2B (yellow) — with a second member under the
 * threshold whose burden still counts in B.
 */
import { addDays, monthOf, monthsEnding } from '../../../domain/calendar.js';
import type { PlantKit } from '../../plant-kit.js';
import type { PlantedHousehold } from '../../shared/planted-household.js';
import { household, spread } from '../plant-helpers.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const year = monthsEnding(monthOf(d), 12);
  /** Member i's settlements in the year, self-paid `burdens` each (the fund paid the rest of a larger bill). */
  const settle = (h: PlantedHousehold, i: number, burdens: number[]) => {
    for (const b of burdens) {
      const fund = kit.rnd.int(0, 5_000_000);
      kit.emit({ table: 'medical_settlement', row: { settlement_id: kit.nextRecordId('JCYB'), person_id: h.people[i]!, settle_date: addDays(d, -kit.rnd.int(0, 330)), total_cents: b + fund, fund_paid_cents: fund, self_paid_cents: b, serious_illness: '0' } });
    }
  };
  for (let n = 0; n < kit.count; n++) {
    for (const over of [0, 1]) {
      const assisted = household(kit, [{ age: kit.rnd.int(60, 75) }, { age: kit.rnd.int(60, 75) }], 'JCM', kit.rnd.pick(['dibao', 'tekun', 'dibao_edge']));
      settle(assisted, 1, [600_000, 400_000 + over]);
      const other = household(kit, [{ age: kit.rnd.int(30, 55) }, { age: kit.rnd.int(30, 55) }], 'JCM');
      settle(other, 0, [2_600_000 + over]);
    }
    // Levels: B = 3,000,000 + 500,000 (the second member, under the threshold, counts too).
    const b = 3_500_000;
    for (const income of [b - 1, b, 2 * b - 1, 2 * b]) {
      const h = household(kit, [{ age: kit.rnd.int(30, 55) }, { age: kit.rnd.int(30, 55) }], 'JCM');
      settle(h, 0, [1_000_000, 2_000_000]);
      settle(h, 1, [500_000]);
      spread(h, 1, 'pension', year, income);
    }
  }
}
