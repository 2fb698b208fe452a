/**
 * Household means by rules.md v2 ("Income", "Assets", §$ S, §M members) in plain TypeScript over a district's rows:
 * the truths of R-EXIT, R-COVER and the rules that judge a household's means read it. Written from the text, not from
 * household-judgement.ts.
 */
import { addMonths, monthOf, monthsEnding } from '../../domain/calendar.js';
import type { EnrollmentRow, FinancialAssetRow, GradualExitRow, HouseholdRow, PaymentRow } from '../../domain/exchange/rows.js';
import { isActiveAt } from '../../domain/rules/facts.js';
import { decimalTimes10k, excludedAt, type ExcludedSource } from '../../domain/rules/parameters.js';
import type { DistrictRows } from '../plant-kit.js';
import { HouseholdRows } from './household-rows.js';

const empty = (v: string | null | undefined) => v === null || v === undefined || v === '';
const heldAt = (start: string | null, end: string | null, d: string) => !!start && start <= d && (empty(end) || end! > d);
/** Binary string order, as SQLite's. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const by = <T>(rows: readonly T[] | undefined, key: (r: T) => string): Map<string, T[]> => {
  const map = new Map<string, T[]>();
  for (const r of rows ?? []) map.set(key(r), [...(map.get(key(r)) ?? []), r]);
  return map;
};

export interface Means {
  members: string[];
  /** S, cents per person per month (null: no standard in force). */
  standard: number | null;
  /** Counted income over the window: the `months` months to D. */
  income: number;
  /** The first month of the window whose counted income > S × members (null: none). */
  firstOver: string | null;
  failsAssets: boolean;
  /** The date the asset test failed from (the earliest failing asset's). */
  assetSince: string | null;
}

export class MeansTruth {
  readonly h: HouseholdRows;
  private readonly households: Map<string, HouseholdRow>;
  private readonly incomes;
  private readonly vehicles;
  private readonly businesses;
  private readonly properties;
  private readonly money;
  readonly gradual: Map<string, GradualExitRow[]>;
  readonly paymentsByPerson: Map<string, PaymentRow[]>;
  readonly enrollments: Map<string, EnrollmentRow>;
  /**
   * The income window in months: `incomeMonths` (a region may set 1 to 24; 12 by default), which also multiplies the
   * line the income is compared with (S × months × members).
   */
  readonly months: number;

  constructor(
    readonly rows: DistrictRows,
    readonly d: string,
    private readonly parameters: Record<string, unknown>,
  ) {
    this.h = new HouseholdRows(rows);
    this.households = new Map((rows.household ?? []).map((h) => [h.household_id, h]));
    this.incomes = by(rows.income_record, (i) => i.person_id);
    this.vehicles = by(rows.vehicle, (v) => v.person_id);
    this.businesses = by(rows.business_registration, (b) => b.person_id);
    this.properties = by(rows.real_estate, (r) => r.person_id);
    this.money = by(rows.financial_asset, (f) => f.person_id);
    this.gradual = by(rows.gradual_exit, (g) => g.enrollment_id);
    this.paymentsByPerson = by(rows.payment, (p) => p.person_id);
    this.enrollments = new Map((rows.enrollment ?? []).map((e) => [e.enrollment_id, e]));
    const months = Math.trunc(Number(parameters.incomeMonths ?? 12));
    this.months = Number.isFinite(months) && months !== 0 ? Math.min(24, Math.max(1, months)) : 12;
  }

  /** §$ S: urban/rural rows that fit, the longest prefix, the latest effective_from ≤ D, a specific row over an empty one. */
  standard(householdId: string): number | null {
    const h = this.households.get(householdId);
    if (!h) return null;
    const fits = (this.rows.policy ?? []).filter(
      (p) => p.program === 'dibao' && h.division_code.startsWith(p.division_prefix) && p.effective_from <= this.d && (empty(p.urban_rural) || p.urban_rural === h.urban_rural),
    );
    fits.sort(
      (a, b) =>
        b.division_prefix.length - a.division_prefix.length || cmp(b.effective_from, a.effective_from) || Number(empty(a.urban_rural)) - Number(empty(b.urban_rural)),
    );
    return fits[0]?.standard_monthly_cents ?? null;
  }

  /** Programmes some member (§M) has active at D, as "dibao" (household coverage), "dibao_single" and the others' codes. */
  programs(householdId: string): Set<string> {
    const out = new Set<string>();
    for (const e of this.h.activeEnrollments(householdId, this.d)) {
      out.add(e.program === 'dibao' && e.coverage === 'single' ? 'dibao_single' : e.program);
    }
    return out;
  }

