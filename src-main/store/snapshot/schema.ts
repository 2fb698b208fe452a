/**
 * Snapshot tables (exchange-schema.md), with the indexes the checks join on. Issue 3 adds the other departments'
 * tables to this same file; `division` (names of division codes) is our extension so screens can show names.
 */
export const SNAPSHOT_SCHEMA_VERSION = 1;

export const SNAPSHOT_DDL = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE division (division_code TEXT PRIMARY KEY, name TEXT NOT NULL, level INTEGER NOT NULL);
  CREATE TABLE person (
    person_id TEXT PRIMARY KEY, name TEXT NOT NULL, gender TEXT, birth_date TEXT, ethnicity TEXT,
    hukou_division TEXT, phone TEXT
  );
  CREATE TABLE household (
    household_id TEXT PRIMARY KEY, head_person_id TEXT NOT NULL, division_code TEXT NOT NULL, address TEXT,
    urban_rural TEXT
  );
  CREATE INDEX household_by_division ON household (division_code);
  CREATE TABLE household_member (
    household_id TEXT NOT NULL, person_id TEXT NOT NULL, relation TEXT, PRIMARY KEY (household_id, person_id)
  );
  CREATE INDEX household_member_by_person ON household_member (person_id);
  CREATE TABLE enrollment (
    enrollment_id TEXT PRIMARY KEY, person_id TEXT NOT NULL, household_id TEXT, program TEXT NOT NULL,
    status TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT, monthly_amount TEXT, support_mode TEXT, cause TEXT
  );
  CREATE INDEX enrollment_by_person ON enrollment (person_id);
  CREATE INDEX enrollment_by_household ON enrollment (household_id, program);
`;
