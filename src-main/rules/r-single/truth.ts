/** R-SINGLE's truth: rules.md v2 "R-SINGLE" in plain TypeScript over a district's rows (independent of sql.ts). */
import { addMonths, monthOf } from '../../domain/calendar.js';
import { isValidAt } from '../../domain/rules/facts.js';
import { decimalTimes10k } from '../../domain/rules/parameters.js';
import type { RuleModule } from '../types.js';
import { MeansTruth } from '../shared/means-truth.js';

export const truth: NonNullable<RuleModule['truth']> = (rows, { asOf: d, parameters }) => {
  const t = new MeansTruth(rows, d, parameters);
  const multiple = decimalTimes10k(Number(parameters.edgeMultiple));
  const illnessFrom = `${addMonths(monthOf(d), -(Number(parameters.seriousIllnessMonths) - 1))}-01`;
  const yearFrom = addMonths(monthOf(d), -11);
  const certs = new Map((rows.disability_cert ?? []).map((c) => [c.person_id, c]));
  const ill = new Set((rows.medical_settlement ?? []).filter((x) => x.serious_illness === '1' && x.settle_date >= illnessFrom && x.settle_date <= d).map((x) => x.person_id));
  const homeOf = new Map<string, string>();
  for (const m of rows.household_member ?? []) if (!homeOf.has(m.person_id) || m.household_id < homeOf.get(m.person_id)!) homeOf.set(m.person_id, m.household_id);

  const found: { subjectId: string; amountCents: number | null }[] = [];
  for (const e of rows.enrollment ?? []) {
    if (e.program !== 'dibao' || e.coverage !== 'single' || !t.active(e)) continue;
    const c = certs.get(e.person_id);
    const level = c ? Number(c.disability_level) : 0;
    const qualifies = !!c && isValidAt(c.valid_from, c.valid_to, d) && (level === 1 || level === 2 || (level === 3 && (c.disability_type === '5' || c.disability_type === '6')));
    const reasons = new Set<string>();
    if (!qualifies && !ill.has(e.person_id)) reasons.add('condition');
    const home = homeOf.get(e.person_id);
    if (home) {
      const m = t.means(home);
      if (m.standard !== null) {
        const line = m.standard * t.months * m.members.length;
        if (m.income * 10_000 >= multiple * line) reasons.add('income');
        if (m.income <= line) reasons.add('whole_household');
      }
      if (m.failsAssets) reasons.add('assets');
    }
    if (reasons.size === 0) continue;
    const atRisk = [...reasons].some((r) => r !== 'whole_household');
    const paid = (rows.payment ?? []).filter((p) => p.enrollment_id === e.enrollment_id && p.period >= yearFrom && p.period <= monthOf(d)).reduce((n, p) => n + p.amount_cents, 0);
    found.push({ subjectId: e.person_id, amountCents: atRisk ? paid : null });
  }
  return found;
};
