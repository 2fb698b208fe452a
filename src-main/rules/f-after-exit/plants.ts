/**
 * F-AFTER-EXIT's own cases at v2's boundary (rules.md v2: a payment inside a 渐退 period of its enrollment is not
 * "after exit"): a 低保 enrollment stopped at the end of a month and followed by a 渐退 of three months, paid at the
 * ratio through the last 渐退 month (no finding) and, beside it, paid also for the month after (fires: that payment
 * only). Households of their own with nothing active at D, so no other rule judges them.
 */
import { addDays, addMonths, lastDayOf, monthOf } from '../../domain/calendar.js';
import type { PlantKit } from '../plant-kit.js';
import { amountDue } from '../shared/gradual-exit.js';
import { PlantedHousehold } from '../shared/planted-household.js';
import { enrollIn, gradualExit, pay, payMonths } from '../shared/plant-rows.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  for (let n = 0; n < kit.count; n++) {
    for (const paidAfter of [false, true]) {
      // Stopped five to ten months before D's month; 渐退 for the three months after.
      const stopMonth = addMonths(monthOf(d), -kit.rnd.int(5, 10));
      const start = addDays(`${stopMonth}-01`, -kit.rnd.int(100, 300));
      const h = new PlantedHousehold(kit, [{ age: kit.rnd.int(30, 55) }, { age: kit.rnd.int(5, 15) }], 'FE').consentAll(addDays(start, -5));
      const e = enrollIn(kit, h, 0, 'dibao', start, { status: 'stopped', end: lastDayOf(stopMonth), monthlyCents: kit.rnd.int(800, 1600) * 100 + 1 });
      const [from, to] = [addMonths(stopMonth, 1), addMonths(stopMonth, 3)];
      const ratio = kit.rnd.pick([null, 0.5, 0.7]);
      gradualExit(kit, h, e, from, to, ratio);
      payMonths(kit, e, monthOf(start), stopMonth);
      // 渐退 months at what F-AMOUNT says is due in them, so that only the month after is anyone's finding.
      for (let m = from; m <= to; m = addMonths(m, 1)) pay(kit, e, m, amountDue(e.monthlyCents, m, [{ enrollment_id: e.id, household_id: h.id, start_period: from, end_period: to, pay_ratio: ratio, reason: null, approved_by: null }]));
      if (paidAfter) pay(kit, e, addMonths(to, 1));
    }
  }
}
