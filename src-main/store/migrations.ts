/**
 * Versioned schema migrations, run in one transaction.
 *
 * The schema version is SQLite's user_version, which lives in the database header and is therefore rolled back
 * together with the DDL: a failed migration leaves the previous database exactly as it was.
 * A database newer than this app is refused, never "repaired".
 */
import type { Db } from './sqlcipher.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

export class DatabaseTooNewError extends Error {
  constructor(what: string, found: number, supported: number) {
    super(`${what} has schema version ${found}, newer than this app supports (${supported}); update the app`);
    this.name = 'DatabaseTooNewError';
  }
}

export class MigrationFailedError extends Error {
  constructor(what: string, migration: Migration, cause: unknown) {
    super(`${what}: migration ${migration.version} (${migration.name}) failed and was rolled back: ${String(cause)}`);
    this.name = 'MigrationFailedError';
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every migration newer than the database; returns the versions applied. */
export function migrate(db: Db, migrations: readonly Migration[], what: string): number[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`${what}: migrations must be numbered 1..n without gaps`);
  });
  const latest = sorted.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) throw new DatabaseTooNewError(what, current, latest);
  const pending = sorted.filter((m) => m.version > current);
  if (pending.length === 0) return [];
  const applyAll = db.transaction(() => {
    for (const m of pending) {
      try {
        m.up(db);
      } catch (error) {
        throw new MigrationFailedError(what, m, error);
      }
      db.pragma(`user_version = ${m.version}`);
    }
  });
  applyAll.immediate();
  return pending.map((m) => m.version);
}
