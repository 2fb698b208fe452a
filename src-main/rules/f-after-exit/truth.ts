/**
 * F-AFTER-EXIT's truth: rules.md F-AFTER-EXIT with v2's 渐退 exemption, over a district's rows in plain TypeScript,
 * independent of sql.ts (rule-truth.test.ts holds the SQL to it).
 */
import { monthOf } from '../../domain/calendar.js';
import type { RuleModule } from '../types.js';

export const truth: NonNullable<RuleModule['truth']> = (rows) => {
  const enrollments = new Map((rows.enrollment ?? []).map((e) => [e.enrollment_id, e]));
  const gradual = rows.gradual_exit ?? [];
  const amounts = new Map<string, number>();
  for (const y of rows.payment ?? []) {
    const e = enrollments.get(y.enrollment_id);
    const outside = !e || y.period < monthOf(e.start_date) || (!!e.end_date && y.period > monthOf(e.end_date));
    const inGradualExit = gradual.some((g) => g.enrollment_id === y.enrollment_id && g.start_period <= y.period && y.period <= g.end_period);
    if (outside && !inGradualExit) amounts.set(y.person_id, (amounts.get(y.person_id) ?? 0) + y.amount_cents);
  }
  return [...amounts].map(([subjectId, amountCents]) => ({ subjectId, amountCents }));
};
