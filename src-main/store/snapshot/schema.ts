/**
 * Snapshot tables: exchange-schema.md's tables, money in integer cents (`*_cents`), plus `division` (names of
 * division codes, so screens can show them) and `meta`. Indexes are created after a bulk load (SNAPSHOT_INDEXES),
 * chosen for the joins the rules make: by person, by household, by division range, by programme and period.
 */
export const SNAPSHOT_SCHEMA_VERSION = 1;

export const SNAPSHOT_TABLES_DDL = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE division (division_code TEXT PRIMARY KEY, name TEXT NOT NULL, level INTEGER NOT NULL);
  CREATE TABLE policy (
    division_prefix TEXT NOT NULL, program TEXT NOT NULL, effective_from TEXT NOT NULL, standard_monthly_cents INTEGER NOT NULL,
    PRIMARY KEY (division_prefix, program, effective_from)
  );
  CREATE TABLE person (
    person_id TEXT PRIMARY KEY, name TEXT NOT NULL, gender TEXT, birth_date TEXT, ethnicity TEXT, hukou_division TEXT, phone TEXT
  );
  CREATE TABLE household (
    household_id TEXT PRIMARY KEY, head_person_id TEXT NOT NULL, division_code TEXT NOT NULL, address TEXT, urban_rural TEXT
  );
  CREATE TABLE household_member (
    household_id TEXT NOT NULL, person_id TEXT NOT NULL, relation TEXT, PRIMARY KEY (household_id, person_id)
  );
  CREATE TABLE enrollment (
    enrollment_id TEXT PRIMARY KEY, person_id TEXT NOT NULL, household_id TEXT, program TEXT NOT NULL, status TEXT NOT NULL,
    start_date TEXT NOT NULL, end_date TEXT, monthly_amount_cents INTEGER NOT NULL, support_mode TEXT, cause TEXT
  );
  CREATE TABLE payment (
    payment_id TEXT PRIMARY KEY, enrollment_id TEXT, person_id TEXT NOT NULL, program TEXT NOT NULL, period TEXT NOT NULL,
    amount_cents INTEGER NOT NULL, paid_date TEXT
  );
  CREATE TABLE budget (
    division_prefix TEXT NOT NULL, program TEXT NOT NULL, year INTEGER NOT NULL, amount_cents INTEGER NOT NULL,
    PRIMARY KEY (division_prefix, program, year)
  );
  CREATE TABLE death_record (person_id TEXT PRIMARY KEY, death_date TEXT NOT NULL, source TEXT);
  CREATE TABLE hukou_event (
    person_id TEXT NOT NULL, event_type TEXT NOT NULL, event_date TEXT NOT NULL, from_division TEXT, to_division TEXT,
    PRIMARY KEY (person_id, event_date, event_type)
  );
  CREATE TABLE disability_cert (
    person_id TEXT PRIMARY KEY, disability_type TEXT, disability_level INTEGER, valid_from TEXT, valid_to TEXT
  );
  CREATE TABLE income_record (
    person_id TEXT NOT NULL, source TEXT NOT NULL, period TEXT NOT NULL, amount_cents INTEGER NOT NULL,
    PRIMARY KEY (person_id, period, source)
  );
  CREATE TABLE vehicle (
    plate TEXT PRIMARY KEY, person_id TEXT NOT NULL, vehicle_type TEXT NOT NULL, registered_date TEXT, deregistered_date TEXT
  );
  CREATE TABLE real_estate (
    property_id TEXT PRIMARY KEY, person_id TEXT NOT NULL, usage TEXT NOT NULL, area_sqm REAL, registered_date TEXT,
    deregistered_date TEXT
  );
  CREATE TABLE business_registration (
    entity_id TEXT NOT NULL, entity_name TEXT, person_id TEXT NOT NULL, role TEXT NOT NULL, registered_capital_cents INTEGER,
    status TEXT NOT NULL, established_date TEXT, PRIMARY KEY (entity_id, person_id)
  );
  CREATE TABLE grid_visit (
    visit_id TEXT PRIMARY KEY, person_id TEXT NOT NULL, visit_date TEXT NOT NULL, visitor TEXT, outcome TEXT, note TEXT
  );
`;

export const SNAPSHOT_INDEXES = `
  CREATE INDEX household_by_division ON household (division_code);
  CREATE INDEX household_member_by_person ON household_member (person_id);
  CREATE INDEX enrollment_by_person ON enrollment (person_id, program);
  CREATE INDEX enrollment_by_household ON enrollment (household_id, program);
  CREATE INDEX enrollment_by_program ON enrollment (program, status);
  CREATE INDEX payment_by_person ON payment (person_id, program, period);
  CREATE INDEX payment_by_enrollment ON payment (enrollment_id, period);
  CREATE INDEX vehicle_by_person ON vehicle (person_id);
  CREATE INDEX real_estate_by_person ON real_estate (person_id);
  CREATE INDEX business_by_person ON business_registration (person_id);
  CREATE INDEX grid_visit_by_person ON grid_visit (person_id, visit_date);
`;
