/**
 * Rows of the snapshot tables (exchange-schema.md), as the workstation stores them.
 *
 * One deliberate difference from the feed files: money is held in integer cents, in columns whose names end in
 * `_cents` (feeds carry yuan with two decimals in `amount`, `monthly_amount`, …). rules.md compares money exactly,
 * and integer cents make SQL sums exact. Dates are ISO strings, months `YYYY-MM`, absent values null.
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
}
export interface IncomeRecordRow {
  person_id: string;
  source: 'wage' | 'pension' | 'unemployment' | 'business' | 'provident_fund';
  period: string;
  amount_cents: number;
}
export interface VehicleRow {
  plate: string;
  person_id: string;
  vehicle_type: 'car' | 'truck' | 'motorcycle' | 'disabled_mobility';
  registered_date: string;
  deregistered_date: string | null;
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
}
export type TableName = keyof TableRows;

/** Every table in the order a snapshot is written (parents before children, for readability of dumps). */
export const TABLE_NAMES: readonly TableName[] = [
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

export type AnyRow = { [T in TableName]: { table: T; row: TableRows[T] } }[TableName];
