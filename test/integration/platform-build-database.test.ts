/**
 * `platform build --from postgresql://…` (issue 18, Deliver 5): a generated district's feeds loaded into a throwaway
 * PostgreSQL database build into the very snapshot the same feeds build into from CSV — every table, row by row (the
 * content digest) — with the same quality report (rows, repairs, refusals with their lines and reasons, checks). Clean
 * feeds are loaded into typed columns (date, numeric, integer), dirty ones into text columns under their Chinese
 * headers, as a 中台 might keep them. Part of `npm run test:pg`; skipped outside CI without PostgreSQL.
 */
import { parse } from 'csv-parse/sync';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot, type QualityReport } from '../../src-main/data-platform/build.js';
import { FeedWriter } from '../../src-main/data-platform/feed-writer.js';
import { FEED_TABLE_BY_NAME, type FeedColumn } from '../../src-main/domain/exchange/feed-schema.js';
import { TABLE_NAMES, type TableName } from '../../src-main/domain/exchange/rows.js';
import { generateDistrict } from '../../src-main/generator/district-generator.js';
import { FeedRejectedError } from '../../src-main/platform/feed-reader.js';
import { openDatabaseFeedSource } from '../../src-main/store/feed-database/database-feed-source.js';
import { openEncrypted } from '../../src-main/store/sqlcipher.js';
import { snapshotContentDigest } from '../../src-main/store/snapshot/snapshot-digest.js';
import { POSTGRES_SKIP_REASON, sharedPostgres } from '../helpers/exchange-db.js';

