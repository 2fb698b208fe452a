/**
 * Reads one feed file (CSV or xlsx, first sheet) as untrusted input: size, row and zip limits are checked before
 * and while reading, headers are matched to the schema by English key or Chinese label, and rows are yielded with
 * their line numbers so every rejection can name file, row and column.
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse';
import { createReadStream, statSync } from 'node:fs';
import { pipeline, Transform, type Readable } from 'node:stream';
import { basename } from 'node:path';
import { inspectZip } from './zip-guard.js';
import { toHalfWidth, type RawCell } from '../domain/exchange/cleanse.js';
import type { FeedColumn, FeedTable } from '../domain/exchange/feed-schema.js';

export interface FeedLimits {
  maxFileBytes: number;
  /** xlsx files are read whole (see openXlsx), so they have a lower size limit. */
  maxXlsxBytes: number;
  maxRows: number;
  /** xlsx only: entries in the zip container, uncompressed bytes in total, and the worst compression ratio. */
  maxZipEntries: number;
  maxUncompressedBytes: number;
  maxCompressionRatio: number;
  /** CSV: the longest record, in characters (a quoted field must not swallow the file). */
  maxRecordChars: number;
}

export const DEFAULT_LIMITS: FeedLimits = {
  maxFileBytes: 4 * 1024 ** 3,
  maxXlsxBytes: 256 * 1024 ** 2,
  maxRows: 50_000_000,
  maxZipEntries: 1000,
  maxUncompressedBytes: 2 * 1024 ** 3,
  maxCompressionRatio: 200,
  maxRecordChars: 1024 * 1024,
};

