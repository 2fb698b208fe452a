/** M-EDUCATION's truth: monitoring.md in plain TypeScript over a district's rows (independent of sql.ts). */
import type { SignalModule, SignalTruth } from '../types.js';
import { MonitorTruth } from '../truth-kit.js';

/** rules.md "Details decided": full-time, enrolled, started on or before D, a non-empty expected end on or after D. */
const validAt = (s: { full_time: string | null; status: string; start_date: string; expected_end_date: string | null }, d: string) =>
  s.full_time === '1' && s.status === 'enrolled' && s.start_date <= d && !!s.expected_end_date && s.expected_end_date >= d;

export const truth: SignalModule['truth'] = (rows, ctx) => {
  const t = new MonitorTruth(rows, ctx);
  const out: SignalTruth[] = [];
  for (const h of t.households()) {
    const students = new Set(t.members(h).filter((p) => (t.schools.get(p) ?? []).some((s) => s.school_level !== 'compulsory' && validAt(s, t.d))));
    if (students.size >= Number(ctx.parameters.studentsThreshold)) out.push({ householdId: h, eventKey: 'state', level: 'yellow' });
  }
  return out;
};
