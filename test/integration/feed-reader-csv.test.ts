/**
 * The feed reader splits plain CSV lines itself and hands anything else to csv-parse (platform/feed-reader.ts). Whatever
 * path a file takes, the rows, their line numbers and the errors must be csv-parse's own: each file here is read by
 * openFeed and compared with csv-parse over the same bytes.
 */
import { parse } from 'csv-parse/sync';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FeedTable } from '../../src-main/domain/exchange/feed-schema.js';
import { DEFAULT_LIMITS, openFeed, type FeedLimits } from '../../src-main/platform/feed-reader.js';

const TABLE: FeedTable = {
  table: 'death_record',
  label: '死亡登记',
  key: ['person_id'],
  columns: [
    { key: 'person_id', kind: 'id', required: true },
    { key: 'death_date', kind: 'date', required: true },
    { key: 'source', kind: 'text' },
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'aw-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(text: string, limits: FeedLimits = DEFAULT_LIMITS, batches = false) {
  const file = join(dir, 'death_record.csv');
  writeFileSync(file, text);
  const feed = await openFeed(file, TABLE, limits);
  const rows: { line: number; cells: unknown[]; malformed?: string }[] = [];
  if (batches) for await (const batch of feed.batches) rows.push(...batch);
  else for await (const row of feed.rows) rows.push(row);
  return rows;
}

/** csv-parse's records after the header, as the reader must give them. */
function expected(text: string) {
  const records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as { record: string[]; info: { lines: number } }[];
  const width = records[0]!.record.length;
  return records.slice(1).map(({ record, info }) => ({
    line: info.lines,
    cells: record,
    ...(record.length === width ? {} : { malformed: `has ${record.length} fields, the header has ${width}` }),
  }));
}

const HEADER = 'person_id,death_date,source\n';
const row = (i: number) => `11010519491231${String(i % 10_000).padStart(4, '0')},2024-01-0${(i % 9) + 1},卫健 ${i}`;
/** Enough lines for several 64 KiB chunks, so line ends and multi-byte characters fall on chunk boundaries. */
const many = (n: number) => Array.from({ length: n }, (_, i) => row(i)).join('\n');

describe('CSV feeds: the fast path gives csv-parse’s rows', () => {
  it.each([
    ['plain lines, empty lines skipped but counted', `${HEADER}${row(1)}\n\n${row(2)}\n\n\n${row(3)}\n`],
    ['no line end after the last line', `${HEADER}${row(1)}\n${row(2)}`],
    ['a byte-order mark and leading empty lines', `\uFEFF\n\n${HEADER}${row(1)}\n`],
    ['rows with too few or too many fields, spaces kept', `${HEADER}a,b\n , , \nx,y,z,w\n`],
    ['thousands of lines over many chunks', `${HEADER}${many(20_000)}\n`],
    ['a quoted field far into the file', `${HEADER}${many(20_000)}\n"320102193411092568","2024-01-01","a, b"\n${row(7)}\n`],
    ['a quoted field over two lines far into the file (handed to csv-parse)', `${HEADER}${many(20_000)}\n"320102193411092568","2024-01-01","a,\nb"\n${row(7)}\n`],
    ['whole fields in quotes, split here (a dirty feed\'s amounts)', `${HEADER}${many(3_000)}\n"320102193411092568","2024-01-01","1,234.00元"\n${row(7)},"a ""b"" c"\n${row(8)}\n"x",,""\n,"",\n"a,b"\n`],
    ['a line that is only two quotes', `${HEADER}${row(1)}\n""\n${row(2)}\n`],
    ['a quoted field spanning lines', `${HEADER}${row(1)}\n"x","2024-01-01","two\nlines"\n${row(2)}\n`],
    ['CRLF line ends', `${HEADER.replace('\n', '\r\n')}${row(1)}\r\n\r\n${row(2)}\r\n`],
    ['a carriage return late in the file', `${HEADER}${many(20_000)}\n${row(1)}\r\n${row(2)}\n`],
  ])('%s', async (_name, text) => {
    expect(await read(text)).toEqual(expected(text));
    expect(await read(text, DEFAULT_LIMITS, true)).toEqual(expected(text));
  });

  it('refuses an overlong record with csv-parse’s message, wherever it comes', async () => {
    const limits = { ...DEFAULT_LIMITS, maxRecordChars: 3_000 };
    const long = `${HEADER}${many(5_000)}\n${'9'.repeat(5_000)},2024-01-01,x\n`;
    let error: unknown = null;
    try {
      parse(long, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, max_record_size: 3_000 });
    } catch (e) {
      error = e;
    }
    expect(error).not.toBeNull();
    await expect(read(long, limits)).rejects.toThrow(`death_record.csv: malformed CSV: ${(error as Error).message}`);
  });

  it.each([
    ['a quote inside an unquoted field', 'a"b'],
    ['text after a closing quote', '"a"b'],
    ['a quote left open', '"a'],
  ])('refuses %s with csv-parse’s message, after quoted lines it split itself', async (_name, cell) => {
    const text = `${HEADER}${many(5_000)}\n${row(1)},"1,234.00元"\n320102193411092568,2024-01-01,${cell}\n${row(2)}\n`;
    let error: unknown = null;
    try {
      parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true });
    } catch (e) {
      error = e;
    }
    expect(error).not.toBeNull();
    await expect(read(text)).rejects.toThrow(`death_record.csv: malformed CSV: ${(error as Error).message}`);
  });

  it('refuses a file that is not UTF-8 after its plain start', async () => {
    const file = join(dir, 'death_record.csv');
    writeFileSync(file, Buffer.concat([Buffer.from(`${HEADER}${many(10_000)}\n`), Buffer.from([0xc9, 0xea, 0x0a])]));
    const feed = await openFeed(file, TABLE);
    await expect(
      (async () => {
        for await (const batch of feed.batches) void batch;
      })(),
    ).rejects.toThrow('not UTF-8 text');
  });
});
