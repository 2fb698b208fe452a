/**
 * Rows of the snapshot tables (exchange-schema.md), as the workstation stores them.
 *
 * One deliberate difference from the feed files: money is held in integer cents, in columns whose names end in
 * `_cents` (feeds carry yuan with two decimals in `amount`, `monthly_amount`, …). rules.md compares money exactly,
 * and integer cents make SQL sums exact. Dates are ISO strings, months `YYYY-MM`, absent values null.
 *
 * Schema v2 (exchange-schema.md "Schema v2") adds tables (V2_TABLE_NAMES) and columns on v1 tables. Those columns are
 * optional here: a v1 snapshot has no such column, and a v2 snapshot leaves them NULL where a feed did not deliver them.
 */

export interface DivisionRow {
  division_code: string;
  name: string;
  /** 3 county, 4 township/street, 5 village/community */
  level: number;
}
export interface PersonRow {
  person_id: string;
  name: string;
  gender: string;
  birth_date: string;
  ethnicity: string;
  hukou_division: string;
  phone: string | null;
}
export interface HouseholdRow {
  household_id: string;
  head_person_id: string;
  division_code: string;
  address: string;
  urban_rural: string;
}
export interface HouseholdMemberRow {
  household_id: string;
  person_id: string;
  relation: string;
}
export interface EnrollmentRow {
  enrollment_id: string;
  person_id: string;
  household_id: string;
  program: string;
  status: 'active' | 'stopped';
  start_date: string;
  end_date: string | null;
  monthly_amount_cents: number;
  support_mode: string | null;
  cause: string | null;
  /** v2, dibao only: `household` (整户保; also when empty) or `single` (单人保). */
  coverage?: string | null;
  /** v2, child programmes: orphan, unsupported, hiv, other. */
  category?: string | null;
  /** v2: why a stopped enrollment ended. */
  end_reason?: string | null;
}
export interface PaymentRow {
  payment_id: string;
  enrollment_id: string;
  person_id: string;
  program: string;
  period: string;
  amount_cents: number;
  paid_date: string;
}
export interface BudgetRow {
  division_prefix: string;
  program: string;
  year: number;
  amount_cents: number;
}
export interface DeathRecordRow {
  person_id: string;
  death_date: string;
  source: string;
}
export interface HukouEventRow {
  person_id: string;
  event_type: 'move_out' | 'move_in';
  event_date: string;
  from_division: string | null;
  to_division: string | null;
}
export interface DisabilityCertRow {
  person_id: string;
  disability_type: string;
  disability_level: number;
  valid_from: string;
  valid_to: string | null;
  /** v2: the first issue of this disability (a renewal keeps it); empty = valid_from. */
  first_issued_date?: string | null;
}
/** v1's income sources, then the ones schema v2 adds (most are excluded from counted income by rules.md v2). */
export type IncomeSource =
  | 'wage'
  | 'pension'
  | 'unemployment'
  | 'business'
  | 'provident_fund'
  | 'basic_pension'
  | 'disability_subsidy'
  | 'orphan_allowance'
  | 'elderly_allowance'
  | 'special_care'
  | 'award'
  | 'family_planning'
  | 'maintenance'
  | 'work_injury_care'
  | 'other';
export interface IncomeRecordRow {
  person_id: string;
  source: IncomeSource;
  period: string;
  amount_cents: number;
}
export interface VehicleRow {
  plate: string;
  person_id: string;
  vehicle_type: 'car' | 'truck' | 'motorcycle' | 'disabled_mobility';
  registered_date: string;
  deregistered_date: string | null;
  /** v2: assessed value (cents). */
  value_cents?: number | null;
  /** v2: medical, rehabilitation or livelihood (anything else exempts nothing). */
  exempt_reason?: string | null;
}
export interface RealEstateRow {
  property_id: string;
  person_id: string;
  usage: 'residential' | 'commercial' | 'other';
  area_sqm: number;
  registered_date: string;
  deregistered_date: string | null;
}
export interface BusinessRegistrationRow {
  entity_id: string;
  entity_name: string;
  person_id: string;
  role: 'legal_rep' | 'shareholder';
  registered_capital_cents: number;
  status: 'active' | 'closed';
  established_date: string;
}
export interface GridVisitRow {
  visit_id: string;
  person_id: string;
  visit_date: string;
  visitor: string;
  outcome: 'normal' | 'changed' | 'not_found';
  note: string | null;
}
export interface PolicyRow {
  division_prefix: string;
  program: string;
  effective_from: string;
  standard_monthly_cents: number;
  /** v2: the standard applies to `1` urban or `2` rural households only; empty = both. */
  urban_rural?: string | null;
}

