/** R-RIGID's truth: rules.md v2 "R-RIGID" in plain TypeScript over a district's rows (independent of sql.ts). */
import { addMonthsToDate } from '../../domain/calendar.js';
import type { RuleModule } from '../types.js';
import { MeansTruth } from '../shared/means-truth.js';

export const truth: NonNullable<RuleModule['truth']> = (rows, { asOf: d, parameters }) => {
  const t = new MeansTruth(rows, d, parameters);
  const disposable = parameters.disposableIncomeAnnual as Record<string, number> | null;
  const households = new Map((rows.household ?? []).map((h) => [h.household_id, h]));
  const firstStart = new Map<string, string>();
  for (const e of rows.enrollment ?? []) {
    if (e.program !== 'rigid_expense' || !e.household_id || !t.active(e)) continue;
    if (!firstStart.has(e.household_id) || e.start_date < firstStart.get(e.household_id)!) firstStart.set(e.household_id, e.start_date);
  }
  const found: { subjectId: string }[] = [];
  for (const [id, start] of firstStart) {
    const h = households.get(id);
    if (!h) continue;
    const m = t.means(id);
    const perPerson = disposable?.[h.urban_rural];
    const programs = t.programs(id);
    const expired = d >= addMonthsToDate(start, Number(parameters.rigidValidityMonths));
    const income = perPerson !== undefined && perPerson !== null && m.income >= perPerson * m.members.length;
    const overlap = ['dibao', 'dibao_single', 'tekun', 'dibao_edge'].some((p) => programs.has(p));
    if (expired || income || m.failsAssets || overlap) found.push({ subjectId: id });
  }
  return found;
};
