/**
 * `npm run platform -- build`: a folder of department feeds, or the same tables in the platform's database (a
 * FeedSource) → one encrypted snapshot + a quality report.
 *
 * Each file is read as untrusted input (feed-reader.ts), each cell repaired or refused (domain/exchange/cleanse.ts),
 * each refused row listed with file, line, column and reason; nothing is silently dropped or turned into someone
 * else. A file that breaks a limit or lacks a required column fails the whole build, and nothing is written: the
 * snapshot is assembled beside its final name and only renamed into place when complete.
 */
import { cleanCell, type Repair } from '../domain/exchange/cleanse.js';
import { FEED_TABLES, snapshotColumnOf } from '../domain/exchange/feed-schema.js';
import type { AnyRow } from '../domain/exchange/rows.js';
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
      for await (const { line, cells, malformed } of feed.rows) {
        fileReport.rows++;
        if (malformed) {
          fileReport.rejected++;
          reject({ file: name, line, column: null, check: 'format', reason: malformed });
          continue;
        }
        const row: Record<string, unknown> = {};
        let refused: RowRejection | null = null;
        const repairs: Repair[] = [];
        for (const [column, position] of feed.positions) {
          const cleaned = cleanCell(column, position >= 0 ? cells[position] : null);
          if (!cleaned.ok) {
            refused = { file: name, line, column: column.label ? `${column.key} (${column.label})` : column.key, check: cleaned.check, reason: cleaned.reason };
            break;
          }
          if (cleaned.warning) {
            const k = `${spec.table}.${column.key}`;
            report.dictionaryWarnings[k] = (report.dictionaryWarnings[k] ?? 0) + 1;
          }
          repairs.push(...cleaned.repairs);
          row[snapshotColumnOf(column)] = cleaned.value;
        }
        if (refused) {
          fileReport.rejected++;
          reject(refused);
          continue;
        }
        if (writer.tryWrite({ table: spec.table, row } as unknown as AnyRow) === 'duplicate') {
          fileReport.rejected++;
          reject({ file: name, line, column: spec.key.join(', '), check: 'duplicate', reason: `a row with the same ${spec.key.join(' + ')} came earlier` });
          continue;
        }
        fileReport.accepted++;
        for (const r of repairs) fileReport.repairs[r] = (fileReport.repairs[r] ?? 0) + 1;
      }
    }
    report.freshness = feedFreshness(writer.database);
    // meta.feeds names what was delivered: a missing file is an absent feed, not an empty one (exchange-schema.md v2).
    const delivered = report.files.map((f) => f.table);
    // The rules without parameters run once over the finished snapshot and are stored in it; the cross-table checks of
    // the quality report are the Q-rules' rows among them (the same SQL a workstation runs).
    writer.finish(
      { snapshotId: o.snapshotId, asOf: o.asOf, jurisdiction: o.jurisdiction, createdAt: isoTime(o.clock ?? systemClock), delivered },
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
