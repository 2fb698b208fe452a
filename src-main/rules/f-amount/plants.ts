/**
 * F-AMOUNT's own cases at v2's boundary (rules.md v2: inside a 渐退 period the due amount is
 * round_half_up(monthly_amount × pay_ratio)): 低保 enrollments whose monthly amount × ratio ends in half a 分, paid
 * exactly the rounded amount (no finding), one 分 more (fires, 0.01 元 at risk) and one 分 less — what truncating would
 * pay (fires, owed to the household); and a 渐退 that ended the month before D's, paid at the ratio through its last
 * month (no finding) and, beside it, at the ratio for D's month too (fires: short of the full amount due again).
 * Households with 低保 active at D, consents and a recent review, no income or assets.
 */
import { addDays, addMonths, monthOf } from '../../domain/calendar.js';
import type { GradualExitRow } from '../../domain/exchange/rows.js';
import type { PlantKit } from '../plant-kit.js';
import { amountDue } from '../shared/gradual-exit.js';
import { PlantedHousehold } from '../shared/planted-household.js';
import { enrollIn, gradualExit, pay, payMonths, type PlantedEnrollment } from '../shared/plant-rows.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const month = monthOf(d);
  /** A 低保 household (two adults of 60 or more: nobody of working age) whose enrollment began well before its 渐退. */
  const household = (monthlyCents: number) => {
    const start = addDays(d, -kit.rnd.int(400, 680));
    const h = new PlantedHousehold(kit, [{ age: kit.rnd.int(60, 75) }, { age: kit.rnd.int(60, 75) }], 'FA').consentAll(addDays(start, -5)).review(addDays(d, -kit.rnd.int(10, 60)));
    return { h, e: enrollIn(kit, h, 0, 'dibao', start, { monthlyCents }), start };
  };
  const row = (e: PlantedEnrollment, from: string, to: string, ratio: number | null): GradualExitRow => ({
    enrollment_id: e.id,
    household_id: null,
    start_period: from,
    end_period: to,
    pay_ratio: ratio,
    reason: null,
    approved_by: null,
  });

  for (let n = 0; n < kit.count; n++) {
    // Half a 分: an odd monthly amount at 0.5, or one that × 0.3 ends in 5 tenths of a 分 (…5 × 0.3 = ….5).
    for (const off of [0, 1, -1]) {
      const ratio = kit.rnd.pick([0.5, 0.3]);
      const monthly = ratio === 0.5 ? kit.rnd.int(500, 900) * 100 + 1 : kit.rnd.int(500, 900) * 100 + 5;
      const { h, e, start } = household(monthly);
      const from = addMonths(month, -kit.rnd.int(1, 3));
      gradualExit(kit, h, e, from, addMonths(month, kit.rnd.int(1, 3)), ratio);
      payMonths(kit, e, monthOf(start), addMonths(from, -1));
      const due = amountDue(monthly, from, [row(e, from, month, ratio)]);
      for (let m = from; m <= month; m = addMonths(m, 1)) pay(kit, e, m, m === month ? due + off : due);
    }
    // A 渐退 that ended the month before D's: the ratio is due through its last month, the full amount again after it.
    for (const paidAtRatioAfter of [false, true]) {
      const ratio = kit.rnd.pick([0.5, 0.7]);
      const { h, e, start } = household(kit.rnd.int(500, 900) * 100);
      const [from, to] = [addMonths(month, -kit.rnd.int(2, 4)), addMonths(month, -1)];
      gradualExit(kit, h, e, from, to, ratio);
      payMonths(kit, e, monthOf(start), addMonths(from, -1));
      const due = amountDue(e.monthlyCents, from, [row(e, from, to, ratio)]);
      for (let m = from; m <= to; m = addMonths(m, 1)) pay(kit, e, m, due);
      pay(kit, e, month, paidAtRatioAfter ? due : e.monthlyCents);
    }
  }
}
