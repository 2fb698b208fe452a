/**
 * A district's rows (plant-kit.ts DistrictRows) looked up by household and person, for the rules' truths (truth.ts):
 * rules.md's shared definitions in plain TypeScript, written from the text, not from any rule's SQL.
 */
import { isValidAt } from '../../domain/rules/facts.js';
import type { EnrollmentRow, PersonRow } from '../../domain/exchange/rows.js';
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
  readonly deaths: Map<string, string>;

  constructor(readonly rows: DistrictRows) {
    this.persons = new Map((rows.person ?? []).map((p) => [p.person_id, p]));
    this.membersByHousehold = new Map([...group(rows.household_member, (m) => m.household_id)].map(([h, ms]) => [h, ms.map((m) => m.person_id)]));
    this.enrollmentsByPerson = group(rows.enrollment, (e) => e.person_id);
    this.imprisonments = group(rows.imprisonment, (i) => i.person_id);
    this.deaths = new Map((rows.death_record ?? []).map((r) => [r.person_id, r.death_date]));
  }

  /** §M: the household's members at D — its household_member rows, less persons in prison or 强制隔离戒毒 held at D. */
  members(householdId: string, d: string): string[] {
    const removed = (p: string) =>
      (this.imprisonments.get(p) ?? []).some((i) => (i.kind === 'prison' || i.kind === 'rehab') && i.start_date <= d && (i.end_date === null || i.end_date === '' || i.end_date > d));
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
