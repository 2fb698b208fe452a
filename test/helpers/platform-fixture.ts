/** Builds snapshots and publications for sync tests: a district, then the same district a month later. */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PlatformState, publishSnapshot } from '../../src-main/data-platform/publish.js';
import { generateDistrict } from '../../src-main/generator/district-generator.js';
import { generateDeviceKeyPair, deviceIdOf, type DeviceKeyPair } from '../../src-main/platform/device-keys.js';
import { openEncrypted } from '../../src-main/store/sqlcipher.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { derivedTables } from '../../src-main/store/snapshot/derived-results.js';
import { DERIVED_RULES } from '../../src-main/rules/index.js';
import type { SyncCredentials } from '../../src-main/services/sync/sync-engine.js';
import { isoTime, systemClock } from '../../src-main/platform/clock.js';
import { enrolDevice } from '../../src-main/data-platform/enrolment.js';
import type { ExchangeStore } from '../../src-main/store/exchange/exchange-store.js';
import { openTestExchange } from './exchange-db.js';

export interface BuiltSnapshot {
  file: string;
  key: Buffer;
  id: string;
  asOf: string;
}

/** A generated snapshot; `schemaVersion: 1` writes what a v1 platform published (no v2 tables or columns). */
export function makeSnapshot(dir: string, id: string, persons = 1500, seed = 42, o: { schemaVersion?: 1 | 2; asOf?: string } = {}): BuiltSnapshot {
  mkdirSync(dir, { recursive: true });
  const key = randomBytes(32);
  const file = join(dir, `${id}.db`);
  const writer = SnapshotWriter.toFile(file, key, { schemaVersion: o.schemaVersion });
  const summary = generateDistrict({ seed, persons, schemaVersion: o.schemaVersion, asOf: o.asOf }, { row: (r) => writer.write(r), truth: () => undefined });
  // As the platform's build finishes a snapshot: with the rules without parameters derived and stored in it.
  writer.finish({ snapshotId: id, asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: '2024-07-01T02:00:00Z' }, { derive: DERIVED_RULES });
  return { file, key, id, asOf: summary.asOf };
}

/** The next month's snapshot: new payments, changed incomes, a few deaths recorded, some visits gone. */
export function evolve(from: BuiltSnapshot, dir: string, id: string, asOf: string, seed = 1): BuiltSnapshot {
  const key = randomBytes(32);
  const file = join(dir, `${id}.db`);
  copyFileSync(from.file, file);
  const db = openEncrypted(file, from.key, { journal: 'delete' });
  const month = asOf.slice(0, 7);
  db.transaction(() => {
    db.prepare(
      `INSERT INTO payment SELECT 'N' || payment_id, enrollment_id, person_id, program, ?, amount_cents, ? || '-10'
         FROM payment WHERE period = (SELECT max(period) FROM payment)`,
    ).run(month, month);
    // A seventh of the lines, chosen by key: income_record and person are WITHOUT ROWID tables (store/snapshot/schema.ts).
    db.prepare(`UPDATE income_record SET amount_cents = amount_cents + ? WHERE (CAST(substr(person_id, 15, 3) AS INTEGER) + CAST(substr(period, 6, 2) AS INTEGER)) % 7 = 0`).run(seed * 100);
    db.prepare(`DELETE FROM grid_visit WHERE rowid % 11 = 0`).run();
    db.prepare(
      `INSERT OR IGNORE INTO death_record SELECT person_id, ?, '公安' FROM person WHERE CAST(substr(person_id, 15, 3) AS INTEGER) % 97 = ? AND person_id NOT IN (SELECT person_id FROM death_record)`,
    ).run(`${month}-03`, seed % 97);
    db.prepare(`UPDATE meta SET value = ? WHERE key = 'snapshot_id'`).run(id);
    db.prepare(`UPDATE meta SET value = ? WHERE key = 'as_of'`).run(asOf);
  })();
  // The stored rule results follow the changed rows, as a build of this month would.
  if (derivedTables(db).length > 0) {
    for (const table of derivedTables(db)) db.exec(`DROP TABLE ${table}`);
    SnapshotDb.fromDatabase(db, 'synced').deriveResults(DERIVED_RULES);
  }
  db.pragma(`rekey="x'${key.toString('hex')}'"`);
  db.close();
  return { file, key, id, asOf };
}