// ---- Schema v2 tables ---------------------------------------------------------------------------------------------

export interface FinancialAssetRow {
  person_id: string;
  kind: 'deposit' | 'securities' | 'fund' | 'insurance' | 'online';
  institution: string;
  balance_cents: number;
  as_of_date: string;
}
export interface GradualExitRow {
  enrollment_id: string;
  household_id: string | null;
  start_period: string;
  end_period: string;
  /** 0–1; null = 1 (full amount). */
  pay_ratio: number | null;
  reason: 'employment' | 'pension' | 'other' | null;
  approved_by: string | null;
}
export interface SchoolEnrollmentRow {
  person_id: string;
  school_level: 'compulsory' | 'high_school' | 'vocational' | 'college' | 'undergraduate' | 'postgraduate';
  /** '1' full-time; '0' or null not. */
  full_time: string | null;
  start_date: string;
  expected_end_date: string | null;
  status: 'enrolled' | 'suspended' | 'graduated' | 'dropped';
}
export interface MedicalSettlementRow {
  settlement_id: string;
  person_id: string;
  settle_date: string;
  total_cents: number;
  fund_paid_cents: number;
  self_paid_cents: number | null;
  serious_illness: string | null;
}
export interface UnemploymentRegistrationRow {
  person_id: string;
  registered_date: string;
  ended_date: string | null;
}
export interface ImprisonmentRow {
  person_id: string;
  start_date: string;
  end_date: string | null;
  kind: 'prison' | 'detention' | 'rehab';
}
export interface DisasterVictimRow {
  person_id: string;
  event_date: string;
  kind: 'flood' | 'fire' | 'earthquake' | 'accident' | 'other';
  loss_cents: number | null;
}
export interface ReviewRow {
  household_id: string;
  review_date: string;
  reviewer: string | null;
  result: 'unchanged' | 'adjusted' | 'stopped';
}
export interface ConsentRow {
  consent_id: string;
  household_id: string;
  person_id: string;
  for_person_id: string | null;
  role: 'member' | 'obligor' | 'guardian' | 'proxy';
  signed_date: string;
  method: 'paper' | 'esign' | null;
  valid_to: string | null;
}
export interface ApplicationRow {
  application_id: string;
  household_id: string;
  person_id: string;
  program: string;
  applied_date: string;
  decided_date: string | null;
  outcome: 'approved' | 'refused' | 'pending';
  refusal_reason: string | null;
}

export interface TableRows {
  division: DivisionRow;
  person: PersonRow;
  household: HouseholdRow;
  household_member: HouseholdMemberRow;
  enrollment: EnrollmentRow;
  payment: PaymentRow;
  budget: BudgetRow;
  death_record: DeathRecordRow;
  hukou_event: HukouEventRow;
  disability_cert: DisabilityCertRow;
  income_record: IncomeRecordRow;
  vehicle: VehicleRow;
  real_estate: RealEstateRow;
  business_registration: BusinessRegistrationRow;
  grid_visit: GridVisitRow;
  policy: PolicyRow;
  financial_asset: FinancialAssetRow;
  gradual_exit: GradualExitRow;
  school_enrollment: SchoolEnrollmentRow;
  medical_settlement: MedicalSettlementRow;
  unemployment_registration: UnemploymentRegistrationRow;
  imprisonment: ImprisonmentRow;
  disaster_victim: DisasterVictimRow;
  review: ReviewRow;
  consent: ConsentRow;
  application: ApplicationRow;
}
export type TableName = keyof TableRows;

/** The tables schema v2 added: a snapshot of schema_version 1 has none of them. */
export const V2_TABLE_NAMES: readonly TableName[] = [
  'financial_asset',
  'gradual_exit',
  'school_enrollment',
  'medical_settlement',
  'unemployment_registration',
  'imprisonment',
  'disaster_victim',
  'review',
  'consent',
  'application',
];

/** The v1 tables, in the order a snapshot is written (parents before children, for readability of dumps). */
export const V1_TABLE_NAMES: readonly TableName[] = [
  'division',
  'policy',
  'person',
  'household',
  'household_member',
  'enrollment',
  'payment',
  'budget',
  'death_record',
  'hukou_event',
  'disability_cert',
  'income_record',
  'vehicle',
  'real_estate',
  'business_registration',
  'grid_visit',
];

/** Every table of the current schema, v1's first. */
export const TABLE_NAMES: readonly TableName[] = [...V1_TABLE_NAMES, ...V2_TABLE_NAMES];

export type AnyRow = { [T in TableName]: { table: T; row: TableRows[T] } }[TableName];
