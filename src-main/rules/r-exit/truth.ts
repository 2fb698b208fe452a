/**
 * R-EXIT's truth: rules.md v2 "R-EXIT" read over a district's rows in plain TypeScript (independent of sql.ts;
 * rule-truth.test.ts holds the SQL to it).
 */
import { addMonths, monthOf } from '../../domain/calendar.js';
import type { RuleModule } from '../types.js';
import { MeansTruth } from '../shared/means-truth.js';

export const truth: NonNullable<RuleModule['truth']> = (rows, { asOf: d, parameters }) => {
  const t = new MeansTruth(rows, d, parameters);
  const found: { subjectId: string; amountCents: number | null }[] = [];
  for (const id of t.h.households()) {
    if (!t.programs(id).has('dibao')) continue;
    const m = t.means(id);
    const span = t.gradualSpan(id);
    const byIncome = span === null && m.standard !== null && m.income > m.standard * t.months * m.members.length;
    const tooLong = span !== null && span > Number(parameters.gradualExitMaxMonths);
    if (!byIncome && !m.failsAssets && !tooLong) continue;
    if (!byIncome && !m.failsAssets) {
      found.push({ subjectId: id, amountCents: null });
      continue;
    }
    const windowStart = addMonths(monthOf(d), -11);
    const candidates = [m.failsAssets ? monthOf(m.assetSince!) : null, byIncome ? (m.firstOver ?? windowStart) : null].filter((x): x is string => x !== null).sort();
    const since = candidates[0]!;
    let amount = 0;
    for (const p of m.members) {
      for (const pay of t.paymentsByPerson.get(p) ?? []) {
        if (pay.program !== 'dibao' || !(pay.period > since)) continue;
        const e = t.enrollments.get(pay.enrollment_id);
        if (e && e.coverage === 'single') continue;
        if ((t.gradual.get(pay.enrollment_id) ?? []).some((g) => g.start_period <= pay.period && pay.period <= g.end_period)) continue;
        amount += pay.amount_cents;
      }
    }
    found.push({ subjectId: id, amountCents: amount });
  }
  return found;
};

