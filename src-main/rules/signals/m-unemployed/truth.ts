/** M-UNEMPLOYED's truth: monitoring.md in plain TypeScript over a district's rows (independent of sql.ts). */
import { addMonths, monthOf, monthsEnding } from '../../../domain/calendar.js';
import type { SignalModule, SignalTruth } from '../types.js';
import { MonitorTruth } from '../truth-kit.js';

export const truth: SignalModule['truth'] = (rows, ctx) => {
  const t = new MonitorTruth(rows, ctx);
  const w = Number(ctx.parameters.windowMonths);
  // The wage window ends at min(month(D), the newest income month delivered); the 9 months before it.
  const newest = (rows.income_record ?? []).reduce<string | null>((a, i) => (a === null || i.period > a ? i.period : a), null);
  const end = newest !== null && newest < monthOf(t.d) ? newest : monthOf(t.d);
  const windowMonths = monthsEnding(end, w);
  const before = monthsEnding(addMonths(windowMonths[0]!, -1), 9);
  const paidIn = (p: string, months: readonly string[]) => {
    const wages = t.wageByMonth(p);
    return months.filter((m) => (wages.get(m) ?? 0) > 0);
  };
  const out: SignalTruth[] = [];
  for (const h of t.households()) {
    const members = t.members(h);
    for (const p of new Set(members)) {
      const others = members.filter((o) => o !== p);
      for (const r of t.registrations.get(p) ?? []) {
        if (!t.inWindow(r.registered_date)) continue;
        const only = paidIn(p, t.yearMonths).length > 0 && others.every((o) => paidIn(o, t.yearMonths).length === 0);
        out.push({ householdId: h, eventKey: `${p}|${r.registered_date}`, level: only ? 'orange' : 'yellow' });
      }
      const paid = paidIn(p, before);
      if (paid.length >= Number(ctx.parameters.wageMonthsMin) && paidIn(p, windowMonths).length === 0) {
        const only = others.every((o) => paidIn(o, before).length === 0);
        out.push({ householdId: h, eventKey: `${p}|wage-stop|${paid.sort().at(-1)}`, level: only ? 'orange' : 'yellow' });
      }
    }
  }
  return out;
};
