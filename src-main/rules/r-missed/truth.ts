/**
 * R-MISSED's truth: rules.md v2 "R-MISSED 应享未享 (漏救)" read over a district's rows in plain TypeScript (independent of
 * sql.ts; rule-truth.test.ts holds the SQL to it). One finding per person, whatever the number of reasons.
 */
import { addMonths, monthOf } from '../../domain/calendar.js';
import { certMeets, type CertCondition } from '../../domain/rules/parameters.js';
import { isValidAt } from '../../domain/rules/facts.js';
import type { DisabilityCertRow, EnrollmentRow } from '../../domain/exchange/rows.js';
import type { RuleModule } from '../types.js';
import { HouseholdRows } from '../shared/household-rows.js';

export const truth: NonNullable<RuleModule['truth']> = (rows, { asOf: d, jurisdiction, parameters }) => {
  const h = new HouseholdRows(rows);
  const careCerts = parameters.careCerts as CertCondition[];
  const illnessFrom = `${addMonths(monthOf(d), -(Number(parameters.seriousIllnessMonths) - 1))}-01`;
  const yearFrom = addMonths(monthOf(d), -11);

  // A person's household (§M): the smallest household_id among their member rows.
  const home = new Map<string, string>();
  for (const m of rows.household_member ?? []) if (!home.has(m.person_id) || m.household_id < home.get(m.person_id)!) home.set(m.person_id, m.household_id);
  const division = new Map((rows.household ?? []).map((x) => [x.household_id, x.division_code]));
  const validCerts = new Map<string, DisabilityCertRow[]>();
  for (const c of rows.disability_cert ?? []) if (isValidAt(c.valid_from, c.valid_to, d)) validCerts.set(c.person_id, [...(validCerts.get(c.person_id) ?? []), c]);
  const seriouslyIll = new Set((rows.medical_settlement ?? []).filter((s) => s.serious_illness === '1' && s.settle_date >= illnessFrom && s.settle_date <= d).map((s) => s.person_id));
  const incomeInYear = (source: string) =>
    new Set((rows.income_record ?? []).filter((i) => i.source === source && i.amount_cents > 0 && i.period >= yearFrom && i.period <= monthOf(d)).map((i) => i.person_id));
  const workInjuryCare = incomeInYear('work_injury_care');
  const orphanAllowance = incomeInYear('orphan_allowance');

  const active = (person: string): EnrollmentRow[] => (h.enrollmentsByPerson.get(person) ?? []).filter((e) => e.status === 'active' && isValidAt(e.start_date, e.end_date, d));
  const hasActive = (person: string, programs: readonly string[]) => active(person).some((e) => programs.includes(e.program));

  const found: string[] = [];
  for (const [person, household] of home) {
    const deathDate = h.deaths.get(person);
    if (deathDate !== undefined && deathDate <= d) continue;
    const code = division.get(household);
    if (code === undefined || !jurisdiction.some((j) => code.startsWith(j))) continue;

    const certs = validCerts.get(person) ?? [];
    const isMember = h.members(household, d).includes(person);
    const householdHas = (accept: (e: EnrollmentRow) => boolean) => h.activeEnrollments(household, d).some(accept);
    const ownDibao = hasActive(person, ['dibao']);

    // 困难残疾人生活补贴: a 低保 person (own, or a member of a household on 整户保 — empty or unknown coverage is 整户保).
    const living =
      (ownDibao || (isMember && householdHas((e) => e.program === 'dibao' && e.coverage !== 'single'))) &&
      certs.length > 0 &&
      !hasActive(person, ['disability_living', 'tekun', 'child_difficulty']) &&
      !workInjuryCare.has(person) &&
      !orphanAllowance.has(person);
    // 重度残疾人护理补贴.
    const care = certs.some((c) => certMeets(careCerts, String(c.disability_type), Number(c.disability_level))) && !hasActive(person, ['disability_care', 'tekun']) && !workInjuryCare.has(person);
    // 单人保: R-SINGLE's condition in a 低边 household, without 低保.
    const singleCondition =
      certs.some((c) => [1, 2].includes(Number(c.disability_level)) || (Number(c.disability_level) === 3 && ['5', '6'].includes(String(c.disability_type)))) || seriouslyIll.has(person);
    const single = isMember && householdHas((e) => e.program === 'dibao_edge') && !ownDibao && singleCondition;

    if (living || care || single) found.push(person);
  }
  return found.map((subjectId) => ({ subjectId }));
};
