/** Every row of a snapshot by table, as a rule's truth.ts reads a district (rules/plant-kit.ts DistrictRows). */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { DistrictRows } from '../../src-main/rules/plant-kit.js';
import { snapshotTables } from '../../src-main/store/snapshot/schema.js';
import type { Db } from '../../src-main/store/sqlcipher.js';

export function snapshotRows(db: Database | Db): DistrictRows {
  const rows: Record<string, unknown[]> = {};
  for (const table of snapshotTables(db as Db)) rows[table] = db.prepare(`SELECT * FROM ${table}`).all();
  return rows as DistrictRows;
}
