/**
 * R-CONSENT's truth: rules.md v2 "R-CONSENT 核对授权缺失" read over a district's rows in plain TypeScript (independent of
 * sql.ts; rule-truth.test.ts holds the SQL to it).
 */
import { addDays, ageOn } from '../../domain/calendar.js';
import type { ConsentRow } from '../../domain/exchange/rows.js';
import type { RuleModule } from '../types.js';
import { HouseholdRows } from '../shared/household-rows.js';

const STATUS_PROGRAMS = ['dibao', 'tekun', 'dibao_edge', 'rigid_expense'];

export const truth: NonNullable<RuleModule['truth']> = (rows, { asOf: d, parameters }) => {
  const h = new HouseholdRows(rows);
  const consents = new Map<string, ConsentRow[]>();
  for (const c of rows.consent ?? []) consents.set(c.household_id, [...(consents.get(c.household_id) ?? []), c]);
  const grace = Number(parameters.consentGraceDays);

  const found: string[] = [];
  for (const id of h.households()) {
    const status = h.activeEnrollments(id, d, STATUS_PROGRAMS);
    if (status.length === 0) continue;
    const t0 = status.map((e) => e.start_date).sort()[0]!;
    const deadline = addDays(t0, grace);
    const signed = (consents.get(id) ?? []).filter((c) => c.signed_date <= d);
    const living = h.members(id, d).filter((p) => !(h.deaths.has(p) && h.deaths.get(p)! <= d));
    let uncovered = 0;
    for (const p of living) {
      const birth = h.persons.get(p)?.birth_date;
      const minorAtD = birth !== undefined && ageOn(birth, d) < 18;
      const adultAtT0 = birth !== undefined && ageOn(birth, t0) >= 18;
      const covering = signed.filter(
        (c) => (c.role === 'member' && c.person_id === p) || ((c.role === 'guardian' || c.role === 'proxy') && c.for_person_id === p) || (c.role === 'guardian' && !c.for_person_id && minorAtD),
      );
      const initial = adultAtT0 && !covering.some((c) => c.signed_date <= deadline);
      const expired = !covering.some((c) => !c.valid_to || c.valid_to >= d);
      if (initial || expired) uncovered++;
    }
    if (uncovered > 0) found.push(id);
  }
  return found.map((subjectId) => ({ subjectId }));
};
