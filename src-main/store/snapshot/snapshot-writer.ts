/**
 * Writes a snapshot: tables, then indexes, then `meta`. Rows are streamed in and committed in batches, so a
 * 3-million-person district loads with flat memory. A file snapshot is written beside its final name and renamed
 * into place only when complete: a crash leaves either no snapshot or a whole one.
 */
import { renameSync, rmSync } from 'node:fs';
import type { AnyRow, TableName } from '../../domain/exchange/rows.js';
import { TABLE_NAMES } from '../../domain/exchange/rows.js';
import { openEncrypted, openMemory, type Db } from '../sqlcipher.js';
import { SNAPSHOT_INDEXES, SNAPSHOT_SCHEMA_VERSION, SNAPSHOT_TABLES_DDL } from './schema.js';

const BATCH = 20_000;

export interface SnapshotMetaInput {
  snapshotId: string;
  asOf: string;
  jurisdiction: readonly string[];
  createdAt: string;
  baseSnapshotId?: string | null;
}

type Statement = ReturnType<Db['prepare']>;

export class SnapshotWriter {
  private readonly inserts = new Map<TableName, Statement>();
  private pending = 0;
  private finished = false;

  private constructor(
    private readonly db: Db,
    private readonly tmpFile: string | null,
    private readonly finalFile: string | null,
  ) {
    db.exec(SNAPSHOT_TABLES_DDL);
    for (const table of TABLE_NAMES) {
      const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      this.inserts.set(table, db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`));
    }
    db.exec('BEGIN');
  }

  /** A snapshot file encrypted with `key`, built in `<file>.building` and renamed when finished. */
  static toFile(file: string, key: Uint8Array): SnapshotWriter {
    const tmp = `${file}.building`;
    rmSync(tmp, { force: true });
    const db = openEncrypted(tmp, key, { create: true, journal: 'off' });
    return new SnapshotWriter(db, tmp, file);
  }

  /** An in-memory snapshot (the embedded demo district); the writer hands back the open database. */
  static inMemory(): SnapshotWriter {
    return new SnapshotWriter(openMemory(), null, null);
  }

  write(item: AnyRow): void {
    if (this.tryWrite(item) === 'duplicate') throw new Error(`duplicate key in ${item.table}`);
  }

  /** Like write, but a row whose primary key is already present is refused instead of failing the load. */
  tryWrite(item: AnyRow): 'ok' | 'duplicate' {
    try {
      this.inserts.get(item.table)!.run(item.row);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'duplicate';
      throw error;
    }
    if (++this.pending >= BATCH) {
      this.db.exec('COMMIT; BEGIN');
      this.pending = 0;
    }
    return 'ok';
  }

  /** The database being written, for checks that run before `finish` (the data-quality report). */
  get database(): Db {
    return this.db;
  }

  /** Indexes, statistics and meta; then the file is closed and moved into place (or the memory db returned). */
  finish(meta: SnapshotMetaInput): Db | null {
    this.db.exec('COMMIT');
    this.db.exec(SNAPSHOT_INDEXES);
    const put = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    this.db.transaction(() => {
      put.run('snapshot_id', meta.snapshotId);
      put.run('as_of', meta.asOf);
      put.run('jurisdiction', meta.jurisdiction.join(','));
      put.run('created_at', meta.createdAt);
      put.run('schema_version', String(SNAPSHOT_SCHEMA_VERSION));
      if (meta.baseSnapshotId) put.run('base_snapshot_id', meta.baseSnapshotId);
    })();
    this.db.exec('ANALYZE');
    this.finished = true;
    if (!this.tmpFile || !this.finalFile) return this.db;
    this.db.close();
    renameSync(this.tmpFile, this.finalFile);
    return null;
  }

  /** Gives up: the partial file is removed. */
  abort(): void {
    if (this.finished) return;
    if (this.db.open) this.db.close();
    if (this.tmpFile) rmSync(this.tmpFile, { force: true });
  }
}
