/**
 * Incremental snapshots. A delta from snapshot A to B is itself an SQLCipher file (encrypted with B's key) holding,
 * per table, the rows of B that A lacks or holds differently (`<table>__upsert`) and the keys of A's rows that B no
 * longer has (`<table>__delete`), plus `delta_meta` naming A and B.
 *
 * Delta format 2 (`delta_meta.format` = '2') adds to `delta_meta`, per table, `before:<table>` — the digest of A's rows
 * at every key the delta deletes or upserts (absent keys hash to nothing) — and `changed:<table>`, the columns in which
 * the upserted rows that A already held differ from A's. The tables themselves are those of format 1, so a workstation
 * of format 1 still applies a format-2 delta its old way. With format 2 a workstation proves the result by the rows the
 * delta changes, not by digesting the whole file again:
 *   - the base was proven equal to A when it was installed (the SHA-256 of the signed full file, or this same proof),
 *     and SQLCipher authenticates every page it reads since (per-page HMAC), so an untouched row is still A's;
 *   - the base's rows at the keys the delta touches hash to A's (`before:`), so no other base (another month, another
 *     district, a damaged file) gets the delta; the delta file itself is the one the platform signed (SHA-256);
 *   - the platform applied the delta to A and compared the result with B's content digest before publishing it
 *     (publish.ts): A + delta = B was proven once, for every workstation.
 * Format 1 deltas (and any delta when `fullProof` is asked) are proven the old way: integrity check and content digest.
 *
 * A delta joins snapshots of one layout only: from a v1 snapshot to a v2 one the tables differ, and a workstation takes
 * the full file instead (publish.ts makes no such delta; applyDelta refuses one).
 */
import { copyFileSync, renameSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { openEncrypted, type Db } from '../sqlcipher.js';
import { hashRows, primaryKey, snapshotContentDigest } from './snapshot-digest.js';
import { snapshotColumns, snapshotContentTables } from './schema.js';

/** The delta format computeDelta writes; applyDelta reads 1 and 2 and refuses any other. */
export const DELTA_FORMAT = 2;

/**
 * Rows of one delta table applied per transaction. The memory journal holds the original of each page a transaction
 * changes — a few pages per row at most (the row's leaf and its index entries' leaves) — so this bounds it to tens
 * of MB however large the delta; a 1 % delta of 200,000 persons has fewer rows than this in each table.
 */
const ROWS_PER_TRANSACTION = 8192;

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

/**
 * The digest of one table's rows in `schema` at the keys the attached delta `d` deletes or upserts, in key order: what
 * the platform computes over A and the workstation over its base, before anything is changed.
 */
function touchedRowsDigest(db: Db, schema: string, table: string, keyColumns: readonly string[]): string {
  const pk = keyColumns.join(', ');
  // From the keys outwards (CROSS JOIN keeps that order): `(pk) IN (…)` on a composite key made SQLite scan the whole
  // table's index for a few thousand keys (half a second per table of a million rows, on every delta).
  const rows = db
    .prepare(
      `SELECT t.* FROM (SELECT ${pk} FROM d.${table}__delete UNION SELECT ${pk} FROM d.${table}__upsert) AS k
         CROSS JOIN ${schema}.${table} AS t ON ${keyColumns.map((c) => `t.${c} = k.${c}`).join(' AND ')}
        ORDER BY ${keyColumns.map((c) => `t.${c}`).join(', ')}`,
    )
    .raw(true)
    .iterate() as Iterable<unknown[]>;
  return hashRows(createHash('sha256'), rows).digest('hex');
}

const hex = (key: Uint8Array) => Buffer.from(key).toString('hex');

export class DeltaMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeltaMismatchError';
  }
}

/**
 * Whether a delta can lead from one snapshot file to another: the same tables with the same columns. Not across a
 * schema version, nor between builds that store different derived tables (an app that derives a prelude's bases and
 * one that did not): the platform then publishes the full file alone.
 */
