/**
 * The platform build reads, parses and cleans a folder's feeds on a worker thread while its own thread inserts
 * (data-platform/feed-events.ts). Whichever thread reads them, the build must give the same quality report (every
 * rejection with file, line, column, check and reason, in the same order; repairs, dictionary warnings, freshness,
 * missing tables), the same snapshot content, and the same error when a file is refused — with nothing left behind.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSnapshot, type BuildOptions } from '../../src-main/data-platform/build.js';
import { FeedWriter } from '../../src-main/data-platform/feed-writer.js';
import { generateDistrict } from '../../src-main/generator/district-generator.js';
import { openEncrypted } from '../../src-main/store/sqlcipher.js';
import { snapshotContentDigest } from '../../src-main/store/snapshot/snapshot-digest.js';

const root = mkdtempSync(join(tmpdir(), 'aw-build-threads-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const clock = { now: () => Date.parse('2024-07-01T08:00:00Z') };

/** Builds on the worker (the default) or on the build's thread; the report and the content digest (meta included). */
async function build(feedsDir: string, readOnWorker: boolean, more: Partial<BuildOptions> = {}) {
  const key = randomBytes(32);
  const outFile = join(root, `${readOnWorker ? 'worker' : 'thread'}-${randomBytes(4).toString('hex')}.db`);
  const report = await buildSnapshot({ feedsDir, outFile, key, snapshotId: 'same', asOf: '2024-06-30', jurisdiction: ['320111', '320116'], clock, readOnWorker, ...more });
  const db = openEncrypted(outFile, key, { readonly: true });
  const digest = snapshotContentDigest(db);
  db.close();
  return { report, digest };
}

describe('platform build on two threads', () => {
  it('gives the same report and snapshot as one thread from a dirty district (CSV and xlsx feeds, a few tables missing)', async () => {
    const feedsDir = join(root, 'dirty');
    const feeds = new FeedWriter({ dir: feedsDir, format: 'csv', dirty: true, seed: 21, rejectRate: 0.003 });
    generateDistrict({ seed: 21, persons: 2500, profile: 'dense' }, { row: (r, v2) => feeds.write(r, v2), truth: () => undefined });
    await feeds.close();
    // An xlsx feed among the CSV ones, and a missing one.
    rmSync(join(feedsDir, 'vehicle.csv'));
    const xlsx = new FeedWriter({ dir: join(root, 'dirty-xlsx'), format: 'xlsx', dirty: true, seed: 22 });
    generateDistrict({ seed: 22, persons: 300 }, { row: (r) => (r.table === 'death_record' ? xlsx.write(r) : undefined), truth: () => undefined });
    await xlsx.close();
    rmSync(join(feedsDir, 'death_record.csv'));
    copyFileSync(join(root, 'dirty-xlsx', 'death_record.xlsx'), join(feedsDir, 'death_record.xlsx'));

    const one = await build(feedsDir, false);
    const two = await build(feedsDir, true);
    expect(two.report).toEqual(one.report);
    expect(JSON.stringify(two.report)).toBe(JSON.stringify(one.report)); // key order too (the report is written as JSON)
    expect(two.digest).toBe(one.digest);
    // The district is dirty enough for every part of the report to be compared.
    expect(one.report.rejections.length).toBeGreaterThan(50);
    expect(one.report.rejections.map((r) => r.check)).toEqual(expect.arrayContaining(['duplicate', 'format', 'Q-ID', 'Q-DICT']));
    expect(Object.keys(one.report.dictionaryWarnings).length).toBeGreaterThan(0);
    expect(one.report.files.find((f) => f.table === 'payment')!.repairs.amount_format).toBeGreaterThan(0);
    expect(one.report.files.find((f) => f.table === 'death_record')!.file).toBe('death_record.xlsx');
    expect(one.report.missingTables).toContain('vehicle');
  });

  it('refuses a file with the same error on either thread, after the rows before it, and writes nothing', async () => {
    const feedsDir = join(root, 'limits');
    const feeds = new FeedWriter({ dir: feedsDir, format: 'csv', dirty: true, seed: 23 });
    generateDistrict({ seed: 23, persons: 1500 }, { row: (r, v2) => feeds.write(r, v2), truth: () => undefined });
    await feeds.close();
    for (const limits of [{ maxRows: 3000 }, { maxFileBytes: 100_000 }, { maxRecordChars: 40 }]) {
      const errors: string[] = [];
      for (const readOnWorker of [false, true]) {
        const outFile = join(root, `refused-${readOnWorker}.db`);
        const error = await buildSnapshot({ feedsDir, outFile, key: randomBytes(32), snapshotId: 'r', asOf: '2024-06-30', jurisdiction: ['320111'], limits, readOnWorker }).then(
          () => null,
          (e: Error) => e,
        );
        expect(error).toBeInstanceOf(Error);
        errors.push(`${error!.name}: ${error!.message}`);
        expect(existsSync(outFile) || existsSync(`${outFile}.building`)).toBe(false);
      }
      expect(errors[1]).toBe(errors[0]);
      expect(errors[0]).toMatch(/^FeedRejectedError: /);
    }
  });
});
