/**
 * monitoring.md's shared readings in plain TypeScript over a district's rows, for the signals' truths (truth.ts) —
 * written from the text, not from any statement: the window and the year as months and dates (§T), §M members (the
 * household judgement's truth, means-truth.ts, which also gives counted income), and the feeds' rows by person.
 */
import { addMonthsToDate, monthOf, monthsEnding } from '../../domain/calendar.js';
import type { DisabilityCertRow, DisasterVictimRow, ImprisonmentRow, IncomeRecordRow, MedicalSettlementRow, SchoolEnrollmentRow, UnemploymentRegistrationRow } from '../../domain/exchange/rows.js';
import { ageOn } from '../../domain/calendar.js';
import { isActiveAt, isValidAt } from '../../domain/rules/facts.js';
import type { DistrictRows } from '../plant-kit.js';
import { MeansTruth } from '../shared/means-truth.js';
import type { SignalContext } from './types.js';

const by = <T>(rows: readonly T[] | undefined, key: (r: T) => string): Map<string, T[]> => {
  const map = new Map<string, T[]>();
  for (const r of rows ?? []) {
    const list = map.get(key(r));
    if (list) list.push(r);
    else map.set(key(r), [r]);
  }
  return map;
};

export class MonitorTruth {
  readonly means: MeansTruth;
  readonly d: string;
  /** The windowMonths months to D, and its first day. */
  readonly windowMonths: string[];
  readonly windowStart: string;
  /** The 12 months to D, and its first day. */
  readonly yearMonths: string[];
  readonly yearStart: string;
  readonly settlements: Map<string, MedicalSettlementRow[]>;
  readonly certs: Map<string, DisabilityCertRow[]>;
  readonly registrations: Map<string, UnemploymentRegistrationRow[]>;
  readonly schools: Map<string, SchoolEnrollmentRow[]>;
  readonly disasters: Map<string, DisasterVictimRow[]>;
  readonly imprisonments: Map<string, ImprisonmentRow[]>;
  readonly incomes: Map<string, IncomeRecordRow[]>;

  constructor(
    readonly rows: DistrictRows,
    readonly ctx: SignalContext,
  ) {
    this.d = ctx.asOf;
    this.means = new MeansTruth(rows, ctx.asOf, ctx.parameters);
    this.windowMonths = monthsEnding(monthOf(this.d), Number(ctx.parameters.windowMonths ?? 3));
    this.windowStart = `${this.windowMonths[0]}-01`;
    this.yearMonths = monthsEnding(monthOf(this.d), 12);
    this.yearStart = `${this.yearMonths[0]}-01`;
    this.settlements = by(rows.medical_settlement, (r) => r.person_id);
    this.certs = by(rows.disability_cert, (r) => r.person_id);
    this.registrations = by(rows.unemployment_registration, (r) => r.person_id);
    this.schools = by(rows.school_enrollment, (r) => r.person_id);
    this.disasters = by(rows.disaster_victim, (r) => r.person_id);
    this.imprisonments = by(rows.imprisonment, (r) => r.person_id);
    this.incomes = by(rows.income_record, (r) => r.person_id);
  }

  /** §T: a date in the window (the first day of its first month ≤ x ≤ D). */
  inWindow(date: string | null | undefined): boolean {
    return !!date && this.windowStart <= date && date <= this.d;
  }

  inYear(date: string): boolean {
    return this.yearStart <= date && date <= this.d;
  }

  /** The households a signal is evaluated for: every household of the snapshot (a `household` row) with listed members. */
  households(): string[] {
    const known = new Set((this.rows.household ?? []).map((h) => h.household_id));
    return this.means.h.households().filter((h) => known.has(h));
  }

  /** §M members at D. */
  members(householdId: string): string[] {
    return this.means.h.members(householdId, this.d);
  }

  /** Every person on the household's household_member rows (prisoners too). */
  listed(householdId: string): string[] {
    return this.means.h.membersByHousehold.get(householdId) ?? [];
  }

  /** "H has programme X active at D": some §M member has an enrollment of one of them active at D. */
  hasProgram(householdId: string, programs: readonly string[]): boolean {
    return this.members(householdId).some((p) => (this.means.h.enrollmentsByPerson.get(p) ?? []).some((e) => programs.includes(e.program) && isActiveAt(e, this.d)));
  }

  /** A person's certificate valid at D, if any. */
  validCert(person: string): DisabilityCertRow | undefined {
    return (this.certs.get(person) ?? []).find((c) => isValidAt(c.valid_from, c.valid_to, this.d));
  }

  age(person: string): number | null {
    const p = this.means.h.persons.get(person);
    return p ? ageOn(p.birth_date, this.d) : null;
  }

  /** A person's wage (source `wage`) per month, summed as delivered. */
  wageByMonth(person: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const i of this.incomes.get(person) ?? []) if (i.source === 'wage') out.set(i.period, (out.get(i.period) ?? 0) + i.amount_cents);
    return out;
  }

  /** addMonths(D, −n) (§T). */
  monthsBeforeD(n: number): string {
    return addMonthsToDate(this.d, -n);
  }
}
