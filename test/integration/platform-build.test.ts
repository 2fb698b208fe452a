/**
 * Feeds → snapshot: dirty department files (CSV and xlsx, Chinese headers, every dirty format of the schema page)
 * build into exactly the rows the generator meant, the unrepairable rows are reported with file and line, and
 * untrusted-file limits refuse with a clear error and leave nothing behind.
 */
import ExcelJS from 'exceljs';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src-main/data-platform/build.js';
import { FeedWriter } from '../../src-main/data-platform/feed-writer.js';
import { TABLE_NAMES } from '../../src-main/domain/exchange/rows.js';
import { generateDistrict } from '../../src-main/generator/district-generator.js';
import { openEncrypted } from '../../src-main/store/sqlcipher.js';
import { snapshotContentDigest } from '../../src-main/store/snapshot/snapshot-digest.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';

const root = mkdtempSync(join(tmpdir(), 'aw-build-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function generate(seed: number, persons: number, format: 'csv' | 'xlsx', dirty: boolean) {
  const dir = join(root, `${seed}-${format}-${dirty}`);
  const direct = SnapshotWriter.inMemory();
  const feeds = new FeedWriter({ dir: join(dir, 'feeds'), format, dirty, seed, rejectRate: 0.002 });
  const summary = generateDistrict({ seed, persons }, { row: (r) => (direct.write(r), feeds.write(r)), truth: () => undefined });
  await feeds.close();
  const db = direct.finish({ snapshotId: 'x', asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: 'x' })!;
  const digest = snapshotContentDigest(db, TABLE_NAMES);
  db.close();
  return { dir, feeds, summary, digest };
}

describe('platform build', () => {
  for (const [format, dirty] of [['csv', true], ['xlsx', true], ['csv', false]] as const) {
    it(`rebuilds the exact district from ${dirty ? 'dirty' : 'clean'} ${format} feeds and reports each unrepairable row`, async () => {
      const g = await generate(format === 'xlsx' ? 12 : 11, 3000, format, dirty);
      const key = randomBytes(32);
      const out = join(g.dir, 'snapshot.db');
      const report = await buildSnapshot({ feedsDir: join(g.dir, 'feeds'), outFile: out, key, snapshotId: 's1', asOf: g.summary.asOf, jurisdiction: g.summary.jurisdiction });
      const db = openEncrypted(out, key, { readonly: true });
      expect(snapshotContentDigest(db, TABLE_NAMES)).toBe(g.digest);
      db.close();

      const rejected = report.rejections.map((r) => `${r.file}:${r.line}`).sort();
      expect(rejected).toEqual(g.feeds.rejections.map((r) => r.subjectId).sort());
      if (dirty) {
        expect(rejected.length).toBeGreaterThan(0);
        const person = report.files.find((f) => f.table === 'person')!;
        for (const repair of ['full_width', 'trimmed', 'date_format'] as const) expect(person.repairs[repair], repair).toBeGreaterThan(0);
        const payment = report.files.find((f) => f.table === 'payment')!;
        expect(payment.repairs.amount_format).toBeGreaterThan(0);
        const idRejection = report.rejections.find((r) => r.check === 'Q-ID');
        if (idRejection) expect(idRejection).toMatchObject({ file: `person.${format}`, column: 'person_id (公民身份号码)' });
      }
      expect(report.checks['Q-ORPHAN']?.count ?? 0).toBeGreaterThanOrEqual(0);
    });
  }

  it('repairs 15-digit IDs, lower-case x, full-width digits and Chinese dictionary words, and refuses what it cannot repair', async () => {
    const dir = join(root, 'hand');
    mkdirSync(join(dir, 'feeds'), { recursive: true });
    writeFileSync(
      join(dir, 'feeds', 'person.csv'),
      '\uFEFF公民身份号码,姓名,性别,出生日期,民族\n' +
        '110105491231002,张三,男,1949年12月31日,01\n' + // 15 digits → 11010519491231002X
        '11010519491231002x,张三,男,1949-12-31,01\n' + // same person again: a duplicate
        '３２０１１１１９９００１０１１２３９, 李四 ,1,19900101,01\n' + // full-width, spaces
        '320111199001011238,王五,1,1990/1/1,01\n' + // wrong check character
        '320111199002301234,赵六,2,1990-02-30,01\n' + // no such day
        '320111199001011239,钱七\n', // too few fields
    );
    const out = join(dir, 'snapshot.db');
    const key = randomBytes(32);
    const report = await buildSnapshot({ feedsDir: join(dir, 'feeds'), outFile: out, key, snapshotId: 'h', asOf: '2024-06-30', jurisdiction: ['320111'] });
    const db = openEncrypted(out, key, { readonly: true });
    expect(db.prepare('SELECT person_id, name, gender, birth_date FROM person ORDER BY person_id').all()).toEqual([
      { person_id: '11010519491231002X', name: '张三', gender: '1', birth_date: '1949-12-31' },
      { person_id: '320111199001011239', name: '李四', gender: '1', birth_date: '1990-01-01' },
    ]);
    db.close();
    expect(report.rejections.map((r) => [r.line, r.check])).toEqual([
      [3, 'duplicate'],
      [5, 'Q-ID'],
      [6, 'Q-ID'],
      [7, 'format'],
    ]);
    expect(report.rejections[1]!.reason).toMatch(/check_digit/);
    expect(report.missingTables).toContain('payment');
  });

  it('refuses files over the limits, or without required columns, and writes nothing', async () => {
    const g = await generate(13, 1000, 'xlsx', false);
    const feeds = join(g.dir, 'feeds');
    const out = join(g.dir, 'refused.db');
    const attempt = (limits: object) => buildSnapshot({ feedsDir: feeds, outFile: out, key: randomBytes(32), snapshotId: 'r', asOf: g.summary.asOf, jurisdiction: ['320111'], limits });
    await expect(attempt({ maxFileBytes: 1000 })).rejects.toThrow(/division\.xlsx: file is \d+ bytes, over the limit of 1000/);
    await expect(attempt({ maxRows: 50 })).rejects.toThrow(/more than 50 rows/);
    await expect(attempt({ maxZipEntries: 3 })).rejects.toThrow(/more than 3 entries inside the xlsx/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.building`)).toBe(false);

    // A zip bomb in miniature: one sheet of identical rows, compressed far beyond the allowed ratio.
    const bombDir = join(root, 'bomb');
    mkdirSync(bombDir, { recursive: true });
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('x');
    sheet.addRow(['division_code', 'name', 'level']);
    for (let i = 0; i < 40_000; i++) sheet.addRow(['320111001001', '同一个名称同一个名称同一个名称', 5]);
    await wb.xlsx.writeFile(join(bombDir, 'division.xlsx'));
    await expect(buildSnapshot({ feedsDir: bombDir, outFile: out, key: randomBytes(32), snapshotId: 'b', asOf: '2024-06-30', jurisdiction: ['320111'], limits: { maxCompressionRatio: 5 } })).rejects.toThrow(/compressed \d+:1, over the limit of 5:1/);

    const headerless = join(root, 'headerless');
    mkdirSync(headerless, { recursive: true });
    writeFileSync(join(headerless, 'person.csv'), '姓名,性别\n张三,1\n');
    await expect(buildSnapshot({ feedsDir: headerless, outFile: out, key: randomBytes(32), snapshotId: 'c', asOf: '2024-06-30', jurisdiction: ['320111'] })).rejects.toThrow(
      /person\.csv: missing required column\(s\): person_id \(公民身份号码\), birth_date \(出生日期\)/,
    );
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(join(headerless, 'person.csv'), 'utf8')).toContain('张三'); // input untouched
  });
});
