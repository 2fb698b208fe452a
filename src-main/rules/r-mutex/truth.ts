/**
 * R-MUTEX's truth: rules.md v2 "R-MUTEX" and its amounts ("Details decided") read over a district's rows in plain
 * TypeScript, independent of sql.ts (rule-truth.test.ts holds the SQL to it).
 */
import { addMonths, monthOf } from '../../domain/calendar.js';
import type { DistrictRows } from '../plant-kit.js';
import type { RuleModule } from '../types.js';
import { HouseholdRows } from '../shared/household-rows.js';

/** What the rule finds for one person: the facts (sorted reason codes) and the amount at risk. */
export interface MutexJudgement {
  personId: string;
  facts: string;
  amountCents: number;
}

export function mutexJudgements(rows: DistrictRows, d: string, parameters: Record<string, unknown>): MutexJudgement[] {
  const h = new HouseholdRows(rows);
  const pairs = parameters.exclusivePairs as [string, string][];
  const yearFrom = addMonths(monthOf(d), -11);

  // Months of the year with work-injury care income > 0 (a row with amount > 0), per person.
  const injuryMonths = new Map<string, Set<string>>();
  for (const i of rows.income_record ?? []) {
    if (i.source !== 'work_injury_care' || i.amount_cents <= 0 || i.period < yearFrom || i.period > monthOf(d)) continue;
    if (!injuryMonths.has(i.person_id)) injuryMonths.set(i.person_id, new Set());
    injuryMonths.get(i.person_id)!.add(i.period);
  }
  // Payments summed per person, programme and month.
  const paid = new Map<string, Map<string, number>>();
  for (const y of rows.payment ?? []) {
    if (!paid.has(y.person_id)) paid.set(y.person_id, new Map());
    const key = `${y.program}|${y.period}`;
    paid.get(y.person_id)!.set(key, (paid.get(y.person_id)!.get(key) ?? 0) + y.amount_cents);
  }

  const found: MutexJudgement[] = [];
  for (const [personId, enrollments] of h.enrollmentsByPerson) {
    const active = enrollments.filter((e) => h.isActive(e, d));
    if (active.length === 0) continue;
    const has = (program: string, other?: string) => active.some((e) => e.program === program && e.enrollment_id !== other);
    const mine = paid.get(personId) ?? new Map<string, number>();
    const codes = new Set<string>();
    const atRisk = new Set<string>();

    for (const [a, b] of pairs) {
      if (!active.some((x) => x.program === a && has(b, x.enrollment_id))) continue;
      codes.add(`${a}+${b}`);
      for (const [key, centsA] of mine) {
        const [program, period] = key.split('|') as [string, string];
        if (program !== a || !mine.has(`${b}|${period}`)) continue;
        const centsB = mine.get(`${b}|${period}`)!;
        const smaller = centsA < centsB || (centsA === centsB && a < b) ? a : b;
        atRisk.add(`${smaller}|${period}`);
      }
    }
    const months = injuryMonths.get(personId);
    for (const program of ['disability_care', 'disability_living']) {
      if (!months || !has(program)) continue;
      codes.add(`work_injury:${program}`);
      for (const period of months) if (mine.has(`${program}|${period}`)) atRisk.add(`${program}|${period}`);
    }
    if (codes.size === 0) continue;
    const amountCents = [...atRisk].reduce((n, key) => n + mine.get(key)!, 0);
    found.push({ personId, facts: [...codes].sort().join(','), amountCents });
  }
  return found;
}

export const truth: NonNullable<RuleModule['truth']> = (rows, { asOf, parameters }) =>
  mutexJudgements(rows, asOf, parameters).map((j) => ({ subjectId: j.personId, amountCents: j.amountCents }));
