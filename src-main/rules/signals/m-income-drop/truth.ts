/** M-INCOME-DROP's truth: monitoring.md in plain TypeScript over a district's rows (independent of sql.ts). */
import { addMonths, monthsEnding } from '../../../domain/calendar.js';
import { decimalTimes10k } from '../../../domain/rules/parameters.js';
import type { SignalModule, SignalTruth } from '../types.js';
import { MonitorTruth } from '../truth-kit.js';

export const truth: SignalModule['truth'] = (rows, ctx) => {
  const t = new MonitorTruth(rows, ctx);
  const w = Number(ctx.parameters.windowMonths);
  const p = Number(ctx.parameters.priorMonths);
  const prior = monthsEnding(addMonths(t.windowMonths[0]!, -1), p);
  const multiple = decimalTimes10k(Number(ctx.parameters.edgeMultiple));
  const out: SignalTruth[] = [];
  for (const h of t.households()) {
    if (t.hasProgram(h, ['dibao', 'tekun'])) continue;
    const s = t.means.standard(h);
    if (s === null) continue;
    const n = t.members(h).length;
    const recent = t.means.countedIncome(h, t.windowMonths);
    const before = t.means.countedIncome(h, prior);
    if (recent < s * w * n && before * 10_000 >= multiple * s * p * n) out.push({ householdId: h, eventKey: 'state', level: 'orange' });
  }
  return out;
};
