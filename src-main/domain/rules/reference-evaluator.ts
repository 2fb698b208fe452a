/**
 * rules.md, evaluated in plain TypeScript over the rows of one household.
 *
 * This is the *reference* semantics: the generator uses it to write the ground truth for the data it plants, and tests
 * hold the SQL rule engine to it. It favours being obviously right over being fast; production checks run as SQL.
 * Person rules (R-DEATH, R-HUKOU-OUT, R-MUTEX, R-ATTR, F-*) look at one person's rows; household rules (R-EXIT,
 * R-COVER) at the household's members. Notation as in rules.md: D = asOf, J = jurisdiction prefixes.
 */
import { ageOn, monthOf, monthsEnding } from '../calendar.js';
import { isWithinScope } from '../division.js';
import type {
  BusinessRegistrationRow,
  DeathRecordRow,
  DisabilityCertRow,
  EnrollmentRow,
  HouseholdMemberRow,
  HouseholdRow,
  HukouEventRow,
  IncomeRecordRow,
  PaymentRow,
  PersonRow,
  RealEstateRow,
  VehicleRow,
} from '../exchange/rows.js';

export type RuleId =
  | 'R-DEATH'
  | 'R-HUKOU-OUT'
  | 'R-MUTEX'
  | 'R-ATTR'
  | 'R-EXIT'
  | 'R-COVER'
  | 'F-AFTER-DEATH'
  | 'F-AFTER-EXIT'
  | 'F-DUPLICATE'
  | 'F-AMOUNT';

/** The default exclusive pairs, from the Jiangbei rule library. */
export const DEFAULT_MUTEX_PAIRS: readonly (readonly [string, string])[] = [
  ['dibao', 'tekun'],
  ['tekun', 'disability_living'],
  ['child_difficulty', 'disability_living'],
  ['dibao', 'child_severe'],
];

export interface EvaluationContext {
  asOf: string;
  jurisdiction: readonly string[];
  /** The dibao standard (cents per person per month) for a household's division code, per rules.md. */
  dibaoStandardCents(divisionCode: string): number;
  mutexPairs?: readonly (readonly [string, string])[];
}

/** Everything the rules look at for one person. */
export interface PersonFacts {
  person: PersonRow;
  enrollments: EnrollmentRow[];
  payments: PaymentRow[];
  death: DeathRecordRow | null;
  hukouEvents: HukouEventRow[];
  cert: DisabilityCertRow | null;
  incomes: IncomeRecordRow[];
  vehicles: VehicleRow[];
  properties: RealEstateRow[];
  businesses: BusinessRegistrationRow[];
}

export interface HouseholdFacts {
  household: HouseholdRow;
  members: HouseholdMemberRow[];
  /** Facts per member person_id (a member without a person row is simply absent). */
  people: Map<string, PersonFacts>;
}

export interface ReferenceFinding {
  rule: RuleId;
  subjectKind: 'person' | 'household';
  subjectId: string;
}

export const isActiveAt = (e: EnrollmentRow, d: string): boolean =>
  e.status === 'active' && e.start_date <= d && (e.end_date === null || e.end_date >= d);

export const isCertValidAt = (c: DisabilityCertRow | null, d: string): c is DisabilityCertRow =>
  c !== null && c.valid_from <= d && (c.valid_to === null || c.valid_to >= d);

/** rules.md: held when registered on or before D and not deregistered, or deregistered after D. */
export const isHeldAt = (x: { registered_date: string; deregistered_date: string | null }, d: string): boolean =>
  x.registered_date <= d && (x.deregistered_date === null || x.deregistered_date > d);

