/**
 * A district's rows (plant-kit.ts DistrictRows) looked up by household and person, for the rules' truths (truth.ts):
 * rules.md's shared definitions in plain TypeScript, written from the text, not from any rule's SQL.
 */
import { isActiveAt, isValidAt } from '../../domain/rules/facts.js';
import { certMeets, type CertCondition } from '../../domain/rules/parameters.js';
import type { DisabilityCertRow, EnrollmentRow, ImprisonmentRow, PersonRow, SchoolEnrollmentRow } from '../../domain/exchange/rows.js';
import type { DistrictRows } from '../plant-kit.js';

const group = <T, K>(rows: readonly T[] | undefined, key: (r: T) => K): Map<K, T[]> => {
  const map = new Map<K, T[]>();
  for (const r of rows ?? []) {
    const k = key(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return map;
};

export class HouseholdRows {
  readonly persons: Map<string, PersonRow>;
  readonly membersByHousehold: Map<string, string[]>;
  readonly enrollmentsByPerson: Map<string, EnrollmentRow[]>;
  private readonly imprisonments;
  private readonly certs: Map<string, DisabilityCertRow[]>;
  private readonly schools: Map<string, SchoolEnrollmentRow[]>;
  readonly deaths: Map<string, string>;

  constructor(readonly rows: DistrictRows) {
    this.persons = new Map((rows.person ?? []).map((p) => [p.person_id, p]));
    this.membersByHousehold = new Map([...group(rows.household_member, (m) => m.household_id)].map(([h, ms]) => [h, ms.map((m) => m.person_id)]));
    this.enrollmentsByPerson = group(rows.enrollment, (e) => e.person_id);
    this.imprisonments = group(rows.imprisonment, (i) => i.person_id);
    this.certs = group(rows.disability_cert, (c) => c.person_id);
    this.schools = group(rows.school_enrollment, (s) => s.person_id);
    this.deaths = new Map((rows.death_record ?? []).map((r) => [r.person_id, r.death_date]));
  }

  /** An enrollment active at D: status active, valid at D. */
  isActive(e: EnrollmentRow, d: string): boolean {
    return isActiveAt(e, d);
  }

  /** The person's disability certificates valid at D. */
  validCerts(personId: string, d: string): DisabilityCertRow[] {
    return (this.certs.get(personId) ?? []).filter((c) => isValidAt(c.valid_from, c.valid_to, d));
  }

  /** "Unable to work" (rules.md v2 §M, R-ATTR): a certificate valid at D listed in `tekunUnableToWorkCerts`. */
  unableToWork(personId: string, d: string, parameters: Record<string, unknown>): boolean {
    const list = parameters.tekunUnableToWorkCerts as CertCondition[];
    return this.validCerts(personId, d).some((c) => certMeets(list, String(c.disability_type), Number(c.disability_level)));
  }

  /** "Details decided": school enrollments valid at D — full-time, enrolled, started, and a non-empty expected end on or after D. */
  validSchools(personId: string, d: string): SchoolEnrollmentRow[] {
    return (this.schools.get(personId) ?? []).filter((s) => s.full_time === '1' && s.status === 'enrolled' && s.start_date <= d && !!s.expected_end_date && s.expected_end_date >= d);
  }

  /** §T: the person's imprisonments of these kinds held at D (started on or before D, not released on or before D). */
  imprisonmentsHeld(personId: string, d: string, kinds: readonly ImprisonmentRow['kind'][]): ImprisonmentRow[] {
    return (this.imprisonments.get(personId) ?? []).filter((i) => kinds.includes(i.kind) && i.start_date <= d && (i.end_date === null || i.end_date === '' || i.end_date > d));
  }

  /** §M: the household's members at D — its household_member rows, less persons in prison or 强制隔离戒毒 held at D. */
  members(householdId: string, d: string): string[] {
    const removed = (p: string) => this.imprisonmentsHeld(p, d, ['prison', 'rehab']).length > 0;
    return (this.membersByHousehold.get(householdId) ?? []).filter((p) => !removed(p));
  }

  /** The members' enrollments active at D (status active, valid at D), in the given programmes (all when omitted). */
  activeEnrollments(householdId: string, d: string, programs?: readonly string[]): EnrollmentRow[] {
    return this.members(householdId, d).flatMap((p) =>
      (this.enrollmentsByPerson.get(p) ?? []).filter((e) => e.status === 'active' && isValidAt(e.start_date, e.end_date, d) && (!programs || programs.includes(e.program))),
    );
  }

  /** Households with a household_member row (the ones a household rule can consider). */
  households(): string[] {
    return [...this.membersByHousehold.keys()];
  }
}
