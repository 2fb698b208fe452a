/**
 * R-ALIVE by rules.md v2, in plain TypeScript over a district's rows (every enrolled person of the district, not only the
 * plants): written from the text, not from sql.ts.
 */
import type { RuleModule } from '../types.js';

const empty = (v: string | null | undefined) => v === null || v === undefined || v === '';

/** The first day of the N months to D (§T). */
function windowStart(asOf: string, months: number): string {
  const index = Number(asOf.slice(0, 4)) * 12 + Number(asOf.slice(5, 7)) - 1 - (months - 1);
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

function groupBy<T>(items: readonly T[] | undefined, key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items ?? []) m.set(key(t), [...(m.get(key(t)) ?? []), t]);
  return m;
}

export const truth: NonNullable<RuleModule['truth']> = (rows, { asOf, parameters }) => {
  const months = Number(parameters.aliveMonths);
  const skipInstitutional = parameters.aliveExcludeInstitutional === true;
  const from = windowStart(asOf, months);
  const inWindow = (date: string | null | undefined) => !empty(date) && date! >= from && date! <= asOf;
  const periodInWindow = (period: string) => period >= from.slice(0, 7) && period <= asOf.slice(0, 7);

  const dead = new Set((rows.death_record ?? []).filter((r) => r.death_date <= asOf).map((r) => r.person_id));
  const enrollments = groupBy(rows.enrollment, (e) => e.person_id);
  const visits = groupBy(rows.grid_visit, (v) => v.person_id);
  const settlements = groupBy(rows.medical_settlement, (s) => s.person_id);
  const incomes = groupBy(rows.income_record, (i) => i.person_id);
  const reviews = groupBy(rows.review, (r) => r.household_id);
  const consents = groupBy(rows.consent, (c) => c.person_id);
  const applications = groupBy(rows.application, (a) => a.person_id);
  const home = new Map<string, string>();
  for (const m of rows.household_member ?? []) if (!home.has(m.person_id) || m.household_id < home.get(m.person_id)!) home.set(m.person_id, m.household_id);

  const findings: { subjectId: string }[] = [];
  for (const [person, own] of enrollments) {
    if (dead.has(person)) continue;
    const considered = own.some(
      (e) =>
        e.status === 'active' &&
        e.start_date <= asOf &&
        (empty(e.end_date) || e.end_date! >= asOf) &&
        e.program !== 'linshi' &&
        e.program !== 'rigid_expense' &&
        !(skipInstitutional && e.program === 'tekun' && e.support_mode === '1'),
    );
    if (!considered) continue;
    const household = home.get(person);
    const signOfLife =
      (visits.get(person) ?? []).some((v) => (v.outcome === 'normal' || v.outcome === 'changed') && inWindow(v.visit_date)) ||
      (settlements.get(person) ?? []).some((s) => inWindow(s.settle_date)) ||
      (incomes.get(person) ?? []).some((i) => ['wage', 'business', 'unemployment'].includes(i.source) && i.amount_cents > 0 && periodInWindow(i.period)) ||
      (household !== undefined && (reviews.get(household) ?? []).some((r) => inWindow(r.review_date))) ||
      (consents.get(person) ?? []).some((c) => inWindow(c.signed_date)) ||
      (applications.get(person) ?? []).some((a) => inWindow(a.applied_date)) ||
      own.some((e) => inWindow(e.start_date));
    if (!signOfLife) findings.push({ subjectId: person });
  }
  return findings;
};
