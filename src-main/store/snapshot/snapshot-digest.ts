/**
 * A digest of a snapshot's *content*: every row of every table, in primary-key order, hashed. Two files with the same
 * rows have the same digest even though their encrypted bytes differ (SQLCipher pages carry random IVs) — which is
 * how a snapshot assembled from a base plus a delta is checked against the platform's manifest. Only the tables the
 * snapshot has are hashed (with the rule results derived at build, derived-results.ts), so a v1 snapshot has the digest its
 * platform published.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Db } from '../sqlcipher.js';
import { snapshotContentTables } from './schema.js';

/** A table's primary-key columns, in key order (rows are hashed in that order). */
export function primaryKey(db: Db, schema: string, table: string): string[] {
  return (db.prepare(`PRAGMA ${schema}.table_info(${table})`).all() as { name: string; pk: number }[])
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
}

/**
 * Feeds rows into a hash. Values are text, numbers, NULL or (the derived results' chunks) blobs; typed markers keep
 * 'null', NULL, 1 and '1' apart, and a blob is hashed as its bytes in base64 (as text it would decode lossily, so two
 * different blobs could hash alike). Hashed in 256 KiB batches. The one serialisation of rows: the content digest and a delta's digests of the rows it changes
 * (snapshot-delta.ts) must agree on it.
 */
export function hashRows(hash: Hash, rows: Iterable<unknown[]>): Hash {
  let batch = '';
  for (const row of rows) {
    for (const v of row)
      batch += v === null ? '\u0001N' : typeof v === 'number' ? `\u0001#${v}` : v instanceof Uint8Array ? `\u0001X${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}` : `\u0001'${String(v)}`;
    batch += '\n';
    if (batch.length > 262_144) {
      hash.update(batch);
      batch = '';
    }
  }
  return hash.update(batch);
}

export function snapshotContentDigest(db: Db, tables: readonly string[] = ['meta', ...snapshotContentTables(db)]): string {
  const hash = createHash('sha256');
  for (const table of tables) {
    hash.update(`\u0000${table}\u0000`);
    hashRows(hash, db.prepare(`SELECT * FROM main.${table} ORDER BY ${primaryKey(db, 'main', table).join(', ')}`).raw(true).iterate() as Iterable<unknown[]>);
  }
  return hash.digest('hex');
}
