/**
 * `npm run platform -- build`: a folder of department feeds, or the same tables in the platform's database (a
 * FeedSource) → one encrypted snapshot + a quality report.
 *
 * Each file is read as untrusted input (feed-reader.ts), each cell repaired or refused (domain/exchange/cleanse.ts),
 * each refused row listed with file, line, column and reason; nothing is silently dropped or turned into someone
 * else. A file that breaks a limit or lacks a required column fails the whole build, and nothing is written: the
 * snapshot is assembled beside its final name and only renamed into place when complete.
 */
import { cleanCell, type Cleaned, type RawCell, type Repair } from '../domain/exchange/cleanse.js';
import { FEED_TABLES, snapshotColumnOf, type FeedColumn } from '../domain/exchange/feed-schema.js';
import { DERIVED_RULES, QUALITY_RULES } from '../rules/index.js';
import { feedFreshness, type QualityFinding } from '../store/snapshot/quality-queries.js';
import type { DerivedResult } from '../store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../store/snapshot/snapshot-writer.js';
import { DEFAULT_LIMITS, type FeedLimits } from '../platform/feed-reader.js';
import { folderFeedSource, type FeedSource } from '../platform/feed-source.js';
import { isoTime, systemClock, type Clock } from '../platform/clock.js';

export interface BuildOptions {
  /** A folder of feed files; or `source`, e.g. a database's tables (store/feed-database/). */
  feedsDir?: string;
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

/** One column of a feed as the build cleans it: where its cell is, where its value goes, and its last result. */
interface CleaningStep {
  column: FeedColumn;
  /** The cell's position in the file's rows (-1: the file lacks the column). */
  position: number;
  /** The value's position in the snapshot insert (-1: this layout lacks the column). */
  slot: number;
  /** How a rejection names the column. */
  shown: string;
  warningKey: string;
  lastRaw: RawCell;
  lastCleaned: Cleaned | null;
}

function cleaningPlan(table: string, positions: ReadonlyMap<FeedColumn, number>, snapshotColumns: readonly string[]): CleaningStep[] {
  return [...positions].map(([column, position]) => ({
    column,
    position,
    slot: snapshotColumns.indexOf(snapshotColumnOf(column)),
    shown: column.label ? `${column.key} (${column.label})` : column.key,
    warningKey: `${table}.${column.key}`,
    lastRaw: undefined,
    lastCleaned: null,
  }));
}

export async function buildSnapshot(o: BuildOptions): Promise<QualityReport> {
  const limits = { ...DEFAULT_LIMITS, ...o.limits };
  const maxListed = o.maxListedRejections ?? 10_000;
  if (!o.source && o.feedsDir === undefined) throw new Error('buildSnapshot needs feedsDir or source');
  const source = o.source ?? folderFeedSource(o.feedsDir!);
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
    for (const spec of FEED_TABLES) {
      const opened = await source.open(spec, limits);
      if (!opened) {
        report.missingTables.push(spec.table);
        continue;
      }
      const { name, feed } = opened;
      const fileReport: FileReport = { file: name, table: spec.table, rows: 0, accepted: 0, rejected: 0, repairs: {}, ignoredHeaders: feed.ignoredHeaders };
      report.files.push(fileReport);
      const plan = cleaningPlan(spec.table, feed.positions, writer.columnsOf(spec.table) ?? []);
      const width = writer.columnsOf(spec.table)?.length ?? 0;
      const repairs: Repair[] = [];
      for await (const batch of feed.batches) {
        for (const { line, cells, malformed } of batch) {
          fileReport.rows++;
          if (malformed) {
            fileReport.rejected++;
            reject({ file: name, line, column: null, check: 'format', reason: malformed });
            continue;
          }
          const values: unknown[] = new Array(width).fill(null);
          let refused: RowRejection | null = null;
          repairs.length = 0;
          for (const step of plan) {
            const raw = step.position >= 0 ? cells[step.position] : null;
            // cleanCell is pure, and feeds repeat a cell down a column (a person's 24 income lines): the last result
            // of each column is reused for the same raw value.
            const cleaned = raw === step.lastRaw && step.lastCleaned ? step.lastCleaned : cleanCell(step.column, raw);
            step.lastRaw = raw;
            step.lastCleaned = cleaned;
            if (!cleaned.ok) {
              refused = { file: name, line, column: step.shown, check: cleaned.check, reason: cleaned.reason };
              break;
            }
            if (cleaned.warning) report.dictionaryWarnings[step.warningKey] = (report.dictionaryWarnings[step.warningKey] ?? 0) + 1;
            for (const r of cleaned.repairs) repairs.push(r);
            if (step.slot >= 0) values[step.slot] = cleaned.value;
          }
          if (refused) {
            fileReport.rejected++;
            reject(refused);
            continue;
          }
          if (writer.tryWriteValues(spec.table, values) === 'duplicate') {
            fileReport.rejected++;
            reject({ file: name, line, column: spec.key.join(', '), check: 'duplicate', reason: `a row with the same ${spec.key.join(' + ')} came earlier` });
            continue;
          }
          fileReport.accepted++;
          for (const r of repairs) fileReport.repairs[r] = (fileReport.repairs[r] ?? 0) + 1;
        }
      }
    }
    report.freshness = feedFreshness(writer.database);
    // meta.feeds names what was delivered: a missing file is an absent feed, not an empty one (exchange-schema.md v2).
    const delivered = report.files.map((f) => f.table);
    // The rules without parameters run once over the finished snapshot and are stored in it; the cross-table checks of
    // the quality report are the Q-rules' rows among them (the same SQL a workstation runs).
    writer.finish(
      { snapshotId: o.snapshotId, asOf: o.asOf, jurisdiction: o.jurisdiction, createdAt: isoTime(o.clock ?? systemClock), delivered, freshness: report.freshness },
      { derive: DERIVED_RULES, onDerived: (results) => addQualityChecks(report, results) },
    );
    return report;
  } catch (error) {
    writer.abort();
    throw error;
  } finally {
    await source.close();
  }
}
