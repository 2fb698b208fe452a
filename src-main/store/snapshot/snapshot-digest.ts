/**
 * A digest of a snapshot's *content*: every row of every table, in primary-key order, hashed. Two files with the same
 * rows have the same digest even though their encrypted bytes differ (SQLCipher pages carry random IVs) — which is
 * how a snapshot assembled from a base plus a delta is checked against the platform's manifest.
 */
import { createHash } from 'node:crypto';
import { TABLE_NAMES } from '../../domain/exchange/rows.js';
import type { Db } from '../sqlcipher.js';

export function snapshotContentDigest(db: Db, tables: readonly string[] = ['meta', ...TABLE_NAMES]): string {
  const hash = createHash('sha256');
  for (const table of tables) {
    const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; pk: number }[];
    const key = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    hash.update(`\u0000${table}\u0000`);
    const rows = db.prepare(`SELECT * FROM ${table} ORDER BY ${key.join(', ')}`).raw(true).iterate() as Iterable<unknown[]>;
    for (const row of rows) hash.update(JSON.stringify(row) + '\n');
  }
  return hash.digest('hex');
}
