/** M-DISABILITY's truth: monitoring.md in plain TypeScript over a district's rows (independent of sql.ts). */
import type { SignalModule, SignalTruth } from '../types.js';
import { MonitorTruth } from '../truth-kit.js';

export const truth: SignalModule['truth'] = (rows, ctx) => {
  const t = new MonitorTruth(rows, ctx);
  const out: SignalTruth[] = [];
  for (const h of t.households()) {
    const members = t.members(h);
    const holders = members.filter((p) => t.validCert(p));
    const able = members.some((p) => {
      const age = t.age(p);
      return age !== null && age >= 18 && age <= 59 && !t.validCert(p);
    });
    for (const p of new Set(holders)) {
      const c = t.validCert(p)!;
      const first = c.first_issued_date || c.valid_from;
      const level = Number(c.disability_level);
      if (!t.inWindow(first) || !(level <= 2 || new Set(holders).size >= 2)) continue;
      out.push({ householdId: h, eventKey: `${p}|${first}`, level: level === 1 && !able ? 'red' : 'orange' });
    }
  }
  return out;
};