export class FeedRejectedError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${basename(file)}: ${reason}`);
    this.name = 'FeedRejectedError';
  }
}

export interface FeedRow {
  line: number;
  cells: RawCell[];
  /** Set when the row cannot be read as a whole (a CSV row with the wrong number of fields). */
  malformed?: string;
}

export interface OpenedFeed {
  /** For each schema column, its position in the file (or -1 when absent). */
  positions: Map<FeedColumn, number>;
  ignoredHeaders: string[];
  rows: AsyncIterable<FeedRow>;
}

function normalizeHeader(h: unknown): string {
  return toHalfWidth(String(h ?? '')).replace(/^\uFEFF/, '').trim();
}

function mapHeaders(file: string, table: FeedTable, headers: unknown[]): Pick<OpenedFeed, 'positions' | 'ignoredHeaders'> {
  const positions = new Map<FeedColumn, number>();
  const ignoredHeaders: string[] = [];
  headers.forEach((raw, i) => {
    const h = normalizeHeader(raw);
    if (h === '') return;
    const column = table.columns.find((c) => c.key === h || c.label === h);
    if (!column) ignoredHeaders.push(h);
    else if (positions.has(column)) throw new FeedRejectedError(file, `column ${column.key} appears twice (header "${h}")`);
    else positions.set(column, i);
  });
  const missing = table.columns.filter((c) => c.required && !positions.has(c)).map((c) => (c.label ? `${c.key} (${c.label})` : c.key));
  if (missing.length > 0) throw new FeedRejectedError(file, `missing required column(s): ${missing.join(', ')}`);
  for (const c of table.columns) if (!positions.has(c)) positions.set(c, -1);
  return { positions, ignoredHeaders };
}

export async function openFeed(file: string, table: FeedTable, limits: FeedLimits = DEFAULT_LIMITS): Promise<OpenedFeed> {
  const size = statSync(file).size;
  const max = file.endsWith('.xlsx') ? Math.min(limits.maxFileBytes, limits.maxXlsxBytes) : limits.maxFileBytes;
  if (size > max) throw new FeedRejectedError(file, `file is ${size} bytes, over the limit of ${max}`);
  return file.endsWith('.xlsx') ? openXlsx(file, table, limits) : openCsv(file, table, limits);
}

/** Decodes UTF-8 strictly: a GBK file (common from older department systems) is refused, not read as '����'. */
function strictUtf8(file: string): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      try {
        done(null, decoder.decode(chunk, { stream: true }));
      } catch {
        done(new FeedRejectedError(file, 'not UTF-8 text (GBK or another encoding?): save the file as UTF-8'));
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        done(new FeedRejectedError(file, 'not UTF-8 text (GBK or another encoding?): save the file as UTF-8'));
      }
    },
  });
}

function openCsv(file: string, table: FeedTable, limits: FeedLimits): Promise<OpenedFeed> {
  return openCsvStream(file, createReadStream(file), table, limits);
}

/**
 * CSV bytes from any stream, `name` naming them in errors: a file, or a database table's `COPY … TO STDOUT (FORMAT
 * csv, HEADER)` (store/feed-database/), so that both go through the very same header matching and row reading.
 */
export async function openCsvStream(file: string, input: Readable, table: FeedTable, limits: FeedLimits = DEFAULT_LIMITS): Promise<OpenedFeed> {
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, max_record_size: limits.maxRecordChars });
  // pipeline (not pipe) so that a decoding error reaches the parser, and with it the rows being read.
  pipeline(input, strictUtf8(file), parser, () => undefined);
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;
  let first: IteratorResult<{ record: string[]; info: { lines: number } }>;
  try {
    first = await iterator.next();
  } catch (error) {
    if (error instanceof FeedRejectedError) throw error;
    throw new FeedRejectedError(file, `not readable as CSV: ${(error as Error).message}`);
  }
  if (first.done) throw new FeedRejectedError(file, 'the file is empty (no header row)');
  const mapped = mapHeaders(file, table, first.value.record);
  const width = first.value.record.length;
  async function* rows(): AsyncIterable<FeedRow> {
    let count = 0;
    for (;;) {
      let next: IteratorResult<{ record: string[]; info: { lines: number } }>;
      try {
        next = await iterator.next();
      } catch (error) {
        if (error instanceof FeedRejectedError) throw error;
        throw new FeedRejectedError(file, `malformed CSV: ${(error as Error).message}`);
      }
      if (next.done) return;
      if (++count > limits.maxRows) throw new FeedRejectedError(file, `more than ${limits.maxRows} rows`);
      const { record, info } = next.value;
      yield record.length === width
        ? { line: info.lines, cells: record }
        : { line: info.lines, cells: record, malformed: `has ${record.length} fields, the header has ${width}` };
    }
  }
  return { ...mapped, rows: rows() };
}

class ErrorCell {
  constructor(readonly text: string) {}
}

/** A spreadsheet cell as a plain value: formulas give their cached result and are never evaluated. */
function cellValue(v: unknown): RawCell | ErrorCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: string; error?: string };
    if (typeof o.error === 'string') return new ErrorCell(o.error);
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if ('result' in o) return cellValue(o.result);
    if (typeof o.text === 'string') return o.text;
  }
  return String(v);
}

/**
 * xlsx is read whole, not streamed: exceljs's streaming reader garbles multi-byte characters that straddle a chunk
 * boundary (exceljs issue #2063, still open in 4.4), which would silently change Chinese names and addresses. The zip
 * inspection above bounds what "whole" can mean; departments with bigger feeds deliver CSV.
 */
async function openXlsx(file: string, table: FeedTable, limits: FeedLimits): Promise<OpenedFeed> {
  await inspectZip({ file }, limits).catch((error: Error) => {
    throw new FeedRejectedError(file, error.message);
  });
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(file);
  } catch (error) {
    throw new FeedRejectedError(file, `not readable as xlsx: ${(error as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.rowCount === 0) throw new FeedRejectedError(file, 'the first sheet is empty (no header row)');
  if (sheet.rowCount - 1 > limits.maxRows) throw new FeedRejectedError(file, `more than ${limits.maxRows} rows`);
  const headerValues = (sheet.getRow(1).values as unknown[]).slice(1).map((v) => {
    const c = cellValue(v);
    return c instanceof ErrorCell ? c.text : c;
  });
  const mapped = mapHeaders(file, table, headerValues);
  async function* rows(): AsyncIterable<FeedRow> {
    for (let n = 2; n <= sheet!.rowCount; n++) {
      const values = (sheet!.getRow(n).values as unknown[]).slice(1).map(cellValue);
      if (values.every((v) => v === null || v === '')) continue;
      const error = values.findIndex((v) => v instanceof ErrorCell);
      if (error >= 0) {
        yield { line: n, cells: [], malformed: `column ${error + 1} holds a spreadsheet error (${(values[error] as ErrorCell).text})` };
        continue;
      }
      yield { line: n, cells: values as RawCell[] };
    }
  }
  return { ...mapped, rows: rows() };
}
