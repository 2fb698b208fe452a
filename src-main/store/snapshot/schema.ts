/**
 * Snapshot tables: exchange-schema.md's tables, money in integer cents (`*_cents`), plus `division` (names of
 * division codes, so screens can show them) and `meta`. The indexes (SNAPSHOT_INDEXES, created with the tables and
 * kept up during the load: snapshot-writer.ts) are chosen for the joins the rules make: by person, by household, by
 * division range, by programme and period. A table whose primary key is the way the rules reach it (a person's
 * incomes by month, a household's members) is `WITHOUT ROWID`: its rows are stored in key order, once, instead of a
 * table plus an index repeating the key (income_record was 233 MiB of rows and 257 MiB of key index at 200,000
 * dense persons). The columns, their types and their meaning are the same either way; nothing may use `rowid`.
 *
 * Schema v2 is written as a step on top of v1 (SNAPSHOT_V2_DDL): v1's tables keep their columns in their order and gain
 * the new ones at the end, so a v1 snapshot is exactly a v2 snapshot before that step — its content digest, its deltas
 * and the v1 rules' SQL read it unchanged.
 */
import { TABLE_NAMES } from '../../domain/exchange/rows.js';
import { derivedTables } from './derived-results.js';
import type { Db } from '../sqlcipher.js';

export const SNAPSHOT_SCHEMA_VERSION = 2;

/** The versions this workstation reads; a sync or an open of any other is refused. */
export const SUPPORTED_SNAPSHOT_SCHEMAS: readonly number[] = [1, 2];

export const SNAPSHOT_TABLES_DDL = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE division (division_code TEXT PRIMARY KEY, name TEXT NOT NULL, level INTEGER NOT NULL);
  CREATE TABLE policy (
    division_prefix TEXT NOT NULL, program TEXT NOT NULL, effective_from TEXT NOT NULL, standard_monthly_cents INTEGER NOT NULL,
    PRIMARY KEY (division_prefix, program, effective_from)
  ) WITHOUT ROWID;
  CREATE TABLE person (
    person_id TEXT PRIMARY KEY, name TEXT NOT NULL, gender TEXT, birth_date TEXT, ethnicity TEXT, hukou_division TEXT, phone TEXT
  ) WITHOUT ROWID;
  CREATE TABLE household (
    household_id TEXT PRIMARY KEY, head_person_id TEXT NOT NULL, division_code TEXT NOT NULL, address TEXT, urban_rural TEXT
  );
  CREATE TABLE household_member (
    household_id TEXT NOT NULL, person_id TEXT NOT NULL, relation TEXT, PRIMARY KEY (household_id, person_id)
  ) WITHOUT ROWID;
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
  ) WITHOUT ROWID;
  CREATE TABLE death_record (person_id TEXT PRIMARY KEY, death_date TEXT NOT NULL, source TEXT) WITHOUT ROWID;
  CREATE TABLE hukou_event (
    person_id TEXT NOT NULL, event_type TEXT NOT NULL, event_date TEXT NOT NULL, from_division TEXT, to_division TEXT,
    PRIMARY KEY (person_id, event_date, event_type)
  ) WITHOUT ROWID;
  CREATE TABLE disability_cert (
    person_id TEXT PRIMARY KEY, disability_type TEXT, disability_level INTEGER, valid_from TEXT, valid_to TEXT
  ) WITHOUT ROWID;
  CREATE TABLE income_record (
    person_id TEXT NOT NULL, source TEXT NOT NULL, period TEXT NOT NULL, amount_cents INTEGER NOT NULL,
    PRIMARY KEY (person_id, period, source)
  ) WITHOUT ROWID;
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
  ) WITHOUT ROWID;
  CREATE TABLE grid_visit (
    visit_id TEXT PRIMARY KEY, person_id TEXT NOT NULL, visit_date TEXT NOT NULL, visitor TEXT, outcome TEXT, note TEXT
  );
