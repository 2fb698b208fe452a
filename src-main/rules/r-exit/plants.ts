/**
 * R-EXIT's own cases, each beside its near-miss (rules.md v2 "Must show"): an excluded source beside a counted one at
 * the line; a wage exactly equal to the employment deduction and one 分 over it (the example region's ratio); vehicles
 * worth exactly the example region's exemption limit and one 分 over, an exempt car and a motorcycle; a business at the
 * capital limit and over it; one home and two; financial assets exactly at 24 months of the standard and one 分 over; a
 * 渐退 period ending in D's month and in the month before, and spans of 6/7 and 12/13 months; a member in prison (not
 * counted) beside one in detention (counted); a 单人保 household (R-SINGLE's, not R-EXIT's).
 *
 * Every household is on 低保 (paid for the last 12 months at its monthly amount, so the amount at risk is tested) and
 * quiet for the other rules: consents, a recent review, recent visits.
 */
import { addDays, addMonths, monthOf, monthsEnding } from '../../domain/calendar.js';
import type { AnyRow } from '../../domain/exchange/rows.js';
import type { PlantKit } from '../plant-kit.js';
import { exampleValue } from '../shared/example-region.js';
import { PlantedHousehold, type PlantedMember } from '../shared/planted-household.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const year = monthsEnding(monthOf(d), 12);
  const vehicleLimit = exampleValue('vehicleExemptValue') as number;
  const capitalLimit = exampleValue('businessExemptCapital') as number;
  const ratio = exampleValue('employmentDeductionRatio') as number;
  const moneyMonths = exampleValue('financialAssetMonths') as number;
  const longAgo = () => addDays(d, -kit.rnd.int(900, 2500));

  /** A 低保 household (a working-age head and an elderly member), paid for the year, reviewed, consented. */
  const onDibao = (members: PlantedMember[] = [{ age: kit.rnd.int(35, 55) }, { age: kit.rnd.int(65, 80) }], coverage: 'household' | 'single' = 'household') => {
    const start = longAgo();
    const h = new PlantedHousehold(kit, members, 'EX').enroll(0, 'dibao', start, { coverage }).consentAll(addDays(start, -5)).review(addDays(d, -kit.rnd.int(20, 60)));
    h.pay(0, 'dibao', year, kit.dibaoStandardCents(h.division));
    return h;
  };
  const emit = (row: AnyRow) => kit.emit(row);
  const registered = () => addDays(d, -kit.rnd.int(100, 700));

  for (let n = 0; n < kit.count; n++) {
    // Income exactly at the line (2 × S a month for two members, counted), beside an excluded 高龄津贴; and one 分 over.
    for (const extra of [0, 1]) {
      const h = onDibao();
      const s = kit.dibaoStandardCents(h.division);
      year.forEach((m, i) => h.income(0, 'pension', m, 2 * s + (i === 7 ? extra : 0)).income(1, 'elderly_allowance', m, 10_000));
    }
    // A wage exactly the example region's employment deduction, on top of income at the line; and one 分 more.
    for (const extra of [0, 1]) {
      const h = onDibao();
      const s = kit.dibaoStandardCents(h.division);
      const deduction = Math.floor((Math.round(ratio * 10_000) * s + 5000) / 10_000);
      year.forEach((m) => h.income(1, 'pension', m, 2 * s));
      h.income(0, 'wage', year[kit.rnd.int(0, 11)]!, deduction + extra);
    }
    // Vehicles: exactly the example limit (exempt there, counted under the national default), one 分 over (counted
    // everywhere); a car exempt for medical use and a motorcycle (never counted).
    for (const [value, type, reason] of [
      [vehicleLimit, 'car', null],
      [vehicleLimit + 1, 'truck', null],
      [kit.rnd.int(5, 15) * 1_000_000, 'car', 'medical'],
      [kit.rnd.int(1, 9) * 100_000, 'motorcycle', null],
    ] as const) {
      const h = onDibao();
      emit({ table: 'vehicle', row: { plate: kit.nextRecordId('苏AE'), person_id: h.people[0]!, vehicle_type: type, registered_date: registered(), deregistered_date: null, value_cents: value, exempt_reason: reason } });
    }
    // A business at the example capital limit, and one 分 over it.
    for (const capital of [capitalLimit, capitalLimit + 1]) {
      const h = onDibao();
      emit({ table: 'business_registration', row: { entity_id: kit.nextRecordId('91320111EX'), entity_name: '便民小卖部', person_id: h.people[0]!, role: 'legal_rep', registered_capital_cents: capital, status: 'active', established_date: registered() } });
    }
    // One home (allowed) and two (the second's registration is when the household failed).
    for (const homes of [1, 2]) {
      const h = onDibao();
      for (let k = 0; k < homes; k++) emit({ table: 'real_estate', row: { property_id: kit.nextRecordId('REEX'), person_id: h.people[k % 2]!, usage: 'residential', area_sqm: 60, registered_date: registered(), deregistered_date: null } });
    }
    // Financial assets: exactly 24 months of the standard for two members (latest rows), and one 分 over; an older,
    // larger check of the same account and a negative balance that counts as 0.
    for (const extra of [0, 1]) {
      const h = onDibao();
      const limit = moneyMonths * kit.dibaoStandardCents(h.division) * 2;
      const first = Math.floor(limit / 2);
      const bank = kit.rnd.pick(['工商银行', '农业银行', '建设银行']);
      const row = (person: number, kind: 'deposit' | 'online', institution: string, balance: number, date: string): AnyRow => ({
        table: 'financial_asset',
        row: { person_id: h.people[person]!, kind, institution, balance_cents: balance, as_of_date: date },
      });
      emit(row(0, 'deposit', bank, limit * 3, addDays(d, -400)));
      emit(row(0, 'deposit', bank, first, addDays(d, -kit.rnd.int(40, 80))));
      emit(row(1, 'deposit', bank, limit - first + extra, addDays(d, -kit.rnd.int(5, 30))));
      emit(row(1, 'online', '支付宝', -50_000, addDays(d, -kit.rnd.int(5, 30))));
    }
    // Income over the line in a 渐退 period: one ending in D's month (covers D: no income reason), one ending the month
    // before (income fires; the 渐退 months' payments are not at risk).
    for (const endsBack of [0, 1]) {
      const h = onDibao();
      const s = kit.dibaoStandardCents(h.division);
      year.forEach((m) => h.income(0, 'wage', m, 3 * s));
      const end = addMonths(monthOf(d), -endsBack);
      emit({ table: 'gradual_exit', row: { enrollment_id: h.enrollmentIds[0]!, household_id: h.id, start_period: addMonths(end, -3), end_period: end, pay_ratio: null, reason: 'employment', approved_by: '街道办事处' } });
    }
    // 渐退 spans around the national 12 months and the example's 6: only the span matters, so the household is under the line.
    for (const span of [6, 7, 12, 13]) {
      const h = onDibao();
      const end = addMonths(monthOf(d), kit.rnd.int(0, 1));
      emit({ table: 'gradual_exit', row: { enrollment_id: h.enrollmentIds[0]!, household_id: h.id, start_period: addMonths(end, -(span - 1)), end_period: end, pay_ratio: null, reason: 'pension', approved_by: '街道办事处' } });
    }
    // A member in prison at D is not a member (§M): his wage does not count; in detention, it does.
    for (const kind of ['prison', 'detention'] as const) {
      const h = onDibao([{ age: kit.rnd.int(60, 75) }, { age: kit.rnd.int(30, 45) }]);
      const s = kit.dibaoStandardCents(h.division);
      year.forEach((m) => h.income(1, 'wage', m, 3 * s));
      emit({ table: 'imprisonment', row: { person_id: h.people[1]!, start_date: addDays(d, -kit.rnd.int(10, 40)), end_date: null, kind } });
    }
    // A 单人保 member of a household well over the line is not R-EXIT's (it is R-SINGLE's question).
    {
      const h = onDibao([{ age: kit.rnd.int(40, 55) }, { age: kit.rnd.int(40, 55) }], 'single');
      const s = kit.dibaoStandardCents(h.division);
      year.forEach((m) => h.income(1, 'wage', m, 4 * s));
    }
  }
}
