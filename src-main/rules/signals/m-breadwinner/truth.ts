/** M-BREADWINNER's truth: monitoring.md in plain TypeScript over a district's rows (independent of sql.ts). */
import type { SignalModule, SignalTruth } from '../types.js';
import { MonitorTruth } from '../truth-kit.js';

export const truth: SignalModule['truth'] = (rows, ctx) => {
  const t = new MonitorTruth(rows, ctx);
  const earned = (p: string) => (t.incomes.get(p) ?? []).filter((i) => (i.source === 'wage' || i.source === 'business') && t.yearMonths.includes(i.period)).reduce((a, i) => a + i.amount_cents, 0);
  const deaths = t.means.h.deaths;
  const out: SignalTruth[] = [];
  for (const h of t.households()) {
    const listed = t.listed(h);
    const earnings = new Map(listed.map((p) => [p, earned(p)]));
    for (const p of new Set(listed)) {
      const e = earnings.get(p)!;
      if (e <= 0 || listed.some((o) => o !== p && earnings.get(o)! > e)) continue;
      const dates = new Set<string>();
      const death = deaths.get(p);
      if (t.inWindow(death)) dates.add(death!);
      for (const i of t.imprisonments.get(p) ?? []) if (t.inWindow(i.start_date)) dates.add(i.start_date);
      for (const date of dates) out.push({ householdId: h, eventKey: `${p}|${date}`, level: 'red' });
    }
  }
  return out;
};