`;

/** Schema v2: new columns on v1 tables (NULL when a feed did not deliver them) and the new tables. */
export const SNAPSHOT_V2_DDL = `
  ALTER TABLE enrollment ADD COLUMN coverage TEXT;
  ALTER TABLE enrollment ADD COLUMN category TEXT;
  ALTER TABLE enrollment ADD COLUMN end_reason TEXT;
  ALTER TABLE disability_cert ADD COLUMN first_issued_date TEXT;
  ALTER TABLE vehicle ADD COLUMN value_cents INTEGER;
  ALTER TABLE vehicle ADD COLUMN exempt_reason TEXT;
  ALTER TABLE policy ADD COLUMN urban_rural TEXT;
  CREATE TABLE financial_asset (
    person_id TEXT NOT NULL, kind TEXT NOT NULL, institution TEXT NOT NULL, balance_cents INTEGER NOT NULL, as_of_date TEXT NOT NULL,
    PRIMARY KEY (person_id, kind, institution, as_of_date)
  ) WITHOUT ROWID;
  CREATE TABLE gradual_exit (
    enrollment_id TEXT NOT NULL, household_id TEXT, start_period TEXT NOT NULL, end_period TEXT NOT NULL, pay_ratio REAL,
    reason TEXT, approved_by TEXT, PRIMARY KEY (enrollment_id, start_period)
  ) WITHOUT ROWID;
  CREATE TABLE school_enrollment (
    person_id TEXT NOT NULL, school_level TEXT NOT NULL, full_time TEXT, start_date TEXT NOT NULL, expected_end_date TEXT,
    status TEXT NOT NULL, PRIMARY KEY (person_id, school_level, start_date)
  ) WITHOUT ROWID;
  CREATE TABLE medical_settlement (
    settlement_id TEXT PRIMARY KEY, person_id TEXT NOT NULL, settle_date TEXT NOT NULL, total_cents INTEGER NOT NULL,
    fund_paid_cents INTEGER NOT NULL, self_paid_cents INTEGER, serious_illness TEXT
  );
  CREATE TABLE unemployment_registration (
    person_id TEXT NOT NULL, registered_date TEXT NOT NULL, ended_date TEXT, PRIMARY KEY (person_id, registered_date)
  ) WITHOUT ROWID;
  CREATE TABLE imprisonment (
    person_id TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT, kind TEXT NOT NULL, PRIMARY KEY (person_id, start_date)
  ) WITHOUT ROWID;
  CREATE TABLE disaster_victim (
    person_id TEXT NOT NULL, event_date TEXT NOT NULL, kind TEXT NOT NULL, loss_cents INTEGER, PRIMARY KEY (person_id, event_date, kind)
  ) WITHOUT ROWID;
  CREATE TABLE review (
    household_id TEXT NOT NULL, review_date TEXT NOT NULL, reviewer TEXT, result TEXT NOT NULL, PRIMARY KEY (household_id, review_date)
  ) WITHOUT ROWID;
  CREATE TABLE consent (
    consent_id TEXT PRIMARY KEY, household_id TEXT NOT NULL, person_id TEXT NOT NULL, for_person_id TEXT, role TEXT NOT NULL,
    signed_date TEXT NOT NULL, method TEXT, valid_to TEXT
  );
  CREATE TABLE application (
    application_id TEXT PRIMARY KEY, household_id TEXT NOT NULL, person_id TEXT NOT NULL, program TEXT NOT NULL,
    applied_date TEXT NOT NULL, decided_date TEXT, outcome TEXT NOT NULL, refusal_reason TEXT
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

/**
 * Schema v2's indexes, for the v2 rules' lookups: by person (and date), by household (and date), by enrollment. Tables
 * whose primary key already starts with the person or household need none.
 */
export const SNAPSHOT_V2_INDEXES = `
  CREATE INDEX medical_by_person ON medical_settlement (person_id, settle_date);
  CREATE INDEX consent_by_household ON consent (household_id, signed_date);
  CREATE INDEX consent_by_person ON consent (person_id);
  CREATE INDEX consent_for_person ON consent (for_person_id) WHERE for_person_id IS NOT NULL;
  CREATE INDEX application_by_household ON application (household_id, applied_date);
  CREATE INDEX application_by_person ON application (person_id, applied_date);
  CREATE INDEX gradual_exit_by_household ON gradual_exit (household_id);
`;

/** The DDL and indexes of a schema version (a v1 layout is still written, for tests of old snapshots). */
export function snapshotLayout(version: number): { ddl: string; indexes: string } {
  if (version === 1) return { ddl: SNAPSHOT_TABLES_DDL, indexes: SNAPSHOT_INDEXES };
  if (version === 2) return { ddl: SNAPSHOT_TABLES_DDL + SNAPSHOT_V2_DDL, indexes: SNAPSHOT_INDEXES + SNAPSHOT_V2_INDEXES };
  throw new Error(`snapshot schema version ${version} is not one this app knows`);
}

/**
 * The exchange-schema tables a snapshot holds, in TABLE_NAMES order: all of them in v2, v1's in a v1 snapshot. Whatever
 * reads "every table" (digest, deltas, profiles) reads these, so a v1 snapshot is read as it was written.
 */
export function snapshotTables(db: Db, schema = 'main'): string[] {
  const present = new Set((db.prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
  return TABLE_NAMES.filter((t) => present.has(t));
}

/**
 * Everything a snapshot's content is: its exchange-schema tables and the rule results derived when it was built
 * (derived-results.ts). The content digest and deltas read these, so derived rows are verified like the data.
 */
export function snapshotContentTables(db: Db, schema = 'main'): string[] {
  return [...snapshotTables(db, schema), ...derivedTables(db, schema)];
}

/** The columns of one table as the snapshot has them (a v1 snapshot lacks v2's). */
export function snapshotColumns(db: Db, table: string, schema = 'main'): string[] {
  return (db.prepare(`PRAGMA ${schema}.table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

/**
 * A v1 snapshot seen in schema v2's shape, on this connection only: the v2 tables it lacks as empty temporary tables,
 * and the v2 columns of its v1 tables as NULL (temporary views shadowing the tables, over their indexes). One statement
 * per rule then runs on both versions — rules.md §E: a v1 snapshot is a v2 one whose v2 tables are absent and v2 columns
 * empty. Temporary objects live in memory (temp_store = MEMORY) and never touch the file. A v2 snapshot is left as is.
 */
export function presentAsV2(db: Db): void {
  const tables = new Set(snapshotTables(db));
  for (const m of SNAPSHOT_V2_DDL.matchAll(/CREATE TABLE (\w+) \(([\s\S]*?)\)(?: WITHOUT ROWID)?;/g)) {
    if (!tables.has(m[1]!)) db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${m[1]} (${m[2]})`);
  }
  const added = new Map<string, string[]>();
  for (const m of SNAPSHOT_V2_DDL.matchAll(/ALTER TABLE (\w+) ADD COLUMN (\w+)/g)) added.set(m[1]!, [...(added.get(m[1]!) ?? []), m[2]!]);
  for (const [table, columns] of added) {
    if (!tables.has(table)) continue;
    const have = new Set(snapshotColumns(db, table));
    const missing = columns.filter((c) => !have.has(c));
    if (missing.length > 0) db.exec(`CREATE TEMP VIEW IF NOT EXISTS ${table} AS SELECT *, ${missing.map((c) => `NULL AS ${c}`).join(', ')} FROM main.${table}`);
  }
}
