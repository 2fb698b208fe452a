/**
 * What the reference semantics of the rules (src-main/rules/<rule>/reference.ts) look at: one person's rows, one
 * household's rows, and the run's context — and the shared definitions of rules.md §T in TypeScript, the twins of the
 * SQL fragments of store/sql-fragments.ts (an empty end date is null or '', as there).
 */
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
import type { ExcludedSource } from './parameters.js';

export interface EvaluationContext {
  asOf: string;
  jurisdiction: readonly string[];
  /** The dibao standard (cents per person per month) for a household's division code, per rules.md. */
  dibaoStandardCents(divisionCode: string): number;
  mutexPairs?: readonly (readonly [string, string])[];
  /** Counted income's parameters (rules.md v2 "Income"); absent: the policy defaults (domain/rules/parameters.ts). */
  excludedSources?: readonly ExcludedSource[];
  employmentDeductionRatio?: number;
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

const empty = (end: string | null | undefined): boolean => end === null || end === undefined || end === '';

/** §T valid at D: start <= D and (end empty or end >= D). */
export const isValidAt = (start: string, end: string | null, d: string): boolean => start <= d && (empty(end) || end! >= d);

/** rules.md: an enrollment is active at D when its status is active and it is valid at D. */
export const isActiveAt = (e: { status: string; start_date: string; end_date: string | null }, d: string): boolean => e.status === 'active' && isValidAt(e.start_date, e.end_date, d);

export const isCertValidAt = (c: DisabilityCertRow | null, d: string): c is DisabilityCertRow => c !== null && isValidAt(c.valid_from, c.valid_to, d);

/** §T held at D: registered on or before D and not deregistered, or deregistered after D. */
export const isHeldAt = (x: { registered_date: string; deregistered_date: string | null }, d: string): boolean =>
  x.registered_date <= d && (empty(x.deregistered_date) || x.deregistered_date! > d);
