/**
 * Writes a snapshot: tables with their indexes, then statistics and `meta`. Rows are streamed in and committed in batches, so a
 * 3-million-person district loads with flat memory. A file snapshot is written beside its final name and only put in
 * place when complete (copied packed, then renamed: see pack): a crash leaves either no snapshot or a whole one.
 */
import { chmodSync, renameSync, rmSync } from 'node:fs';
import type { AnyRow } from '../../domain/exchange/rows.js';
import { openEncrypted, openMemory, type Db } from '../sqlcipher.js';
import { feedFreshness } from './quality-queries.js';
import { runOnSnapshotThreads, unitsByPrelude, type SnapshotJob } from '../snapshot-threads/thread-pool.js';
import { packDerivedResult, writePackedResults, type PackedResult } from './derived-results.js';
import { SnapshotDb, type DerivedResult, type RuleRow, type RuleStatement } from './snapshot-db.js';
import { SNAPSHOT_SCHEMA_VERSION, snapshotColumns, snapshotLayout, snapshotTables } from './schema.js';

/**
 * Rows per transaction. The scratch file has no journal, so a commit buys no safety (a failed build is discarded
 * whole); each one only writes and encrypts the pages touched since the last, some of them again. Large transactions
 * write each page about once; the page cache still bounds memory (SQLite spills dirty pages when it fills).
 */
const BATCH = 1_000_000;

export interface FinishOptions {
  /**
   * The rules without parameters, run once over the finished snapshot and stored in it (derived-results.ts); the caller
   * names them (the store knows no rules: rules/index.ts DERIVED_RULES). Only for schema v2 and later.
   */
  derive?: readonly { ruleId: string; statement: RuleStatement; parameters?: Record<string, unknown> }[];
  /** Given the derived rows per rule (a build's quality report is made of the Q-rules' rows) and how long it took. */
  onDerived?: (results: DerivedResult[], ms: number) => void;
  /**
   * finishOnThreads: the rules whose rows onDerived is handed (absent: every rule's). The others' rows are packed for
   * storing as each rule finishes and let go, so the build never holds every rule's rows at once.
   */
  keepRowsOf?: readonly string[];
}

export interface SnapshotMetaInput {
  snapshotId: string;
  asOf: string;
  jurisdiction: readonly string[];
  createdAt: string;
  baseSnapshotId?: string | null;
  /**
   * v2 `meta.feeds`: the tables delivered (a build names the feed files it found). Absent: every table was delivered
   * (the generator's district). Each gets its newest date or period.
   */
  delivered?: readonly string[];
  /** The newest dates when already read from this snapshot (feedFreshness, the build's report): not read again. */
  freshness?: Readonly<Record<string, string | null>>;
}

export interface SnapshotWriterOptions {
  /** The layout to write: the current schema, or 1 for an old platform's snapshot (tests of compatibility). */
  schemaVersion?: number;
}

type Statement = ReturnType<Db['prepare']>;

export class SnapshotWriter {
  /** Per table: the insert and the columns it binds, in order. */
  private readonly inserts = new Map<string, { statement: Statement; columns: string[] }>();
  private pending = 0;
  private finished = false;
  private loaded = false;
  private readonly schemaVersion: number;

