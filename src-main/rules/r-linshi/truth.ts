/**
 * R-LINSHI by rules.md v2, in plain TypeScript over a district's rows: written from the text, not from sql.ts.
 */
import type { HouseholdRow, PolicyRow } from '../../domain/exchange/rows.js';
import type { RuleModule } from '../types.js';

interface Award {
  id: string;
  date: string;
  household: string;
  cause: string | null;
  amount: number;
}

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const empty = (v: string | null | undefined) => v === null || v === undefined || v === '';

/** The first day of the 12 months to D (§T "the year"). */
function yearStart(asOf: string): string {
  const y = Number(asOf.slice(0, 4));
  const m = Number(asOf.slice(5, 7)) - 11;
  const [yy, mm] = m >= 1 ? [y, m] : [y - 1, m + 12];
  return `${yy}-${String(mm).padStart(2, '0')}-01`;
}

/** §$ S: urban/rural rows that fit, the longest prefix, the latest effective_from ≤ D, a specific row over an empty one. */
function standardOf(h: HouseholdRow, policies: readonly PolicyRow[], asOf: string): number | null {
  const fits = policies.filter(
    (p) => p.program === 'dibao' && h.division_code.startsWith(p.division_prefix) && p.effective_from <= asOf && (empty(p.urban_rural) || p.urban_rural === h.urban_rural),
  );
  fits.sort(
    (a, b) =>
      b.division_prefix.length - a.division_prefix.length || (a.effective_from < b.effective_from ? 1 : a.effective_from > b.effective_from ? -1 : 0) || Number(empty(a.urban_rural)) - Number(empty(b.urban_rural)),
  );
  return fits[0]?.standard_monthly_cents ?? null;
}

export const truth: NonNullable<RuleModule['truth']> = (rows, { asOf, parameters }) => {
  const capMonths = Number(parameters.linshiCapMonths);
  const limitMonths = Number(parameters.linshiTownshipLimitMonths);
  const splitDays = Number(parameters.linshiSplitDays);
  const members = rows.household_member ?? [];
  const households = new Map((rows.household ?? []).map((h) => [h.household_id, h]));
  const enrollments = rows.enrollment ?? [];
  const payments = rows.payment ?? [];
  const enrollmentIds = new Set(enrollments.map((e) => e.enrollment_id));

  // §M: a person's household is the smallest household_id among their member rows.
  const homeOf = new Map<string, string>();
  for (const m of members) if (!homeOf.has(m.person_id) || m.household_id < homeOf.get(m.person_id)!) homeOf.set(m.person_id, m.household_id);
  // §M: members at D, minus those in prison or compulsory rehab at D (released on D: no longer held).
  const removed = new Set(
    (rows.imprisonment ?? []).filter((i) => (i.kind === 'prison' || i.kind === 'rehab') && i.start_date <= asOf && (empty(i.end_date) || i.end_date! > asOf)).map((i) => i.person_id),
  );
  const memberCount = (household: string) => members.filter((m) => m.household_id === household && !removed.has(m.person_id)).length;

  // Awards: each linshi enrollment (its payments summed), and each linshi payment that has no enrollment.
  const awards: Award[] = [];
  for (const e of enrollments) {
    if (e.program !== 'linshi') continue;
    const household = empty(e.household_id) ? homeOf.get(e.person_id) : e.household_id;
    if (!household) continue;
    const amount = payments.filter((p) => p.enrollment_id === e.enrollment_id).reduce((n, p) => n + (p.amount_cents ?? 0), 0);
    awards.push({ id: e.enrollment_id, date: e.start_date, household, cause: empty(e.cause) ? null : e.cause, amount });
  }
  for (const p of payments) {
    if (p.program !== 'linshi' || enrollmentIds.has(p.enrollment_id)) continue;
    const household = homeOf.get(p.person_id);
    if (!household) continue;
    awards.push({ id: p.payment_id, date: empty(p.paid_date) ? `${p.period}-01` : p.paid_date, household, cause: null, amount: p.amount_cents ?? 0 });
  }
  const order = (a: Award, b: Award) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  const from = yearStart(asOf);
  const byHousehold = new Map<string, Award[]>();
  for (const a of awards) byHousehold.set(a.household, [...(byHousehold.get(a.household) ?? []), a]);

  const findings: { subjectId: string; amountCents: number }[] = [];
  for (const [householdId, all] of byHousehold) {
    const h = households.get(householdId);
    if (!h) continue;
    const considered = all.filter((a) => a.date >= from && a.date <= asOf).sort(order);
    if (considered.length === 0) continue;
    const s = standardOf(h, rows.policy ?? [], asOf);
    const m = memberCount(householdId);
    const judgeLimits = s !== null && m > 0;
    const cap = judgeLimits ? capMonths * s * m : 0;
    const limit = judgeLimits ? limitMonths * s * m : 0;

    let atRisk = 0;
    let fired = false;
    const ungroupable: Award[] = [];
    for (const b of considered) {
      const repeat = all.some((a) => a.cause !== null && a.cause === b.cause && order(a, b) < 0 && dayNumber(b.date) - dayNumber(a.date) <= 365);
      if (repeat) {
        fired = true;
        atRisk += b.amount;
      } else if (judgeLimits && b.amount > cap) {
        fired = true;
        atRisk += b.amount - cap;
      } else if (judgeLimits && b.amount <= limit) {
        ungroupable.push(b);
      }
    }
    // Split approvals: groups in (date, id) order, each from its first award to those within splitDays of it.
    let i = 0;
    while (i < ungroupable.length) {
      const start = ungroupable[i]!;
      let j = i + 1;
      while (j < ungroupable.length && dayNumber(ungroupable[j]!.date) - dayNumber(start.date) <= splitDays) j++;
      const group = ungroupable.slice(i, j);
      const sum = group.reduce((n, a) => n + a.amount, 0);
      if (group.length >= 2 && sum > limit) {
        fired = true;
        atRisk += sum - limit;
      }
      i = j;
    }
    if (fired) findings.push({ subjectId: householdId, amountCents: atRisk });
  }
  return findings;
};
