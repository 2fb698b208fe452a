/**
 * R-SINGLE's own cases beside their near-misses (rules.md v2). Each is a 低保边缘 household of two: the 单人保 person
 * (paid for the year) and a working relative, with counted income between the 低保 line and 1.5 times it unless the
 * case is about income. Condition: a level-2 certificate of any type qualifies, level 3 only for 智力/精神 (type 5/6);
 * a certificate valid to D qualifies, to the day before does not; a 重特大疾病 settled on the window's first day
 * qualifies, the day before does not. Income exactly 1.5 × the line (income) and one 分 under; exactly at the line
 * (whole household only: no amount) and one 分 over. A car fails the asset test.
 */
import { addDays, addMonths, monthOf, monthsEnding } from '../../domain/calendar.js';
import type { PlantKit } from '../plant-kit.js';
import { PlantedHousehold } from '../shared/planted-household.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const year = monthsEnding(monthOf(d), 12);
  const windowStart = `${addMonths(monthOf(d), -11)}-01`;

  /** The household; `total(s)` is the year's counted income of the relative (a pension), the line being s × 24. */
  const single = (total: (s: number) => number, cert: { type: string; level: number; validTo?: string | null } | null) => {
    // Enrolled well before the year, so that every payment of the year falls inside the enrollment.
    const start = addDays(d, -kit.rnd.int(420, 900));
    const h = new PlantedHousehold(kit, [{ age: kit.rnd.int(30, 55) }, { age: kit.rnd.int(61, 70) }], 'SG')
      .enroll(0, 'dibao_edge', start)
      .enroll(0, 'dibao', addDays(start, 30), { coverage: 'single' })
      .consentAll(addDays(start, -5))
      .review(addDays(d, -kit.rnd.int(10, 60)));
    const s = kit.dibaoStandardCents(h.division);
    h.pay(0, 'dibao', year, s);
    const cents = total(s);
    const monthly = Math.floor(cents / 12);
    year.forEach((m, i) => h.income(1, 'pension', m, i === 11 ? cents - monthly * 11 : monthly));
    if (cert) {
      kit.emit({ table: 'disability_cert', row: { person_id: h.people[0]!, disability_type: cert.type, disability_level: cert.level, valid_from: addDays(d, -kit.rnd.int(400, 1500)), valid_to: cert.validTo ?? null } });
    }
    return h;
  };
  const middle = (s: number) => s * 30;
  const illness = (h: PlantedHousehold, date: string) =>
    kit.emit({ table: 'medical_settlement', row: { settlement_id: kit.nextRecordId('YBSG'), person_id: h.people[0]!, settle_date: date, total_cents: 12_000_000, fund_paid_cents: 9_000_000, self_paid_cents: 3_000_000, serious_illness: '1' } });

  for (let n = 0; n < kit.count; n++) {
    // The condition.
    single(middle, { type: '4', level: 2 });
    single(middle, { type: '4', level: 3 });
    single(middle, { type: '5', level: 3 });
    single(middle, { type: '1', level: 1, validTo: d });
    single(middle, { type: '1', level: 1, validTo: addDays(d, -1) });
    illness(single(middle, null), windowStart);
    illness(single(middle, null), addDays(windowStart, -1));
    // The household's income, for a qualifying person.
    for (const under of [0, 1]) single((s) => Math.round(1.5 * s * 24) - under, { type: '6', level: 2 });
    for (const over of [0, 1]) single((s) => s * 24 + over, { type: '6', level: 2 });
    // The household's assets.
    const h = single(middle, { type: '2', level: 1 });
    kit.emit({ table: 'vehicle', row: { plate: kit.nextRecordId('苏AS'), person_id: h.people[1]!, vehicle_type: 'car', registered_date: addDays(d, -kit.rnd.int(100, 700)), deregistered_date: null, value_cents: kit.rnd.int(3, 9) * 1_000_000, exempt_reason: null } });
  }
}
