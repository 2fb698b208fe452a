/**
 * M-INCOME-DROP's cases beside their near-misses, for a household of two without assistance: income over the 3 months
 * before the window exactly 1.5 × S × 3 × 2 (fires) and one 分 under (quiet); income over the window one 分 under
 * S × 3 × 2 (fires) and exactly at it (quiet). Counted income: a pension (counted) spread over the months; and wages
 * aimed at the example region's margin after its employment deduction.
 */
import { addMonths, monthOf, monthsEnding } from '../../../domain/calendar.js';
import { decimalTimes10k } from '../../../domain/rules/parameters.js';
import type { PlantKit } from '../../plant-kit.js';
import { exampleValue } from '../../shared/example-region.js';
import { household, spread } from '../plant-helpers.js';

export function plant(kit: PlantKit): void {
  const month = monthOf(kit.asOf);
  const window = monthsEnding(month, 3);
  const prior = monthsEnding(addMonths(month, -3), 3);
  for (let n = 0; n < kit.count; n++) {
    for (const [priorUnder, windowAt] of [[0, false], [1, false], [0, true]] as const) {
      const h = household(kit, [{ age: kit.rnd.int(30, 55) }, { age: kit.rnd.int(30, 55) }], 'JCI');
      const s = kit.dibaoStandardCents(h.division);
      spread(h, 0, 'pension', prior, Math.ceil((15_000 * s * 3 * 2) / 10_000) - priorUnder);
      spread(h, 1, 'pension', window, s * 3 * 2 - (windowAt ? 0 : 1));
    }
    // At the example region's values (a margin of 2 × S, wages less 0.3 × S a month): wages over P whose counted income
    // is exactly 2 × S × 3 × 2 (fires there) and one 分 under (quiet there; both fire at the defaults).
    for (const under of [0, 1]) {
      const h = household(kit, [{ age: kit.rnd.int(30, 55) }, { age: kit.rnd.int(30, 55) }], 'JCI');
      const s = kit.dibaoStandardCents(h.division);
      const deduction = Math.floor((decimalTimes10k(exampleValue('employmentDeductionRatio') as number) * s + 5000) / 10_000);
      const margin = Math.ceil((decimalTimes10k(exampleValue('edgeMultiple') as number) * s * 3 * 2) / 10_000);
      spread(h, 0, 'wage', prior, margin + 3 * deduction - under);
    }
  }
}