export function deltaPossible(o: { oldFile: string; oldKey: Uint8Array; newFile: string; newKey: Uint8Array }): boolean {
  const db = openEncrypted(o.newFile, o.newKey, { readonly: true });
  try {
    db.exec(`ATTACH DATABASE '${o.oldFile.replaceAll("'", "''")}' AS old KEY "x'${hex(o.oldKey)}'"`);
    return sameLayout(db, 'main', 'old');
  } finally {
    db.close();
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
      const meta = db.prepare('INSERT INTO d.delta_meta VALUES (?, ?)');
      meta.run('from', o.oldId);
      meta.run('to', o.newId);
      meta.run('format', String(DELTA_FORMAT));
      for (const [t, columnList] of layout(db, 'main')) {
        const keyColumns = primaryKey(db, 'main', t);
        const pk = keyColumns.join(', ');
        db.exec(`CREATE TABLE d.${t}__upsert AS SELECT * FROM main.${t} WHERE 0`);
        db.exec(`CREATE TABLE d.${t}__delete AS SELECT ${pk} FROM old.${t} WHERE 0`);
        counts[`${t}+`] = db.prepare(`INSERT INTO d.${t}__upsert SELECT * FROM main.${t} EXCEPT SELECT * FROM old.${t}`).run().changes;
        counts[`${t}-`] = db.prepare(`INSERT INTO d.${t}__delete SELECT ${pk} FROM old.${t} EXCEPT SELECT ${pk} FROM main.${t}`).run().changes;
        meta.run(`before:${t}`, touchedRowsDigest(db, 'old', t, keyColumns));
        // The columns an upserted row differs in from A's row of the same key: a workstation updates those in place
        // (indexes on other columns stay untouched) and inserts the rows A lacks.
        const others = columnList.split(',').filter((c) => !keyColumns.includes(c));
        let changed: string[] = [];
        if (counts[`${t}+`]! > 0 && others.length > 0) {
          const differs = db
            .prepare(`SELECT ${others.map((c) => `max(u.${c} IS NOT o.${c})`).join(', ')} FROM d.${t}__upsert AS u JOIN old.${t} AS o ON ${keyColumns.map((k) => `o.${k} = u.${k}`).join(' AND ')}`)
            .raw(true)
            .get() as (number | null)[];
          changed = others.filter((_, i) => differs[i] === 1);
        }
        meta.run(`changed:${t}`, changed.join(','));
      }
    })();
  } finally {
    db.close();
  }
  renameSync(tmp, o.deltaFile);
  return counts;
}

