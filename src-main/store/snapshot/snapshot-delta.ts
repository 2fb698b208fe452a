/**
 * Incremental snapshots. A delta from snapshot A to B is itself an SQLCipher file (encrypted with B's key) holding,
 * per table, the rows of B that A lacks or holds differently (`<table>__upsert`) and the keys of A's rows that B no
 * longer has (`<table>__delete`), plus `delta_meta` naming A and B. Applying it to a copy of A gives B's content,
 * checked by content digest before anything trusts it.
 */
import { copyFileSync, renameSync, rmSync } from 'node:fs';
import { TABLE_NAMES } from '../../domain/exchange/rows.js';
import { openEncrypted, type Db } from '../sqlcipher.js';
import { snapshotContentDigest } from './snapshot-digest.js';

const ALL_TABLES = ['meta', ...TABLE_NAMES];
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
    db.transaction(() => {
      db.exec('CREATE TABLE d.delta_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
      db.prepare(`INSERT INTO d.delta_meta VALUES ('from', ?), ('to', ?)`).run(o.oldId, o.newId);
      for (const t of ALL_TABLES) {
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
    work.transaction(() => {
      for (const t of ALL_TABLES) {
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
