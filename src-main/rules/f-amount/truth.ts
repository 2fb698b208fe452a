/**
 * F-AMOUNT's truth: rules.md F-AMOUNT with v2's 渐退 pay ratio, over a district's rows in plain TypeScript,
 * independent of sql.ts (rule-truth.test.ts holds the SQL to it).
 */
import type { GradualExitRow } from '../../domain/exchange/rows.js';
import { amountDue } from '../shared/gradual-exit.js';
import type { RuleModule } from '../types.js';

export const truth: NonNullable<RuleModule['truth']> = (rows) => {
  const enrollments = new Map((rows.enrollment ?? []).map((e) => [e.enrollment_id, e]));
  const gradualOf = new Map<string, GradualExitRow[]>();
  for (const g of rows.gradual_exit ?? []) gradualOf.set(g.enrollment_id, [...(gradualOf.get(g.enrollment_id) ?? []), g]);
  const amounts = new Map<string, number>();
  for (const y of rows.payment ?? []) {
    const e = enrollments.get(y.enrollment_id);
    if (!e) continue;
    const due = amountDue(e.monthly_amount_cents, y.period, gradualOf.get(e.enrollment_id) ?? []);
    if (y.amount_cents !== due) amounts.set(y.person_id, (amounts.get(y.person_id) ?? 0) + Math.max(y.amount_cents - due, 0));
  }
  return [...amounts].map(([subjectId, amountCents]) => ({ subjectId, amountCents }));
};
