/** The household judgement of R-EXIT and R-COVER (and the pre-check's 低保 test) in plain TypeScript (rules.md). */
import { monthOf, monthsEnding } from '../../domain/calendar.js';
import { isActiveAt, isHeldAt, type EvaluationContext, type HouseholdFacts } from '../../domain/rules/facts.js';

/** Total 12-month household income (all members, all sources but the provident fund) in cents. */
export function householdIncomeCents(h: HouseholdFacts, asOf: string): number {
  const window = new Set(monthsEnding(monthOf(asOf), 12));
  let total = 0;
  for (const m of h.members) {
    for (const i of h.people.get(m.person_id)?.incomes ?? []) {
      if (i.source !== 'provident_fund' && window.has(i.period)) total += i.amount_cents;
    }
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