/**
 * Builds snapshot `to` from a base file and a delta into `outFile`, which is written only if the delta proves to fit
 * the base (see the top of this file): a format-2 delta by the base's rows where it changes them, checked before any
 * write; a format-1 delta (or `fullProof`) by integrity check and content digest of the result. The result stays
 * encrypted with the base's key (re-encrypting would rewrite every page for nothing: the key never leaves the user's
 * workspace); the caller records that key for the new snapshot.
 *
 * The base is copied, unless `consumeBase`: then the base file itself is renamed and changed in place (no second copy
 * of a snapshot of a gigabyte). The caller must have made sure nothing names that file any more; it is gone afterwards,
 * whether the delta fitted or not. Either way the work happens in `<outFile>.assembling`, a scratch file nothing names,
 * so it is changed with its rollback journal in memory only: a crash leaves a scratch file to throw away, never a named
 * one damaged.
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
  consumeBase?: boolean;
  /** Prove the result by integrity check and content digest whatever the delta's format (the platform, at publish). */
  fullProof?: boolean;
  /** Rows of a delta table per transaction (default ROWS_PER_TRANSACTION; tests make it small). */
  rowsPerTransaction?: number;
}): { proof: 'touched-rows' | 'content-digest' } {
  const perTransaction = o.rowsPerTransaction ?? ROWS_PER_TRANSACTION;
  const tmp = `${o.outFile}.assembling`;
  rmSync(tmp, { force: true });
  // A journal file left by a crash of an older version (which journalled to disk) would be "rolled back" into the new file.
  rmSync(`${tmp}-journal`, { force: true });
  if (o.consumeBase) renameSync(o.baseFile, tmp);
  else copyFileSync(o.baseFile, tmp);
  let db: Db | null = null;
  try {
    // The rollback journal in memory: no journal file (a disk journal encrypted and wrote every changed page twice),
    // while a failing statement still rolls back cleanly, which journal_mode = OFF leaves undefined. The scratch file
    // is thrown away on any failure anyway; the exclusive lock keeps the decrypted pages cached from one transaction
    // to the next.
    db = openEncrypted(tmp, o.baseKey, { journal: 'memory' });
    db.pragma('locking_mode = EXCLUSIVE');
    // Deleted rows are not left behind in free pages; the installed snapshot keeps none, as before.
    db.pragma('secure_delete = ON');
    db.exec(`ATTACH DATABASE '${o.deltaFile.replaceAll("'", "''")}' AS d KEY "x'${hex(o.newKey)}'"`);
    const meta = Object.fromEntries((db.prepare('SELECT key, value FROM d.delta_meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    if (meta.from !== o.baseId || meta.to !== o.newId) {
      throw new DeltaMismatchError(`the delta goes from ${meta.from} to ${meta.to}, not from ${o.baseId} to ${o.newId}`);
    }
    const format = meta.format ?? '1';
    if (format !== '1' && format !== '2') throw new DeltaMismatchError(`delta format ${format} is not one this app reads (1 or 2): update the app`);
    const work = db;
    const tables = [...layout(work, 'main').keys()];
    // The delta must carry exactly the base's tables: one made for another layout cannot give the published content.
    const carried = new Set(
      (work.prepare(`SELECT name FROM d.sqlite_master WHERE type = 'table'`).all() as { name: string }[]).filter((r) => r.name.endsWith('__upsert')).map((r) => r.name.slice(0, -'__upsert'.length)),
    );
    if (carried.size !== tables.length || tables.some((t) => !carried.has(t))) throw new DeltaMismatchError('the delta is for snapshots with other tables (another schema version) than the base');
    const keys = new Map(tables.map((t) => [t, primaryKey(work, 'main', t)]));
    if (format === '2') {
      for (const t of tables) {
        if (touchedRowsDigest(work, 'main', t, keys.get(t)!) !== meta[`before:${t}`]) {
          throw new DeltaMismatchError(
            `the assembled snapshot does not match the published content digest: the base holds other ${t} rows than ${o.baseId} where the delta changes them (wrong base or damaged base)`,
          );
        }
      }
    }
    // Each step runs over at most `perTransaction` rows of the delta at a time, in a transaction of its own: the
    // memory journal holds the original of every page one transaction changes, never the whole file's worth. A failure
    // between two of them leaves a half-changed scratch file, thrown away below like any other failure.
    const inChunks = (table: string, run: (from: number, to: number) => void) => {
      const { lo, hi } = work.prepare(`SELECT min(rowid) AS lo, max(rowid) AS hi FROM d.${table}`).get() as { lo: number | null; hi: number | null };
      if (lo === null || hi === null) return;
      const step = work.transaction(run);
      for (let from = lo; from <= hi; from += perTransaction) step(from, from + perTransaction - 1);
    };
    const range = 'rowid BETWEEN ? AND ?';
    for (const t of tables) {
      const keyColumns = keys.get(t)!;
      const pk = keyColumns.join(', ');
      // Deleted one key at a time, each a search of the primary key: `(a, b) IN (SELECT a, b …)` on a composite key
      // makes SQLite search every combination of the listed values of each column.
      const deleteOne = work.prepare(`DELETE FROM main.${t} WHERE ${keyColumns.map((k) => `${k} = ?`).join(' AND ')}`);
      const deleteKeysOf = (table: string) => {
        const keysIn = work.prepare(`SELECT ${pk} FROM d.${table} WHERE ${range}`).raw(true);
        inChunks(table, (from, to) => {
          for (const key of keysIn.all(from, to) as unknown[][]) deleteOne.run(...key);
        });
      };
      const statement = (table: string, sql: string) => {
        const s = work.prepare(sql);
        inChunks(table, (from, to) => s.run(from, to));
      };
      deleteKeysOf(`${t}__delete`);
      const changed = meta[`changed:${t}`];
      if (format === '2' && changed !== undefined) {
        // Rows the base holds change in the named columns only; the others are new.
        const same = keyColumns.map((k) => `m.${k} = u.${k}`).join(' AND ');
        if (changed !== '') {
          statement(
            `${t}__upsert`,
            `UPDATE main.${t} AS m SET (${changed}) = (${changed.split(',').map((c) => `u.${c}`).join(', ')}) FROM (SELECT * FROM d.${t}__upsert WHERE ${range}) AS u WHERE ${same}`,
          );
        }
        statement(`${t}__upsert`, `INSERT INTO main.${t} SELECT * FROM d.${t}__upsert AS u WHERE u.${range} AND NOT EXISTS (SELECT 1 FROM main.${t} AS m WHERE ${same})`);
      } else {
        deleteKeysOf(`${t}__upsert`);
        statement(`${t}__upsert`, `INSERT INTO main.${t} SELECT * FROM d.${t}__upsert WHERE ${range}`);
      }
    }
    db.exec('DETACH DATABASE d');
    const proof = format === '1' || o.fullProof ? 'content-digest' : 'touched-rows';
    if (proof === 'content-digest') {
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new DeltaMismatchError(`the assembled snapshot fails its integrity check: ${String(integrity)}`);
      if (snapshotContentDigest(db) !== o.expectedDigest) {
        throw new DeltaMismatchError('the assembled snapshot does not match the published content digest (wrong base or damaged delta)');
      }
    }
    db.close();
    db = null;
    renameSync(tmp, o.outFile);
    return { proof };
  } finally {
    if (db?.open) db.close();
    rmSync(tmp, { force: true });
  }
}