export function evaluatePerson(f: PersonFacts, ctx: EvaluationContext): RuleId[] {
  const d = ctx.asOf;
  const fired: RuleId[] = [];
  const active = f.enrollments.filter((e) => isActiveAt(e, d));
  if (active.length > 0) {
    if (f.death && f.death.death_date <= d) fired.push('R-DEATH');

    const latest = f.hukouEvents.filter((h) => h.event_date <= d).sort((a, b) => a.event_date.localeCompare(b.event_date)).at(-1);
    if (latest && latest.event_type === 'move_out' && !isWithinScope(latest.to_division ?? '', ctx.jurisdiction)) fired.push('R-HUKOU-OUT');

    const programs = new Set(active.map((e) => e.program));
    if ((ctx.mutexPairs ?? DEFAULT_MUTEX_PAIRS).some(([a, b]) => programs.has(a) && programs.has(b))) fired.push('R-MUTEX');

    const age = ageOn(f.person.birth_date, d);
    const cert = isCertValidAt(f.cert, d) ? f.cert : null;
    const attributeWrong =
      ((programs.has('child_difficulty') || programs.has('child_severe')) && age >= 18) ||
      ((programs.has('disability_living') || programs.has('disability_care')) && cert === null) ||
      (programs.has('disability_care') && cert !== null && cert.disability_level >= 3) ||
      (programs.has('tekun') && age >= 18 && age <= 59 && !(cert !== null && cert.disability_level <= 2));
    if (attributeWrong) fired.push('R-ATTR');
  }

  if (f.death && f.payments.some((p) => p.period > monthOf(f.death!.death_date))) fired.push('F-AFTER-DEATH');

  const byId = new Map(f.enrollments.map((e) => [e.enrollment_id, e]));
  const outside = f.payments.some((p) => {
    const e = byId.get(p.enrollment_id);
    return !e || p.period < monthOf(e.start_date) || (e.end_date !== null && p.period > monthOf(e.end_date));
  });
  if (outside) fired.push('F-AFTER-EXIT');

  const seen = new Set<string>();
  if (f.payments.some((p) => { const k = `${p.program}|${p.period}`; if (seen.has(k)) return true; seen.add(k); return false; })) {
    fired.push('F-DUPLICATE');
  }
  if (f.payments.some((p) => { const e = byId.get(p.enrollment_id); return e !== undefined && p.amount_cents !== e.monthly_amount_cents; })) {
    fired.push('F-AMOUNT');
  }
  return fired;
}

/** Total 12-month household income (all members, all sources but the provident fund) in cents. */
export function householdIncomeCents(h: HouseholdFacts, asOf: string): number {
  const window = new Set(monthsEnding(monthOf(asOf), 12));
  let total = 0;
  for (const m of h.members) {
    for (const i of h.people.get(m.person_id)?.incomes ?? []) {
      if (i.source !== 'provident_fund' && window.has(i.period)) total += i.amount_cents;
    }
  }
  return total;
}

export function failsAssetTest(h: HouseholdFacts, asOf: string): boolean {
  let residential = 0;
  for (const m of h.members) {
    const p = h.people.get(m.person_id);
    if (!p) continue;
    if (p.vehicles.some((v) => (v.vehicle_type === 'car' || v.vehicle_type === 'truck') && isHeldAt(v, asOf))) return true;
    if (p.businesses.some((b) => b.status === 'active' && b.established_date <= asOf)) return true;
    for (const r of p.properties) {
      if (!isHeldAt(r, asOf)) continue;
      if (r.usage === 'commercial') return true;
      if (r.usage === 'residential') residential++;
    }
  }
  return residential > 1;
}

export function evaluateHousehold(h: HouseholdFacts, ctx: EvaluationContext): RuleId[] {
  const d = ctx.asOf;
  const activePrograms = new Set<string>();
  for (const m of h.members) {
    for (const e of h.people.get(m.person_id)?.enrollments ?? []) if (isActiveAt(e, d)) activePrograms.add(e.program);
  }
  const threshold = ctx.dibaoStandardCents(h.household.division_code) * 12 * h.members.length;
  const income = householdIncomeCents(h, d);
  const fired: RuleId[] = [];
  if (activePrograms.has('dibao') && (income > threshold || failsAssetTest(h, d))) fired.push('R-EXIT');
  if (activePrograms.has('dibao_edge') && !activePrograms.has('dibao') && !activePrograms.has('tekun') && income <= threshold && !failsAssetTest(h, d)) {
    fired.push('R-COVER');
  }
  return fired;
}

/** Every finding for one household: its own rules and those of each member person. */
export function evaluateHouseholdAndMembers(h: HouseholdFacts, ctx: EvaluationContext): ReferenceFinding[] {
  const findings: ReferenceFinding[] = evaluateHousehold(h, ctx).map((rule) => ({ rule, subjectKind: 'household', subjectId: h.household.household_id }));
  for (const m of h.members) {
    const p = h.people.get(m.person_id);
    if (p) for (const rule of evaluatePerson(p, ctx)) findings.push({ rule, subjectKind: 'person', subjectId: m.person_id });
  }
  return findings;
}
