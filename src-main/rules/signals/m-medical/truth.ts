/** M-MEDICAL's truth: monitoring.md in plain TypeScript over a district's rows (independent of sql.ts). */
import type { SignalModule, SignalTruth } from '../types.js';
import { MonitorTruth } from '../truth-kit.js';

export const truth: SignalModule['truth'] = (rows, ctx) => {
  const t = new MonitorTruth(rows, ctx);
  const out: SignalTruth[] = [];
  for (const h of t.households()) {
    const burdens = t.members(h).map((p) => (t.settlements.get(p) ?? []).filter((s) => t.inYear(s.settle_date)).reduce((a, s) => a + s.total_cents - s.fund_paid_cents, 0));
    const hasSettlement = t.members(h).some((p) => (t.settlements.get(p) ?? []).some((s) => t.inYear(s.settle_date)));
    if (!hasSettlement) continue;
    const threshold = Number(t.hasProgram(h, ['dibao', 'tekun', 'dibao_edge', 'rigid_expense']) ? ctx.parameters.medicalThreshold : ctx.parameters.medicalThresholdOthers);
    if (!burdens.some((b) => b > threshold)) continue;
    const total = burdens.reduce((a, b) => a + b, 0);
    const income = t.means.countedIncome(h, t.yearMonths);
    out.push({ householdId: h, eventKey: 'state', level: total > income ? 'red' : 2 * total > income ? 'orange' : 'yellow' });
  }
  return out;
};