/**
 * The next snapshot with about `fraction` of its rows changed (default 1 %): one income line and one payment in every
 * 1/fraction amended, as many grid visits gone — a delta of the size issue 16's target is stated for.
 */
export function amend(from: BuiltSnapshot, dir: string, id: string, asOf: string, fraction = 0.01): BuiltSnapshot {
  const every = fraction > 0 ? Math.max(1, Math.round(1 / fraction)) : 0; // 0: the same rows under a new id and key
  const key = randomBytes(32);
  const file = join(dir, `${id}.db`);
  copyFileSync(from.file, file);
  const db = openEncrypted(file, from.key, { journal: 'delete' });
  db.transaction(() => {
    if (every > 0) {
      // income_record is a WITHOUT ROWID table (store/snapshot/schema.ts): its lines are chosen by key.
      db.prepare(`UPDATE income_record SET amount_cents = amount_cents + 100 WHERE (CAST(substr(person_id, 13, 5) AS INTEGER) + CAST(substr(period, 6, 2) AS INTEGER)) % ? = 0`).run(every);
      db.prepare(`UPDATE payment SET amount_cents = amount_cents + 100 WHERE rowid % ? = 0`).run(every);
      db.prepare(`DELETE FROM grid_visit WHERE rowid % ? = 0`).run(every);
    }
    db.prepare(`UPDATE meta SET value = ? WHERE key = 'snapshot_id'`).run(id);
    db.prepare(`UPDATE meta SET value = ? WHERE key = 'as_of'`).run(asOf);
  })();
  // The stored rule results follow the changed rows, as a build of this month would.
  if (derivedTables(db).length > 0) {
    for (const table of derivedTables(db)) db.exec(`DROP TABLE ${table}`);
    SnapshotDb.fromDatabase(db, 'synced').deriveResults(DERIVED_RULES);
  }
  db.pragma(`rekey="x'${key.toString('hex')}'"`);
  db.close();
  return { file, key, id, asOf };
}

export interface Publication {
  state: PlatformState;
  /** The exchange service's database (the test closes it with `close`). */
  exchange: ExchangeStore;
  pubDir: string;
  device: DeviceKeyPair;
  publish(s: BuiltSnapshot): Promise<unknown>;
  close(): Promise<void>;
  credentials(url: string, token: string, saved?: Map<string, Buffer>, sequence?: { value: number }): SyncCredentials;
}

/** The jurisdiction of every generated district (浦口区 and 六合区), which the test device is enrolled for. */
export const DISTRICT_JURISDICTION = ['320111', '320116'];

export async function makePublication(dir: string): Promise<Publication> {
  const state = new PlatformState(join(dir, 'state'));
  state.init();
  const exchange = await openTestExchange(dir);
  const pubDir = join(dir, 'pub');
  const device = generateDeviceKeyPair();
  await enrolDevice(exchange, device.publicKeyDer, 'test device', DISTRICT_JURISDICTION, isoTime(systemClock));
  return {
    state,
    exchange,
    pubDir,
    device,
    publish: (s) => publishSnapshot({ state, exchange, pubDir, snapshotFile: s.file, snapshotKey: s.key }),
    close: () => exchange.close(),
    credentials: (url, token, saved = new Map(), sequence = { value: 0 }) => ({
      url,
      token,
      platformPublicKey: state.publicKey(),
      jurisdiction: DISTRICT_JURISDICTION,
      device,
      deviceId: deviceIdOf(device.publicKeyDer),
      snapshotKey: (id) => saved.get(id),
      saveSnapshotKey: (id, key) => void saved.set(id, key),
      highestSequence: () => sequence.value,
      recordSequence: (n) => void (sequence.value = Math.max(sequence.value, n)),
      uploadAuthKey: state.uploadAuthKeyPair().publicKeyDer,
    }),
  };
}
