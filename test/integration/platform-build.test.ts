/**
 * Feeds → snapshot: dirty department files (CSV and xlsx, Chinese headers, every dirty format of the schema page)
 * build into exactly the rows the generator meant, the unrepairable rows are reported with file and line, and
 * untrusted-file limits refuse with a clear error and leave nothing behind.
 */
import ExcelJS from 'exceljs';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
      // Packed when finished (snapshot-writer.ts pack): the pages the load left part-full are full again, the file is
      // its owner's only, and no scratch copy is left beside it.
      const space = db.prepare(`SELECT sum(unused) AS unused, sum(pgsize) AS size FROM dbstat WHERE name = 'income_record'`).get() as { unused: number; size: number };
      expect(space.unused / space.size).toBeLessThan(0.05);
      db.close();
      expect(statSync(out).mode & 0o777).toBe(0o600);
      expect(existsSync(`${out}.building`) || existsSync(`${out}.packing`)).toBe(false);

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

  it('refuses what would silently change a value: GBK text, decimal commas, IDs stored as spreadsheet numbers, spreadsheet errors', async () => {
    const dir = join(root, 'traps');
    mkdirSync(join(dir, 'feeds'), { recursive: true });
    // A GBK-encoded file (older department systems): refused whole, not imported as '����'.
    writeFileSync(join(dir, 'feeds', 'person.csv'), Buffer.concat([Buffer.from('person_id,name,gender,birth_date\n11010519491231002X,'), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from(',1,1949-12-31\n')]));
    const attempt = () => buildSnapshot({ feedsDir: join(dir, 'feeds'), outFile: join(dir, 's.db'), key: randomBytes(32), snapshotId: 't', asOf: '2024-06-30', jurisdiction: ['320111'] });
    await expect(attempt()).rejects.toThrow(/person\.csv: not UTF-8 text/);
    rmSync(join(dir, 'feeds', 'person.csv'));
    writeFileSync(join(dir, 'feeds', 'payment.csv'), 'payment_id,person_id,program,period,amount\nP1,11010519491231002X,dibao,2024-01,"1,234.50"\nP2,11010519491231002X,dibao,2024-02,"1234,50"\nP3,11010519491231002X,dibao,2023,100\n');
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('x');
    sheet.addRow(['person_id', 'death_date']);
    sheet.addRow([Number('320111198509019827'), '2024-01-01']); // 18 digits as a number: precision lost
    sheet.addRow(['320111199001011239', { error: '#N/A' }]);
    sheet.addRow(['11010519491231002X', 45292]); // a real Excel serial: 2024-01-01
    await wb.xlsx.writeFile(join(dir, 'feeds', 'death_record.xlsx'));
    const report = await attempt();
    expect(report.rejections.map((r) => [r.file, r.line, r.check])).toEqual([
      ['payment.csv', 3, 'format'],
      ['payment.csv', 4, 'format'],
      ['death_record.xlsx', 2, 'Q-ID'],
      ['death_record.xlsx', 3, 'format'],
    ]);
    expect(report.rejections.find((r) => r.file === 'death_record.xlsx' && r.line === 2)!.reason).toMatch(/spreadsheet number/);
    expect(report.rejections.find((r) => r.line === 3 && r.file === 'death_record.xlsx')!.reason).toMatch(/#N\/A/);
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

    // The same, but the archive lies about its sizes: the limits count what really inflates.
    const liar = readFileSync(join(bombDir, 'division.xlsx'));
    for (let o = 0; o < liar.length - 46; o++) {
      if (liar.readUInt32LE(o) === 0x02014b50 && liar.subarray(o + 46, o + 46 + liar.readUInt16LE(o + 28)).toString().includes('sheet1.xml')) liar.writeUInt32LE(1000, o + 24);
    }
    writeFileSync(join(bombDir, 'division.xlsx'), liar);
    await expect(buildSnapshot({ feedsDir: bombDir, outFile: out, key: randomBytes(32), snapshotId: 'b', asOf: '2024-06-30', jurisdiction: ['320111'], limits: { maxUncompressedBytes: 1_000_000 } })).rejects.toThrow(/expands to more than 1000000 bytes/);

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