const root = mkdtempSync(join(tmpdir(), 'aw-build-db-'));
let cluster: Awaited<ReturnType<typeof sharedPostgres>> = null;
beforeAll(async () => {
  cluster = await sharedPostgres();
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A column's type in the source database: typed where a clean feed's text is that type's own output, else text. */
function sqlType(column: FeedColumn | undefined, typed: boolean): string {
  if (!typed || !column) return 'text';
  if (column.kind === 'date') return 'date';
  if (column.kind === 'money') return 'numeric(16,2)';
  if (column.kind === 'int') return 'integer';
  return 'text';
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Each feed file into a table of the same name, its header as the columns, its rows in file order. */
async function loadFeeds(url: string, feedsDir: string, typed: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const file of readdirSync(feedsDir).filter((f) => f.endsWith('.csv'))) {
      const table = file.slice(0, -'.csv'.length);
      const spec = FEED_TABLE_BY_NAME.get(table as TableName)!;
      const [header, ...rows] = parse(readFileSync(join(feedsDir, file)), { bom: true, relax_column_count: true }) as string[][];
      const columns = header!.map((h) => spec.columns.find((c) => c.key === h.trim() || c.label === h.trim()));
      await client.query(`CREATE TABLE ${quote(table)} (${header!.map((h, i) => `${quote(h)} ${sqlType(columns[i], typed)}`).join(', ')})`);
      for (let start = 0; start < rows.length; start += 500) {
        const batch = rows.slice(start, start + 500);
        const values: unknown[] = [];
        const tuples = batch.map((row) => `(${header!.map((_, i) => (values.push(row[i] === '' ? null : row[i]), `$${values.length}`)).join(', ')})`);
        await client.query(`INSERT INTO ${quote(table)} VALUES ${tuples.join(', ')}`, values);
      }
    }
  } finally {
    await client.end();
  }
}

function digestOf(file: string, key: Uint8Array): string {
  const db = openEncrypted(file, key, { readonly: true });
  try {
    return snapshotContentDigest(db, TABLE_NAMES);
  } finally {
    db.close();
  }
}

/**
 * The report with each source's own names (x.csv, postgresql:x) made the same, refusals without their line and checks
 * by count. A database table has no row order (PostgreSQL puts a row wherever it fits), so it is read sorted: line N
 * of it is not line N of the file, a check's first 100 examples are other rows, and of two rows with the same key
 * another one may be kept — the same row after cleansing (the snapshots are equal), but repaired differently, so a
 * table with duplicates is held to its counts, not its repairs.
 */
function comparable(report: QualityReport) {
  const table = (file: string) => file.replace(/^postgresql:/, '').replace(/\.csv$/, '');
  const withDuplicates = new Set(report.rejections.filter((r) => r.check === 'duplicate').map((r) => table(r.file)));
  return {
    ...report,
    files: report.files.map((f) => ({ ...f, file: table(f.file), repairs: withDuplicates.has(table(f.file)) ? null : f.repairs })),
    rejections: report.rejections.map((r) => JSON.stringify({ ...r, file: table(r.file), line: undefined })).sort(),
    checks: Object.fromEntries(Object.entries(report.checks).map(([rule, c]) => [rule, c.count])),
  };
}

describe('platform build from a PostgreSQL database', () => {
  for (const dirty of [false, true]) {
    it(`builds the same snapshot and quality report as the ${dirty ? 'dirty' : 'clean'} CSV feeds`, async (ctx) => {
      if (!cluster) {
        console.warn(POSTGRES_SKIP_REASON);
        return ctx.skip();
      }
      const dir = join(root, dirty ? 'dirty' : 'clean');
      const feeds = new FeedWriter({ dir: join(dir, 'feeds'), format: 'csv', dirty, seed: 21, rejectRate: 0.002 });
      const summary = generateDistrict({ seed: 21, persons: 2000 }, { row: (r) => feeds.write(r), truth: () => undefined });
      await feeds.close();
      const url = await cluster.createDatabase();
      await loadFeeds(url, join(dir, 'feeds'), !dirty);

      const key = randomBytes(32);
      const common = { key, snapshotId: 's', asOf: summary.asOf, jurisdiction: summary.jurisdiction, clock: { now: () => Date.parse('2024-07-01T00:00:00Z') } };
      const fromCsv = await buildSnapshot({ ...common, feedsDir: join(dir, 'feeds'), outFile: join(dir, 'csv.db') });
      const fromDb = await buildSnapshot({ ...common, source: await openDatabaseFeedSource(url), outFile: join(dir, 'db.db') });
      // `platform build --from`: the tables read and cleaned on the build's worker thread, through its own connection.
      const onWorker = await buildSnapshot({ ...common, database: url, outFile: join(dir, 'worker.db') });

      expect(digestOf(join(dir, 'db.db'), key)).toBe(digestOf(join(dir, 'csv.db'), key));
      expect(comparable(fromDb)).toEqual(comparable(fromCsv));
      expect(digestOf(join(dir, 'worker.db'), key)).toBe(digestOf(join(dir, 'db.db'), key));
      expect(JSON.stringify(onWorker)).toBe(JSON.stringify(fromDb));
      expect(fromDb.files.length).toBeGreaterThan(10);
      if (dirty) expect(fromDb.rejectionCount).toBe(feeds.rejections.length);
    }, 240_000);
  }

  it('refuses a table without a required column, naming it, and writes nothing', async (ctx) => {
    if (!cluster) {
      console.warn(POSTGRES_SKIP_REASON);
      return ctx.skip();
    }
    const url = await cluster.createDatabase();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE TABLE person (person_id text, name text); INSERT INTO person VALUES ('320111199001011239', '李四')`);
    await client.end();
    const out = join(root, 'refused.db');
    const build = buildSnapshot({ key: randomBytes(32), snapshotId: 'r', asOf: '2024-06-30', jurisdiction: ['320111'], source: await openDatabaseFeedSource(url), outFile: out });
    await expect(build).rejects.toThrow(FeedRejectedError);
    await expect(build).rejects.toThrow(/^postgresql:person: missing required column\(s\): .*gender/);
    expect(existsSync(out)).toBe(false);
    const onWorker = buildSnapshot({ key: randomBytes(32), snapshotId: 'r', asOf: '2024-06-30', jurisdiction: ['320111'], database: url, outFile: out });
    await expect(onWorker).rejects.toThrow(FeedRejectedError);
    await expect(onWorker).rejects.toThrow(/^postgresql:person: missing required column\(s\): .*gender/);
    expect(existsSync(out) || existsSync(`${out}.building`)).toBe(false);
  }, 60_000);
});
