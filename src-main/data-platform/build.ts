/**
 * `npm run platform -- build`: a folder of department feeds, or the same tables in the platform's database (a
 * FeedSource) → one encrypted snapshot + a quality report.
 *
 * Each file is read as untrusted input (feed-reader.ts), each cell repaired or refused (domain/exchange/cleanse.ts),
 * each refused row listed with file, line, column and reason; nothing is silently dropped or turned into someone
 * else. A file that breaks a limit or lacks a required column fails the whole build, and nothing is written: the
 * snapshot is assembled beside its final name and only renamed into place when complete.
 */
import type { Repair } from '../domain/exchange/cleanse.js';
import { FEED_TABLES, type FeedTable } from '../domain/exchange/feed-schema.js';
import { DERIVED_RULES, QUALITY_RULES } from '../rules/index.js';
import { feedFreshness, type QualityFinding } from '../store/snapshot/quality-queries.js';
import type { DerivedResult } from '../store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../store/snapshot/snapshot-writer.js';
import { openDatabaseFeedSource } from '../store/feed-database/database-feed-source.js';
import { DEFAULT_LIMITS, type FeedLimits } from '../platform/feed-reader.js';
import { folderFeedSource, type FeedSource } from '../platform/feed-source.js';
import { isoTime, systemClock, type Clock } from '../platform/clock.js';
import { BatchReader, type CleanBatch } from './feed-cleaning.js';
import { feedEvents, feedEventsOnWorker, type WorkerFeeds } from './feed-events.js';

export interface BuildOptions {
  /**
   * A folder of feed files; or the URL of the platform's database holding the feed tables (store/feed-database/),
   * both read on a worker thread; or any `source`, read on the build's own thread.
   */
  feedsDir?: string;
  database?: string;
  source?: FeedSource;
  outFile: string;
  key: Uint8Array;
  snapshotId: string;
  asOf: string;
  jurisdiction: string[];
  /** Dates the snapshot (default: the system's clock). */
  clock?: Clock;
  limits?: Partial<FeedLimits>;
  /** How many rejected rows the report lists one by one (all are counted). */
  maxListedRejections?: number;
  /**
   * A folder's files or a database's tables are read, parsed and cleaned on a worker thread beside the inserting one
   * (default); false reads them on this thread (the same events: feed-events.ts). A `source` is always read here.
   */
  readOnWorker?: boolean;
  /** Told how long running the rules whose rows the snapshot stores took, in milliseconds (the benchmarks). */
  onRulesDerived?: (ms: number) => void;
}

export interface RowRejection {
  file: string;
  line: number;
  column: string | null;
  check: string;
  reason: string;
}

export interface FileReport {
  file: string;
  table: string;
  rows: number;
  accepted: number;
  rejected: number;
  repairs: Partial<Record<Repair, number>>;
  ignoredHeaders: string[];
}

export interface QualityReport {
  snapshotId: string;
  asOf: string;
  files: FileReport[];
  rejections: RowRejection[];
  rejectionCount: number;
  /** Cross-table checks over the built snapshot, counted per rule with up to 100 examples each. */
  checks: Record<string, { count: number; examples: QualityFinding[] }>;
  /** Values kept but outside their dictionary (Q-DICT), per table.column. */
  dictionaryWarnings: Record<string, number>;
  freshness: Record<string, string | null>;
  missingTables: string[];
}

/** The Q-rules' rows among the derived results, counted per rule with up to 100 examples each. */
function addQualityChecks(report: QualityReport, results: readonly DerivedResult[]): void {
  const quality = new Set(QUALITY_RULES.map((r) => r.id));
  for (const { ruleId, rows } of results.filter((r) => quality.has(r.ruleId))) {
    for (const row of rows) {
      const c = (report.checks[ruleId] ??= { count: 0, examples: [] });
      c.count++;
      if (c.examples.length < 100) c.examples.push({ rule: ruleId, subject: row.subject_id, detail: row.facts ?? '' });
    }
  }
}

