/**
 * R-ATTR's truth: rules.md v2 "R-ATTR" (and "Details decided") read over a district's rows in plain TypeScript,
 * independent of sql.ts (rule-truth.test.ts holds the SQL to it). Exported pieces are reused by the hand-made tests.
 */
import { ageOn, monthOf } from '../../domain/calendar.js';
import type { DistrictRows } from '../plant-kit.js';
import type { RuleModule } from '../types.js';
import { HouseholdRows } from '../shared/household-rows.js';

export type AttrReason = 'child_age' | 'no_cert' | 'care_level' | 'tekun_able' | 'imprisoned';

/** The school levels that keep a 特困 person admitted as a minor "unable to work" while studying. */
const SECONDARY = new Set(['compulsory', 'high_school', 'vocational']);

/** Every (person, programme, reason) the rule finds, with the amount for `imprisoned` (the person's, once). */
export function attrReasons(rows: DistrictRows, d: string, parameters: Record<string, unknown>) {
  const h = new HouseholdRows(rows);
  const childMaxAge = Number(parameters.childMaxAge);
  const careMaxLevel = Number(parameters.careMaxLevel);
  const [workFrom, workTo] = [Number(parameters.tekunWorkingAgeFrom), Number(parameters.tekunWorkingAgeTo)];
  const exemptCategories = new Set(parameters.childStudyExemptCategories as string[]);

  const found: { personId: string; program: string; reason: AttrReason }[] = [];
  const prisonStart = new Map<string, string>();
  for (const e of rows.enrollment ?? []) {
    if (!h.isActive(e, d)) continue;
    const person = h.persons.get(e.person_id);
    if (!person) continue;
    const age = ageOn(person.birth_date, d);
    const certs = h.validCerts(e.person_id, d);
    const schools = h.validSchools(e.person_id, d);
    const add = (reason: AttrReason) => found.push({ personId: e.person_id, program: e.program, reason });

    if (e.program === 'child_difficulty' || e.program === 'child_severe') {
      const exempt = schools.length > 0 && !!e.category && exemptCategories.has(e.category);
      if (age > childMaxAge && !exempt) add('child_age');
    }
    if ((e.program === 'disability_living' || e.program === 'disability_care') && certs.length === 0) add('no_cert');
    if (e.program === 'disability_care' && certs.some((c) => Number(c.disability_level) > careMaxLevel)) add('care_level');
    if (e.program === 'tekun') {
      const unable = h.unableToWork(e.person_id, d, parameters);
      const studyingSinceChild = ageOn(person.birth_date, e.start_date) < 18 && schools.some((s) => SECONDARY.has(s.school_level));
      if (age >= workFrom && age <= workTo && !unable && !studyingSinceChild) add('tekun_able');
      const prison = h.imprisonmentsHeld(e.person_id, d, ['prison']).map((i) => i.start_date).sort()[0];
      if (prison) {
        add('imprisoned');
        prisonStart.set(e.person_id, prison);
      }
    }
  }
  return { found, prisonStart };
}

export const truth: NonNullable<RuleModule['truth']> = (rows, { asOf: d, parameters }) => {
  const { found, prisonStart } = attrReasons(rows, d, parameters);
  const amounts = new Map<string, number>();
  for (const [personId, start] of prisonStart) {
    const after = (rows.payment ?? []).filter((y) => y.person_id === personId && y.program === 'tekun' && y.period > monthOf(start));
    amounts.set(personId, after.reduce((n, y) => n + y.amount_cents, 0));
  }
  return [...new Set(found.map((f) => f.personId))].map((subjectId) => ({ subjectId, amountCents: amounts.get(subjectId) ?? null }));
};

/** The facts of a person's finding (the fingerprint's): the sorted programmes, and `|imprisoned` when that reason is among them. */
export function attrFacts(found: readonly { personId: string; program: string; reason: AttrReason }[], personId: string): string {
  const mine = found.filter((f) => f.personId === personId);
  const programs = [...new Set(mine.map((f) => f.program))].sort().join(',');
  return programs + (mine.some((f) => f.reason === 'imprisoned') ? '|imprisoned' : '');
}
