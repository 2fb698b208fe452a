/**
 * Rows a rule's plants add to a PlantedHousehold (planted-household.ts) beyond 低保 and 特困: enrollments in any
 * programme, monthly payments that match them exactly (so that no F-rule sees them unless the plant means it),
 * certificates, school enrollments and imprisonments. Each takes the kit and the household, and a member's index.
 */
import { addMonths } from '../../domain/calendar.js';
import type { EnrollmentRow, ImprisonmentRow, SchoolEnrollmentRow } from '../../domain/exchange/rows.js';
import type { PlantKit } from '../plant-kit.js';
import type { PlantedHousehold } from './planted-household.js';

export interface PlantedEnrollment {
  id: string;
  personId: string;
  program: string;
  monthlyCents: number;
}

/** An enrollment of member i (active from `start`, open-ended unless `end` is given); returns what payments need. */
export function enrollIn(
  kit: PlantKit,
  h: PlantedHousehold,
  i: number,
  program: string,
  start: string,
  o: { monthlyCents?: number; end?: string | null; status?: EnrollmentRow['status']; category?: string | null } = {},
): PlantedEnrollment {
  const id = kit.nextId('enrollment');
  const monthlyCents = o.monthlyCents ?? kit.rnd.int(300, 900) * 100;
  kit.emit({
    table: 'enrollment',
    row: {
      enrollment_id: id,
      person_id: h.people[i]!,
      household_id: h.id,
      program,
      status: o.status ?? 'active',
      start_date: start,
      end_date: o.end ?? null,
      monthly_amount_cents: monthlyCents,
      support_mode: program === 'tekun' ? '2' : null,
      cause: program === 'tekun' ? 'no_labor' : null,
      ...(program === 'dibao' ? { coverage: 'household' } : {}),
      ...(o.category !== undefined ? { category: o.category } : {}),
    },
  });
  return { id, personId: h.people[i]!, program, monthlyCents };
}

/** One payment of an enrollment for a period (its monthly amount unless `cents` says otherwise), paid on the 10th (or D). */
export function pay(kit: PlantKit, e: PlantedEnrollment, period: string, cents = e.monthlyCents): string {
  const id = kit.nextId('payment');
  // Never paid after D: that would be a data-quality finding (Q-DATES) of its own.
  const paid = [`${period}-10`, kit.asOf].sort()[0]!;
  kit.emit({ table: 'payment', row: { payment_id: id, enrollment_id: e.id, person_id: e.personId, program: e.program, period, amount_cents: cents, paid_date: paid } });
  return id;
}

/**
 * The enrollment's monthly amount for every month from `from` to `to` (YYYY-MM, inclusive). Plants start their paid
 * enrollments within the two years before D, as the sparse district pays (dense-profile.test.ts counts its years).
 */
export function payMonths(kit: PlantKit, e: PlantedEnrollment, from: string, to: string): void {
  for (let m = from; m <= to; m = addMonths(m, 1)) pay(kit, e, m);
}

export function certificate(kit: PlantKit, h: PlantedHousehold, i: number, type: string, level: number, validFrom: string, validTo: string | null = null): void {
  kit.emit({ table: 'disability_cert', row: { person_id: h.people[i]!, disability_type: type, disability_level: level, valid_from: validFrom, valid_to: validTo } });
}

export function school(
  kit: PlantKit,
  h: PlantedHousehold,
  i: number,
  level: SchoolEnrollmentRow['school_level'],
  start: string,
  expectedEnd: string | null,
  o: { fullTime?: string | null; status?: SchoolEnrollmentRow['status'] } = {},
): void {
  kit.emit({ table: 'school_enrollment', row: { person_id: h.people[i]!, school_level: level, full_time: o.fullTime === undefined ? '1' : o.fullTime, start_date: start, expected_end_date: expectedEnd, status: o.status ?? 'enrolled' } });
}

export function imprisonment(kit: PlantKit, h: PlantedHousehold, i: number, kind: ImprisonmentRow['kind'], start: string, end: string | null = null): void {
  kit.emit({ table: 'imprisonment', row: { person_id: h.people[i]!, start_date: start, end_date: end, kind } });
}

/** A 渐退 row for an enrollment: paid at `payRatio` (null = in full) from `from` to `to` (YYYY-MM, inclusive). */
export function gradualExit(kit: PlantKit, h: PlantedHousehold, e: PlantedEnrollment, from: string, to: string, payRatio: number | null): void {
  kit.emit({ table: 'gradual_exit', row: { enrollment_id: e.id, household_id: h.id, start_period: from, end_period: to, pay_ratio: payRatio, reason: 'employment', approved_by: '街道办事处' } });
}
