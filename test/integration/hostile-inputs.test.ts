/**
 * Hostile inputs to every importer — the feed / applicant-list reader (openFeed) and the leak reader behind
 * export.trace: zip bombs, zip-slip names, XML entity expansion, absurd sheet dimensions, `__proto__` keys, truncated
 * and empty files, wrong encodings, garbage. Each is refused (or read as the harmless text it is) within seconds and
 * without blowing up memory, with a message that names the file and the reason; nothing is polluted or written.
 * A fuzz test (fast-check) throws random and mutated CSV/xlsx bytes at both readers: they may refuse, never crash.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICANT_LIST } from '../../src-main/domain/exchange/feed-schema.js';
import { openFeed } from '../../src-main/platform/feed-reader.js';
import { readLeak } from '../../src-main/platform/leak-reader.js';
import { makeBench, withStaff, type TestBench } from '../helpers/workstation.js';

let dir: string;
let b: TestBench;
let valid: Buffer;

async function workbookWithSheet(sheetXml: string | null, extra: Record<string, string> = {}): Promise<Buffer> {
  const zip = await JSZip.loadAsync(valid);
  if (sheetXml !== null) zip.file('xl/worksheets/sheet1.xml', sheetXml);
  for (const [name, content] of Object.entries(extra)) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

const SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';

/** name → the file's bytes, with the extension it arrives under. */
async function corpus(): Promise<{ name: string; ext: 'csv' | 'xlsx'; bytes: Buffer }[]> {
  const bomb = `${SHEET_HEAD}<sheetData>${'<row><c t="inlineStr"><is><t>申请编号</t></is></c></row>'.repeat(1_500_000)}</sheetData></worksheet>`;
  const entities = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">${Array.from({ length: 8 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>${SHEET_HEAD.replace(/^<\?xml[^>]*>/, '')}<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol8;</t></is></c></row></sheetData></worksheet>`;
  const farRight = `${SHEET_HEAD}<sheetData>${Array.from({ length: 1500 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>a</t></is></c><c r="XFD${i + 1}" t="inlineStr"><is><t>z</t></is></c></row>`).join('')}</sheetData></worksheet>`;
  const absurd = `${SHEET_HEAD}<dimension ref="A1:XFD1048576"/><sheetData><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>`;
  return [
    { name: 'empty csv', ext: 'csv', bytes: Buffer.alloc(0) },
    { name: 'empty xlsx', ext: 'xlsx', bytes: Buffer.alloc(0) },
    { name: 'truncated xlsx', ext: 'xlsx', bytes: valid.subarray(0, Math.floor(valid.length / 2)) },
    { name: 'zip bomb', ext: 'xlsx', bytes: await workbookWithSheet(bomb) },
    { name: 'zip slip', ext: 'xlsx', bytes: await workbookWithSheet(null, { '../../../tmp/aw-zip-slip.txt': 'owned' }) },
    { name: 'entity expansion', ext: 'xlsx', bytes: await workbookWithSheet(entities) },
    { name: 'absurd dimensions', ext: 'xlsx', bytes: await workbookWithSheet(absurd) },
    { name: 'cells in the last column', ext: 'xlsx', bytes: await workbookWithSheet(farRight) },
    { name: '__proto__ csv', ext: 'csv', bytes: Buffer.from('__proto__,constructor,prototype\n{"polluted":1},{"polluted":1},{"polluted":1}\n') },
    { name: 'UTF-16 csv', ext: 'csv', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('申请编号,救助业务\nA1,dibao\n', 'utf16le')]) },
    { name: 'GBK csv', ext: 'csv', bytes: Buffer.from([0xc9, 0xea, 0xc7, 0xeb, 0xb1, 0xe0, 0xba, 0xc5, 0x0a, 0x41, 0x31, 0x0a]) },
    { name: 'garbage xlsx', ext: 'xlsx', bytes: Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(4096, 0x5a)]) },
    { name: 'unterminated quote', ext: 'csv', bytes: Buffer.from(`申请编号,救助业务\n"A1,${'x'.repeat(2_000_000)}`) },
  ];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aw-hostile-'));
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('申请').addRow(['申请编号', '救助业务']);
  valid = Buffer.from(await wb.xlsx.writeBuffer());
  b = makeBench();
  await withStaff(b, ['320111']);
});
afterAll(() => {
  b.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs an import and reports how it ended, how long it took and how much memory it added. */
async function attempt(run: () => Promise<unknown>) {
  const before = process.memoryUsage().rss;
  const started = Date.now();
  let error: string | null = null;
  try {
    await run();
  } catch (e) {
    error = (e as Error).message;
  }
  return { error, ms: Date.now() - started, addedMiB: (process.memoryUsage().rss - before) / 2 ** 20 };
}

async function drainFeed(file: string) {
  const feed = await openFeed(file, APPLICANT_LIST);
  let rows = 0;
  for await (const row of feed.rows) if (row) rows++;
  return rows;
}

describe('hostile inputs', () => {
  it('refuses each one quickly, in bounded memory, with the file and the reason, and pollutes nothing', async () => {
    for (const c of await corpus()) {
      const file = join(dir, `${c.name.replace(/\W+/g, '-')}.${c.ext}`);
      writeFileSync(file, c.bytes);
      const feed = await attempt(() => drainFeed(file));
      const leak = await attempt(() => readLeak(c.bytes, `${c.name}.${c.ext}`));
      const traced = await b.call('supervisor-client', 'export.trace', { fileName: `${c.name}.${c.ext}`, base64: c.bytes.toString('base64') || 'AAAA' });
      for (const [reader, r] of [
        ['feed', feed],
        ['leak', leak],
      ] as const) {
        expect(r.ms, `${c.name} / ${reader}`).toBeLessThan(5000);
        expect(r.addedMiB, `${c.name} / ${reader}`).toBeLessThan(300);
      }
      // The feed reader names the file in every refusal.
      if (feed.error) expect(feed.error, c.name).toContain(file.split('/').pop()!);
      if (['zip bomb', 'zip slip', 'truncated xlsx', 'garbage xlsx', 'empty xlsx'].includes(c.name)) {
        expect(feed.error, c.name).toBeTruthy();
        expect(leak.error, c.name).toBeTruthy();
        expect(traced, c.name).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      }
      if (c.name === 'zip bomb') expect(feed.error).toMatch(/compressed \d+:1|expands to more than/);
      if (c.name === 'zip slip') expect(feed.error).toMatch(/unsafe entry name|invalid relative path/);
      // Whatever the outcome, nothing was polluted and a trace of it attributes nothing.
      expect(({} as Record<string, unknown>).polluted, c.name).toBeUndefined();
      if (traced.ok) expect(traced.value.candidates).toEqual([]);
    }
  }, 120_000);

  it('never crashes on random or mutated CSV and xlsx bytes (fuzz)', async () => {
    const csvHeader = Buffer.from('申请编号,救助业务,居住地区划,公民身份号码\n');
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), fc.nat(), async (bytes, asXlsx, seed) => {
        let data: Buffer;
        if (asXlsx) {
          // Flip some bytes of a valid workbook.
          data = Buffer.from(valid);
          for (let i = 0; i < Math.min(bytes.length, 16); i++) data[(seed + bytes[i]! * 997 + i * 7919) % data.length] = bytes[i]!;
        } else {
          data = Buffer.concat([csvHeader, Buffer.from(bytes)]);
        }
        const file = join(dir, `fuzz.${asXlsx ? 'xlsx' : 'csv'}`);
        writeFileSync(file, data);
        for (const run of [() => drainFeed(file), () => readLeak(data, `fuzz.${asXlsx ? 'xlsx' : 'csv'}`)]) {
          try {
            await run();
          } catch (e) {
            // A refusal is an ordinary Error with a message, never a crash of another kind.
            expect(e).toBeInstanceOf(Error);
            expect((e as Error).message.length).toBeGreaterThan(0);
          }
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  }, 300_000);
});
