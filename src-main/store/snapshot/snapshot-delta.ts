/**
 * Incremental snapshots. A delta from snapshot A to B is itself an SQLCipher file (encrypted with B's key) holding,
 * per table, the rows of B that A lacks or holds differently (`<table>__upsert`) and the keys of A's rows that B no
 * longer has (`<table>__delete`), plus `delta_meta` naming A and B. Applying it to a copy of A gives B's content,
 * checked by content digest before anything trusts it.
 *
 * A delta joins snapshots of one layout only: from a v1 snapshot to a v2 one the tables differ, and a workstation takes
 * the full file instead (publish.ts makes no such delta; applyDelta refuses one).
 */
import { copyFileSync, renameSync, rmSync } from 'node:fs';
import { openEncrypted, type Db } from '../sqlcipher.js';
import { snapshotContentDigest } from './snapshot-digest.js';
import { snapshotColumns, snapshotContentTables } from './schema.js';

/** meta and the exchange-schema tables of one attached database, each with its columns: the layout a delta is for. */
function layout(db: Db, schema: string): Map<string, string> {
  return new Map(['meta', ...snapshotContentTables(db, schema)].map((t) => [t, snapshotColumns(db, t, schema).join(',')]));
}

/** Whether two attached snapshots have the same tables and columns (a delta between them is meaningful). */
export function sameLayout(db: Db, a: string, b: string): boolean {
  const x = layout(db, a);
  const y = layout(db, b);
  return x.size === y.size && [...x].every(([t, columns]) => y.get(t) === columns);
}

const hex = (key: Uint8Array) => Buffer.from(key).toString('hex');

function primaryKey(db: Db, schema: string, table: string): string[] {
  return (db.prepare(`PRAGMA ${schema}.table_info(${table})`).all() as { name: string; pk: number }[])
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
}

export class DeltaMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeltaMismatchError';
  }
}

/** Writes the delta old → new into `deltaFile` (built beside it, renamed when complete). Returns row counts. */
export function computeDelta(o: { oldFile: string; oldKey: Uint8Array; oldId: string; newFile: string; newKey: Uint8Array; newId: string; deltaFile: string }): Record<string, number> {
  const tmp = `${o.deltaFile}.building`;
  rmSync(tmp, { force: true });
  const delta = openEncrypted(tmp, o.newKey, { create: true, journal: 'off' });
  delta.close();
  const db = openEncrypted(o.newFile, o.newKey, { journal: 'delete' });
  const counts: Record<string, number> = {};
  try {
    db.exec(`ATTACH DATABASE '${o.oldFile.replaceAll("'", "''")}' AS old KEY "x'${hex(o.oldKey)}'"`);
    db.exec(`ATTACH DATABASE '${tmp.replaceAll("'", "''")}' AS d KEY "x'${hex(o.newKey)}'"`);
    if (!sameLayout(db, 'main', 'old')) throw new Error(`${o.oldId} and ${o.newId} have different tables (another schema version): no delta between them`);
    db.transaction(() => {
      db.exec('CREATE TABLE d.delta_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
      db.prepare(`INSERT INTO d.delta_meta VALUES ('from', ?), ('to', ?)`).run(o.oldId, o.newId);
      for (const t of layout(db, 'main').keys()) {
        const pk = primaryKey(db, 'main', t).join(', ');
        db.exec(`CREATE TABLE d.${t}__upsert AS SELECT * FROM main.${t} WHERE 0`);
        db.exec(`CREATE TABLE d.${t}__delete AS SELECT ${pk} FROM old.${t} WHERE 0`);
        counts[`${t}+`] = db.prepare(`INSERT INTO d.${t}__upsert SELECT * FROM main.${t} EXCEPT SELECT * FROM old.${t}`).run().changes;
        counts[`${t}-`] = db.prepare(`INSERT INTO d.${t}__delete SELECT ${pk} FROM old.${t} EXCEPT SELECT ${pk} FROM main.${t}`).run().changes;
      }
    })();
  } finally {
    db.close();
  }
  renameSync(tmp, o.deltaFile);
  return counts;
}

/**
 * Builds snapshot `to` from a base file and a delta: copy the base, apply the delta in one transaction, check
 * integrity and content digest. The result is written to `outFile` only if all of that holds. It stays encrypted with
 * the base's key (re-encrypting would rewrite every page for nothing: the key never leaves the user's workspace);
 * the caller records that key for the new snapshot.
 */
export function applyDelta(o: {
  baseFile: string;
  baseKey: Uint8Array;
  baseId: string;
  deltaFile: string;
  /** The published key of `to`: the delta file is encrypted with it. */
  newKey: Uint8Array;
  newId: string;
  expectedDigest: string;
  outFile: string;
}): void {
  const tmp = `${o.outFile}.assembling`;
  rmSync(tmp, { force: true });
  copyFileSync(o.baseFile, tmp);
  let db: Db | null = null;
  try {
    db = openEncrypted(tmp, o.baseKey, { journal: 'delete' });
    db.exec(`ATTACH DATABASE '${o.deltaFile.replaceAll("'", "''")}' AS d KEY "x'${hex(o.newKey)}'"`);
    const meta = Object.fromEntries((db.prepare('SELECT key, value FROM d.delta_meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    if (meta.from !== o.baseId || meta.to !== o.newId) {
      throw new DeltaMismatchError(`the delta goes from ${meta.from} to ${meta.to}, not from ${o.baseId} to ${o.newId}`);
    }
    const work = db;
    const tables = [...layout(work, 'main').keys()];
    // The delta must carry exactly the base's tables: one made for another layout cannot give the published content.
    const carried = new Set(
      (work.prepare(`SELECT name FROM d.sqlite_master WHERE type = 'table'`).all() as { name: string }[]).filter((r) => r.name.endsWith('__upsert')).map((r) => r.name.slice(0, -'__upsert'.length)),
    );
    if (carried.size !== tables.length || tables.some((t) => !carried.has(t))) throw new DeltaMismatchError('the delta is for snapshots with other tables (another schema version) than the base');
    work.transaction(() => {
      for (const t of tables) {
        const pk = primaryKey(work, 'main', t).join(', ');
        work.exec(`DELETE FROM main.${t} WHERE (${pk}) IN (SELECT ${pk} FROM d.${t}__delete)`);
        work.exec(`DELETE FROM main.${t} WHERE (${pk}) IN (SELECT ${pk} FROM d.${t}__upsert)`);
        work.exec(`INSERT INTO main.${t} SELECT * FROM d.${t}__upsert`);
      }
    })();
    db.exec('DETACH DATABASE d');
    db.close();
    db = openEncrypted(tmp, o.baseKey, { readonly: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new DeltaMismatchError(`the assembled snapshot fails its integrity check: ${String(integrity)}`);
    if (snapshotContentDigest(db) !== o.expectedDigest) {
      throw new DeltaMismatchError('the assembled snapshot does not match the published content digest (wrong base or damaged delta)');
    }
    db.close();
    db = null;
    renameSync(tmp, o.outFile);
  } finally {
    if (db?.open) db.close();
    rmSync(tmp, { force: true });
  }
}