  private constructor(
    private readonly db: Db,
    private readonly tmpFile: string | null,
    private readonly finalFile: string | null,
    options: SnapshotWriterOptions,
    /** The scratch file's key, for the threads that derive rules over it (finishOnThreads). */
    private readonly key: Uint8Array | null = null,
  ) {
    this.schemaVersion = options.schemaVersion ?? SNAPSHOT_SCHEMA_VERSION;
    // The indexes come with the tables and grow with the load. Built after it, each would be one sort, but SQLite sorts
    // in memory when temporary files must stay in memory (sqlcipher.ts: no plaintext on disk), so the build's peak
    // memory grew with the largest index (payment_by_person: +51 MiB from 200,000 to 400,000 dense persons). Kept up
    // row by row, memory is the page cache's, whatever the size, for 4 % more CPU; the pages left part-full where a
    // person's rows land in the middle of an index are packed when the file is finished (pack).
    db.exec(snapshotLayout(this.schemaVersion).ddl);
    db.exec(snapshotLayout(this.schemaVersion).indexes);
    for (const table of snapshotTables(db)) {
      const columns = snapshotColumns(db, table);
      this.inserts.set(table, { statement: db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`), columns });
    }
    db.exec('BEGIN');
  }

  /** A snapshot file encrypted with `key`, built in `<file>.building` and renamed when finished. */
  static toFile(file: string, key: Uint8Array, options: SnapshotWriterOptions = {}): SnapshotWriter {
    const tmp = `${file}.building`;
    rmSync(tmp, { force: true });
    const db = openEncrypted(tmp, key, { create: true, journal: 'off' });
    return new SnapshotWriter(db, tmp, file, options, key);
  }

  /** An in-memory snapshot (the embedded demo district); the writer hands back the open database. */
  static inMemory(options: SnapshotWriterOptions = {}): SnapshotWriter {
    return new SnapshotWriter(openMemory(), null, null, options);
  }

  write(item: AnyRow): void {
    if (this.tryWrite(item) === 'duplicate') throw new Error(`duplicate key in ${item.table}`);
  }

  /** Like write, but a row whose primary key is already present is refused instead of failing the load. */
  tryWrite(item: AnyRow): 'ok' | 'duplicate' {
    const columns = this.columnsOf(item.table);
    // A v1 layout has no v2 tables: their rows are not part of what an old platform published.
    if (!columns) return 'ok';
    const row = item.row as unknown as Record<string, unknown>;
    // By position, a missing property as NULL: v2's columns are optional on rows made for v1 tables.
    return this.tryWriteValues(item.table, columns.map((c) => row[c] ?? null));
  }

  /** The columns of `table` in the order tryWriteValues takes them; null when this layout has no such table. */
  columnsOf(table: string): readonly string[] | null {
    return this.inserts.get(table)?.columns ?? null;
  }

  /**
   * tryWrite with the values already in columnsOf(table)'s order (the platform build makes them so, without a row
   * object per row). A table this layout lacks is skipped, as in tryWrite.
   */
  tryWriteValues(table: string, values: unknown[]): 'ok' | 'duplicate' {
    if (this.loaded) throw new Error('the load has ended: no row is added after endLoad');
    const insert = this.inserts.get(table);
    if (!insert) return 'ok';
    try {
      insert.statement.run(values);
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

  /** Ends the load: the rows are committed, checks over them (the build's quality report) may run; no row is added after. */
  endLoad(): Db {
    if (this.loaded) return this.db;
    this.db.exec('COMMIT');
    this.loaded = true;
    return this.db;
  }

  /** Statistics, meta and the derived rule results; then the file is closed and moved into place (or the memory db returned). */
  finish(meta: SnapshotMetaInput, options: FinishOptions = {}): Db | null {
    if (this.writeMeta(meta) && options.derive?.length) {
      const started = performance.now();
      const derived = SnapshotDb.fromDatabase(this.db, 'synced').deriveResults(options.derive);
      options.onDerived?.(derived, Math.round(performance.now() - started));
    }
    return this.complete();
  }

  /**
   * finish, with the rules to derive run on the two snapshot threads over the scratch file (store/snapshot-threads/),
   * as a workstation's run spreads them: the rules sharing the household judgement on one thread, the others on
   * whichever is free. The platform build's way: on one thread, deriving every rule at the policy defaults added about
   * 17 s to a 1,168,439-person build. (An in-memory snapshot derives on this thread, as finish does.)
   */
  async finishOnThreads(meta: SnapshotMetaInput, options: FinishOptions = {}): Promise<Db | null> {
    if (!this.tmpFile || !this.key) return this.finish(meta, options);
    if (this.writeMeta(meta) && options.derive?.length) {
      const started = performance.now();
      // What the rules' preludes read that depends on D alone, stored first (the threads below read it).
      SnapshotDb.fromDatabase(this.db, 'synced').deriveBases(options.derive.map((r) => r.statement));
      // Three page caches would be alive at once (this connection's, full of the load's pages, and each thread's): the
      // build's peak went from 451 to 878 MiB at 233,677 sparse persons. This connection waits meanwhile, so its cache
      // is given back, and the threads keep DERIVE_CACHE_MIB each (64 MiB: 683 MiB at its peak, derivation 4 % slower than with 128 MiB and 795 MiB; 32 MiB: 614 MiB, 9 % slower).
      this.db.pragma('shrink_memory');
      const keep = options.keepRowsOf ? new Set(options.keepRowsOf) : null;
      const { packed, kept } = await deriveOnThreads({ file: this.tmpFile, key: this.key }, options.derive, (ruleId) => !keep || keep.has(ruleId));
      writePackedResults(this.db, packed);
      options.onDerived?.(kept, Math.round(performance.now() - started));
    }
    return this.complete();
  }

  /** Ends the load, writes meta and the statistics; true when this layout stores derived results (v2 and later). */
  private writeMeta(meta: SnapshotMetaInput): boolean {
    this.endLoad();
    const put = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    // v2: what was delivered, with its newest date (exchange-schema.md: an absent table is not an empty one).
    const feeds = this.schemaVersion >= 2 ? JSON.stringify(feedFreshness(this.db, meta.asOf, meta.delivered ?? snapshotTables(this.db), meta.freshness)) : null;
    this.db.transaction(() => {
      put.run('snapshot_id', meta.snapshotId);
      put.run('as_of', meta.asOf);
      put.run('jurisdiction', meta.jurisdiction.join(','));
      put.run('created_at', meta.createdAt);
      put.run('schema_version', String(this.schemaVersion));
      if (meta.baseSnapshotId) put.run('base_snapshot_id', meta.baseSnapshotId);
      if (feeds) put.run('feeds', feeds);
    })();
    // Before the derived rules, so their statements are planned as a workstation plans them.
    this.db.exec('ANALYZE');
    return this.schemaVersion >= 2;
  }

  /** The file packed and moved into place; or the in-memory database handed back. */
  private complete(): Db | null {
    if (!this.tmpFile || !this.finalFile) {
      this.finished = true;
      return this.db;
    }
    this.pack(this.tmpFile, this.finalFile);
    this.finished = true;
    return null;
  }

  /**
   * The finished scratch file is copied, packed, to `<file>.packing` and that copy renamed into place (issue 16:
   * snapshot ≤ 1.0× its feeds). The load inserts rows in feed order, not key order, and the indexes are kept up row by
   * row (see the constructor), so B-tree pages split where rows land in their middle and stay 70–90 % full: 12 % of a
   * dense snapshot was free space inside pages. `VACUUM INTO` copies each table and index in key order onto pages it
   * fills (SQLite's transfer of a whole table), with the same key and cipher settings (SQLite3 Multiple Ciphers
   * encrypts the copy as its source), page by page: memory stays the page cache's, no temporary file is written, and
   * nothing in the copy differs but the page layout (same rows, statistics, meta and derived results; the content
   * digest is the same). Costs one more read and write of the file: 6–11 % more CPU for the build (docs/performance.md).
   */
  private pack(scratch: string, file: string): void {
    const packing = `${file}.packing`;
    rmSync(packing, { force: true });
    try {
      // VACUUM INTO gives the copy a page cache as large as its source's (256 MiB, sqlcipher.ts), on top of the load's
      // pages still cached: the build's peak went from 311 to 442 MiB at 60,000 dense persons. The copy reads and
      // writes each page once, in key order, so a small cache is enough: 303 MiB, and no slower (12.3 → 12.1 CPU s).
      this.db.pragma('cache_size = -16384');
      this.db.prepare('VACUUM INTO ?').run(packing);
      // VACUUM INTO creates the file with the process's umask; a snapshot is its owner's only (sqlcipher.ts).
      chmodSync(packing, 0o600);
      this.db.close();
      renameSync(packing, file);
      rmSync(scratch, { force: true });
    } catch (error) {
      rmSync(packing, { force: true });
      throw error;
    }
  }

  /** Gives up: the partial file is removed. */
  abort(): void {
    if (this.finished) return;
    if (this.db.open) this.db.close();
    if (this.tmpFile) rmSync(this.tmpFile, { force: true });
  }
}

/** Each deriving thread's page cache: a quarter of a workstation thread's, so the build's peak stays near the load's. */
const DERIVE_CACHE_MIB = 64;

/**
 * Runs each rule's statement, bound to its values, over the whole snapshot file on the two snapshot threads: the rules
 * sharing a prelude as one unit (one thread builds it once), longest first, then the others one by one. Each rule's
 * rows are packed for storing as they come; the rows of the rules `keep` names are also handed back. Both in the order
 * given.
 */
async function deriveOnThreads(
  location: { file: string; key: Uint8Array },
  rules: NonNullable<FinishOptions['derive']>,
  keep: (ruleId: string) => boolean,
): Promise<{ packed: PackedResult[]; kept: DerivedResult[] }> {
  const byId = new Map(rules.map((r) => [r.ruleId, r]));
  const packed = new Map<string, PackedResult>();
  const kept = new Map<string, RuleRow[]>();
  const jobs = rules.map((r): SnapshotJob => ({ id: r.ruleId, statement: r.statement, passes: [{ parameters: r.parameters ?? {}, scope: null }] }));
  await runOnSnapshotThreads(location, unitsByPrelude(jobs), {
    cacheMiB: DERIVE_CACHE_MIB,
    retain: false,
    onResult: (id, result) => {
      const rows = result.rows[0] as RuleRow[];
      packed.set(id, packDerivedResult({ ...byId.get(id)!, rows }));
      if (keep(id)) kept.set(id, rows);
    },
  });
  return { packed: rules.map((r) => packed.get(r.ruleId)!), kept: rules.filter((r) => keep(r.ruleId)).map((r) => ({ ...r, rows: kept.get(r.ruleId)! })) };
}