  means(householdId: string): Means {
    const members = this.h.members(householdId, this.d);
    const standard = this.standard(householdId);
    const s = standard ?? 0;
    const window = monthsEnding(monthOf(this.d), this.months);
    const byMonth = this.countedByMonth(householdId, window);
    const income = [...byMonth.values()].reduce((a, b) => a + b, 0);
    const firstOver = standard === null ? null : (window.find((m) => (byMonth.get(m) ?? 0) > s * members.length) ?? null);

    // The asset test: the date each failing asset made the household fail.
    const since: string[] = [];
    const vehicleLimit = this.parameters.vehicleExemptValue as number | null;
    const capitalLimit = this.parameters.businessExemptCapital as number | null;
    const homes: { date: string; id: string }[] = [];
    const latest = new Map<string, FinancialAssetRow>();
    for (const p of members) {
      for (const v of this.vehicles.get(p) ?? []) {
        if (!heldAt(v.registered_date, v.deregistered_date, this.d) || (v.vehicle_type !== 'car' && v.vehicle_type !== 'truck')) continue;
        const exempt =
          ['medical', 'rehabilitation', 'livelihood'].includes(v.exempt_reason ?? '') ||
          (vehicleLimit !== null && vehicleLimit !== undefined && v.value_cents !== null && v.value_cents !== undefined && v.value_cents <= vehicleLimit);
        if (!exempt) since.push(v.registered_date);
      }
      for (const b of this.businesses.get(p) ?? []) {
        if (b.status !== 'active' || !(b.established_date <= this.d)) continue;
        const exempt = capitalLimit !== null && capitalLimit !== undefined && b.registered_capital_cents !== null && b.registered_capital_cents !== undefined && b.registered_capital_cents <= capitalLimit;
        if (!exempt) since.push(b.established_date);
      }
      for (const r of this.properties.get(p) ?? []) {
        if (!heldAt(r.registered_date, r.deregistered_date, this.d)) continue;
        if (r.usage === 'commercial') since.push(r.registered_date);
        if (r.usage === 'residential') homes.push({ date: r.registered_date, id: r.property_id });
      }
      for (const f of this.money.get(p) ?? []) {
        if (f.as_of_date > this.d) continue;
        const key = `${f.person_id}|${f.kind}|${f.institution}`;
        if (!latest.has(key) || latest.get(key)!.as_of_date < f.as_of_date) latest.set(key, f);
      }
    }
    const limit = Number(this.parameters.residentialLimit);
    homes.sort((a, b) => cmp(a.date, b.date) || cmp(a.id, b.id));
    if (homes.length > limit) since.push(homes[limit]!.date);
    const months = this.parameters.financialAssetMonths as number | null;
    if (months !== null && months !== undefined && standard !== null) {
      const cap = months * s * members.length;
      const rows = [...latest.values()].sort(
        (a, b) => cmp(a.as_of_date, b.as_of_date) || cmp(a.person_id, b.person_id) || cmp(a.kind, b.kind) || cmp(a.institution, b.institution),
      );
      let total = 0;
      for (const f of rows) {
        total += Math.max(0, f.balance_cents);
        if (total > cap) {
          since.push(f.as_of_date);
          break;
        }
      }
    }
    since.sort();
    return { members, standard, income, firstOver, failsAssets: since.length > 0, assetSince: since[0] ?? null };
  }

  /**
   * Counted income ("Income") of the household's members at D, month by month, over the given months (YYYY-MM): the
   * lines whose source is not excluded in their month, less each member-month's employment deduction
   * max(0, min(wage, ratio × S)), ratio × S rounded half-up to the cent.
   */
  countedByMonth(householdId: string, months: readonly string[]): Map<string, number> {
    const s = this.standard(householdId) ?? 0;
    const excluded = this.parameters.excludedSources as ExcludedSource[];
    const ratio = decimalTimes10k(Number(this.parameters.employmentDeductionRatio ?? 0));
    const cap = Math.floor((ratio * s + 5000) / 10_000);
    const byMonth = new Map<string, number>();
    for (const p of this.h.members(householdId, this.d)) {
      const wages = new Map<string, number>();
      for (const i of this.incomes.get(p) ?? []) {
        if (!months.includes(i.period) || excludedAt(excluded, i.period).includes(i.source)) continue;
        byMonth.set(i.period, (byMonth.get(i.period) ?? 0) + i.amount_cents);
        if (i.source === 'wage') wages.set(i.period, (wages.get(i.period) ?? 0) + i.amount_cents);
      }
      for (const [month, wage] of wages) if (wage > 0) byMonth.set(month, byMonth.get(month)! - Math.max(0, Math.min(wage, cap)));
    }
    return byMonth;
  }

  /** Counted income over the given months (countedByMonth, summed). */
  countedIncome(householdId: string, months: readonly string[]): number {
    return [...this.countedByMonth(householdId, months).values()].reduce((a, b) => a + b, 0);
  }

  /** The longest span (months, inclusive) of a gradual_exit row of one of H's 低保 enrollments covering month(D); null: none. */
  gradualSpan(householdId: string): number | null {
    const month = monthOf(this.d);
    let span: number | null = null;
    for (const p of this.h.members(householdId, this.d)) {
      for (const e of this.h.enrollmentsByPerson.get(p) ?? []) {
        if (e.program !== 'dibao') continue;
        for (const g of this.gradual.get(e.enrollment_id) ?? []) {
          if (g.start_period > month || month > g.end_period) continue;
          let n = 1;
          for (let m = g.start_period; m < g.end_period; m = addMonths(m, 1)) n++;
          span = Math.max(span ?? 0, n);
        }
      }
    }
    return span;
  }

  /** Whether an enrollment is active at D (for the rules' own questions). */
  active(e: EnrollmentRow): boolean {
    return isActiveAt(e, this.d);
  }
}
