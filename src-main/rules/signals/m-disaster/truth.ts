/** M-DISASTER's truth: monitoring.md in plain TypeScript over a district's rows (independent of sql.ts). */
import type { SignalModule, SignalTruth } from '../types.js';
import { MonitorTruth } from '../truth-kit.js';

export const truth: SignalModule['truth'] = (rows, ctx) => {
  const t = new MonitorTruth(rows, ctx);
  const out: SignalTruth[] = [];
  for (const h of t.households()) {
    const members = t.members(h);
    const records = members.flatMap((p) => (t.disasters.get(p) ?? []).filter((r) => t.inWindow(r.event_date)));
    if (records.length === 0) continue;
    const loss = Math.max(...records.map((r) => r.loss_cents ?? 0));
    const s = t.means.standard(h);
    const red = s !== null && loss > Number(ctx.parameters.disasterLossMonths) * s * members.length;
    for (const key of new Set(records.map((r) => `${r.event_date}|${r.kind}`))) out.push({ householdId: h, eventKey: key, level: red ? 'red' : 'orange' });
  }
  return out;
};
