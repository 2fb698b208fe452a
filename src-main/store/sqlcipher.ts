/**
 * The one place that opens SQLCipher databases.
 *
 * better-sqlite3-multiple-ciphers defaults to ChaCha20; we need SQLCipher v4 files, so `cipher` and `legacy`
 * are set before the key on every open. Keys are random 32-byte raw keys (x'…'), never passphrases, so no
 * second KDF runs here: the password KDF happens once, in platform/key-wrap.ts.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { chmodSync, existsSync, statSync } from 'node:fs';

export type Db = Database.Database;

/** Electron needs a build of the native module for its own ABI; see scripts/build-electron-native.mjs. */
let nativeBinding: string | undefined;
export function useNativeBinding(path: string | undefined): void {
  nativeBinding = path;
}

/** The binding in use, for worker threads (each thread loads its own copy of the module). */
export function currentNativeBinding(): string | undefined {
  return nativeBinding;
}

export class WrongKeyError extends Error {
  constructor(file: string) {
    super(`cannot open ${file}: wrong key or not an encrypted workstation database`);
    this.name = 'WrongKeyError';
  }
}

export interface OpenOptions {
  /** Create the file if it does not exist (default: the file must exist). */
  create?: boolean;
  readonly?: boolean;
  /**
   * `wal` (default) for workspaces; `delete` for snapshots, which must stay one self-contained file to hash and ship;
   * `off` only while bulk-building a snapshot in a scratch file that is discarded on failure (no journal at all: a
   * failed build is thrown away, never rolled back); `memory` keeps the rollback journal in RAM (no file, no second
   * encryption), for a scratch file changed in transactions small enough to hold that may need to roll one back.
   */
  journal?: 'wal' | 'delete' | 'off' | 'memory';
}

export function openEncrypted(file: string, key: Uint8Array, options: OpenOptions = {}): Db {
  if (key.length !== 32) throw new Error('an SQLCipher key must be 32 bytes');
  const db = new Database(file, {
    fileMustExist: !options.create,
    readonly: options.readonly ?? false,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  ownerOnly(file, options.readonly ?? false);
  try {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    db.pragma(`key="x'${Buffer.from(key).toString('hex')}'"`);
    // The key is only checked when the first page is read.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    db.close();
    if (error instanceof Error && /not a database|file is encrypted/i.test(error.message)) throw new WrongKeyError(file);
    throw error;
  }
  applyConnectionSettings(db, options.readonly ?? false, options.journal ?? 'wal');
  return db;
}

/** An unencrypted database: only for files that hold no personal data (the user registry). */
export function openPlain(file: string): Db {
  const db = new Database(file, nativeBinding ? { nativeBinding } : {});
  ownerOnly(file, false);
  applyConnectionSettings(db, false);
  return db;
}

/**
 * Database files are readable by their owner only. SQLite gives the -wal and -shm files the main file's mode, so
 * setting it before WAL mode is switched on covers those too.
 */
function ownerOnly(file: string, readonly: boolean): void {
  if (!readonly) chmodSync(file, 0o600);
}

/** An in-memory database (the embedded demo snapshot): nothing reaches the disk. */
export function openMemory(): Db {
  const db = new Database(':memory:', nativeBinding ? { nativeBinding } : {});
  db.pragma('temp_store = MEMORY');
  return db;
}

function applyConnectionSettings(db: Db, readonly: boolean, journal: 'wal' | 'delete' | 'off' | 'memory' = 'wal'): void {
  // Sorts and temporary indexes stay in memory: no temp file can carry plaintext.
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = ON');
  // Snapshots are read in big, random-access sweeps (rules join a million persons by key); every page missed in the
  // cache is read and decrypted again. 256 MiB keeps a 1-million-person snapshot's hot pages decrypted in memory.
  if (readonly || journal !== 'wal') db.pragma('cache_size = -262144');
  if (readonly) return;
  const scratch = journal === 'off' || journal === 'memory';
  if (journal === 'off') {
    // better-sqlite3 opens every connection in SQLite's defensive mode, which refuses `journal_mode = OFF` and silently
    // keeps DELETE: a build then wrote every changed page twice, once more encrypted into a rollback journal file
    // (636 MB of it at 3.5 million persons). Defensive mode is lifted for this one pragma, on this scratch file only.
    db.unsafeMode(true);
    db.pragma('journal_mode = OFF');
    db.unsafeMode(false);
    if (db.pragma('journal_mode', { simple: true }) !== 'off') throw new Error(`${db.name}: SQLite kept a rollback journal`);
  } else db.pragma(`journal_mode = ${journal === 'wal' ? 'WAL' : journal === 'delete' ? 'DELETE' : 'MEMORY'}`);
  db.pragma(`synchronous = ${scratch ? 'OFF' : 'NORMAL'}`);
  db.pragma(`secure_delete = ${scratch ? 'OFF' : 'ON'}`);
}

/**
 * Runs `read` while the database file holds still and is complete on its own: the write-ahead log is checkpointed
 * and truncated, then a write lock is held, so no page can change (and none waits in the log) until `read` returns.
 * `read` must be synchronous: another call on the same connection could otherwise write inside this transaction.
 * Used by backups, which copy the file's (encrypted) pages as they are.
 */
export function withFileHeldStill<T>(db: Db, read: (file: string, pageSize: number, pageCount: number) => T): T {
  const file = db.name;
  const [checkpoint] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  if (checkpoint?.busy) throw new Error(`${file} is busy (another connection is reading or writing); try again`);
  db.exec('BEGIN IMMEDIATE');
  try {
    const walBytes = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
    if (walBytes > 0) throw new Error(`${file}: its write-ahead log could not be emptied; try again`);
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const size = statSync(file).size;
    if (size % pageSize !== 0) throw new Error(`${file}: size ${size} is not a whole number of ${pageSize}-byte pages`);
    return read(file, pageSize, size / pageSize);
  } finally {
    db.exec('COMMIT');
  }
}

/**
 * Re-encrypts a closed database file under a new key (a restored backup takes the key of the account or team store
 * it is restored into). SQLCipher cannot rekey in WAL mode, so the file is switched out of it and back.
 */
export function rekeyFile(file: string, oldKey: Uint8Array, newKey: Uint8Array): void {
  const db = openEncrypted(file, oldKey, { journal: 'delete' });
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`${file}: the database is damaged (${String(check)})`);
    db.pragma(`rekey="x'${Buffer.from(newKey).toString('hex')}'"`);
  } finally {
    db.close();
  }
  openEncrypted(file, newKey).close();
}