/** A batch's rows in order: the refused ones reported, the others inserted (or refused as duplicates). */
function insertBatch(writer: SnapshotWriter, spec: FeedTable, file: FileReport, batch: CleanBatch, reject: (r: RowRejection) => void): void {
  const rows = new BatchReader(batch, writer.columnsOf(spec.table)?.length ?? 0);
  while (rows.next()) {
    file.rows++;
    const refusal = rows.read();
    if (refusal) {
      file.rejected++;
      reject({ file: file.file, line: rows.line, column: refusal.column, check: refusal.check, reason: refusal.reason });
    } else if (writer.tryWriteValues(spec.table, rows.values) === 'duplicate') {
      file.rejected++;
      reject({ file: file.file, line: rows.line, column: spec.key.join(', '), check: 'duplicate', reason: `a row with the same ${spec.key.join(' + ')} came earlier` });
    } else {
      file.accepted++;
      for (const r of rows.repairs()) file.repairs[r] = (file.repairs[r] ?? 0) + 1;
    }
  }
}

export async function buildSnapshot(o: BuildOptions): Promise<QualityReport> {
  const limits = { ...DEFAULT_LIMITS, ...o.limits };
  const maxListed = o.maxListedRejections ?? 10_000;
  if (!o.source && o.database === undefined && o.feedsDir === undefined) throw new Error('buildSnapshot needs feedsDir, database or source');
  // A folder without feed files is refused before anything is written, whichever thread then reads it.
  const folder = !o.source && o.database === undefined ? folderFeedSource(o.feedsDir!) : null;
  const worker: WorkerFeeds | null = o.source || o.readOnWorker === false ? null : o.database !== undefined ? { database: o.database } : { folder: o.feedsDir! };
  const source = o.source ?? folder ?? (worker ? null : await openDatabaseFeedSource(o.database!));
  const writer = SnapshotWriter.toFile(o.outFile, o.key);
  const report: QualityReport = {
    snapshotId: o.snapshotId,
    asOf: o.asOf,
    files: [],
    rejections: [],
    rejectionCount: 0,
    checks: {},
    dictionaryWarnings: {},
    freshness: {},
    missingTables: [],
  };
  const reject = (r: RowRejection) => {
    report.rejectionCount++;
    if (report.rejections.length < maxListed) report.rejections.push(r);
  };
  try {
    const insertColumns = FEED_TABLES.map((spec) => writer.columnsOf(spec.table) ?? []);
    // The feeds are read, parsed and cleaned on a second thread while this one inserts (feed-events.ts).
    const events = worker ? feedEventsOnWorker(worker, limits, insertColumns) : feedEvents(source!, limits, insertColumns);
    let table: { spec: FeedTable; file: FileReport } | null = null;
    for await (const event of events) {
      if (event.type === 'missing') report.missingTables.push(FEED_TABLES[event.table]!.table);
      else if (event.type === 'table') {
        const spec = FEED_TABLES[event.table]!;
        table = { spec, file: { file: event.name, table: spec.table, rows: 0, accepted: 0, rejected: 0, repairs: {}, ignoredHeaders: event.ignoredHeaders } };
        report.files.push(table.file);
      } else if (event.type === 'batch') insertBatch(writer, table!.spec, table!.file, event.batch, reject);
      else for (const [key, n] of event.warnings) report.dictionaryWarnings[key] = (report.dictionaryWarnings[key] ?? 0) + n;
    }
    report.freshness = feedFreshness(writer.database, o.asOf);
    // meta.feeds names what was delivered: a missing file is an absent feed, not an empty one (exchange-schema.md v2).
    const delivered = report.files.map((f) => f.table);
    // Every rule runs once over the finished snapshot, at the policy defaults, on the two snapshot threads, and its rows
    // are stored in it; the cross-table checks of the quality report are the Q-rules' rows among them (the same SQL a
    // workstation runs).
    await writer.finishOnThreads(
      { snapshotId: o.snapshotId, asOf: o.asOf, jurisdiction: o.jurisdiction, createdAt: isoTime(o.clock ?? systemClock), delivered, freshness: report.freshness },
      {
        derive: DERIVED_RULES,
        keepRowsOf: QUALITY_RULES.map((r) => r.id),
        onDerived: (results, ms) => {
          addQualityChecks(report, results);
          o.onRulesDerived?.(ms);
        },
      },
    );
    return report;
  } catch (error) {
    writer.abort();
    throw error;
  } finally {
    await source?.close();
  }
}
