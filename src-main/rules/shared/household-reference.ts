/** The household judgement of R-EXIT and R-COVER (and the pre-check's 低保 test) in plain TypeScript (rules.md). */
import { monthOf, monthsEnding } from '../../domain/calendar.js';
import { isActiveAt, isHeldAt, type EvaluationContext, type HouseholdFacts } from '../../domain/rules/facts.js';
import { decimalTimes10k, excludedAt, parameterByName, type ExcludedSource } from '../../domain/rules/parameters.js';

/**
 * Counted income over the 12 months to D (rules.md v2 "Income"): the members' income lines whose source is not
 * excluded in their month, less the employment deduction — for each member and month with counted wage W > 0,
 * max(0, min(W, ratio × S)), ratio × S rounded half-up to the cent.
 */
export function householdIncomeCents(h: HouseholdFacts, asOf: string, ctx?: Pick<EvaluationContext, 'excludedSources' | 'employmentDeductionRatio' | 'dibaoStandardCents'>): number {
  const window = new Set(monthsEnding(monthOf(asOf), 12));
  const excludedSources = ctx?.excludedSources ?? (parameterByName('excludedSources')!.default as ExcludedSource[]);
  const ratio = decimalTimes10k(ctx?.employmentDeductionRatio ?? (parameterByName('employmentDeductionRatio')!.default as number));
  const cap = ratio > 0 && ctx ? Math.floor((ratio * ctx.dibaoStandardCents(h.household.division_code) + 5000) / 10_000) : 0;
  let total = 0;
  for (const m of h.members) {
    const wages = new Map<string, number>();
    for (const i of h.people.get(m.person_id)?.incomes ?? []) {
      if (!window.has(i.period) || excludedAt(excludedSources, i.period).includes(i.source)) continue;
      total += i.amount_cents;
      if (i.source === 'wage') wages.set(i.period, (wages.get(i.period) ?? 0) + i.amount_cents);
    }
    for (const wage of wages.values()) if (wage > 0) total -= Math.max(0, Math.min(wage, cap));
  }
  return total;
}

export function failsAssetTest(h: HouseholdFacts, asOf: string): boolean {
  let residential = 0;
  for (const m of h.members) {
    const p = h.people.get(m.person_id);
    if (!p) continue;
    if (p.vehicles.some((v) => (v.vehicle_type === 'car' || v.vehicle_type === 'truck') && isHeldAt(v, asOf))) return true;
    if (p.businesses.some((b) => b.status === 'active' && b.established_date <= asOf)) return true;
    for (const r of p.properties) {
      if (!isHeldAt(r, asOf)) continue;
      if (r.usage === 'commercial') return true;
      if (r.usage === 'residential') residential++;
    }
  }
  return residential > 1;
}

/** The programmes some member has active at D. */
export function activePrograms(h: HouseholdFacts, d: string): Set<string> {
  const programs = new Set<string>();
  for (const m of h.members) {
    for (const e of h.people.get(m.person_id)?.enrollments ?? []) if (isActiveAt(e, d)) programs.add(e.program);
  }
  return programs;
}

/** The line the 12-month income is compared with: standard × 12 × members. */
export const thresholdCents = (h: HouseholdFacts, ctx: EvaluationContext): number => ctx.dibaoStandardCents(h.household.division_code) * 12 * h.members.length;
