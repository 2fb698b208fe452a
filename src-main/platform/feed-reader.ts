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
    /** The message without the file's name (a worker thread's error is rebuilt from file and reason). */
    readonly reason: string,
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
  /** The rows one by one. Read either `rows` or `batches`, not both: they share one reader. */
  rows: AsyncIterable<FeedRow>;
  /** The same rows a few thousand at a time: one await per batch instead of one per row (the platform build). */
  batches: AsyncIterable<FeedRow[]>;
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

const NOT_UTF8 = 'not UTF-8 text (GBK or another encoding?): save the file as UTF-8';

/** Decodes UTF-8 strictly: a GBK file (common from older department systems) is refused, not read as '����'. */
function strictUtf8(file: string): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      try {
        done(null, decoder.decode(chunk, { stream: true }));
      } catch {
        done(new FeedRejectedError(file, NOT_UTF8));
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        done(new FeedRejectedError(file, NOT_UTF8));
      }
    },
  });
}

/** One CSV record with the line it ends on (csv-parse's `info.lines`). */
interface CsvRecord {
  record: string[];
  line: number;
}

const CSV_OPTIONS = { bom: true, info: true, relax_column_count: true, skip_empty_lines: true } as const;

/**
 * CSV bytes through csv-parse (`name` naming them in errors), after skipping the first `skip` records (read by the
 * fast path), `batch` records at a time.
 */
async function* parsedRecords(name: string, input: Readable, limits: FeedLimits, skip: number, batch = 1): AsyncGenerator<CsvRecord[]> {
  const parser = parse({ ...CSV_OPTIONS, max_record_size: limits.maxRecordChars });
  // pipeline (not pipe) so that a decoding error reaches the parser, and with it the rows being read.
  pipeline(input, strictUtf8(name), parser, () => undefined);
  let records: CsvRecord[] = [];
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (skip > 0) skip--;
    else if (records.push({ record, line: info.lines }) >= batch) {
      yield records;
      records = [];
    }
  }
  if (records.length > 0) yield records;
}

/**
 * CSV records, a chunk at a time. Feeds are almost always plain: `\n` line ends, short lines, no quotes or only whole
 * fields in quotes (a dirty feed's `"1,234.00元"`). Such lines are split here directly, which is several times faster
 * than csv-parse's byte-by-byte state machine; csv-parse gives the same records and line numbers for them (skipped
 * empty lines counted, fields as delivered, no trimming). The first line that is not plain (any other quoting, a `\r`,
 * a line near the record-size limit) hands the file to csv-parse from its start, skipping the records already read, so
 * quoted fields across lines, line-end detection and every error message (with its line number) are csv-parse's own.
 */
async function* csvRecords(file: string, limits: FeedLimits): AsyncGenerator<CsvRecord[]> {
  // Longer lines go to csv-parse, which applies the limit in bytes: a UTF-16 unit is at most 3 bytes of UTF-8.
  const longest = Math.floor((limits.maxRecordChars - 1) / 3);
  let read = 0;
  const plain = plainRecords(file, longest);
  try {
    for (;;) {
      const next = await plain.next();
      if (next.done) {
        if (next.value) yield* parsedRecords(file, createReadStream(file), limits, read);
        return;
      }
      read += next.value.length;
      yield next.value;
    }
  } finally {
    await plain.return(false);
  }
}

/** The plain lines' records; returns true (and stops) at the first line that is not plain. */
async function* plainRecords(file: string, longest: number): AsyncGenerator<CsvRecord[], boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stream = createReadStream(file);
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let line = 0;
  let rest = '';
  let first = true;
  try {
    for (;;) {
      const next = await chunks.next();
      let text: string;
      try {
        text = next.done ? decoder.decode() : decoder.decode(next.value, { stream: true });
      } catch {
        throw new FeedRejectedError(file, NOT_UTF8);
      }
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      text = rest + text;
      // The last line of the file needs no line end.
      const end = next.done ? text.length : text.lastIndexOf('\n') + 1;
      rest = text.slice(end);
      // Only the lines of this text can hold them: the ones before were plain.
      if (rest.length > longest || text.indexOf('\r') >= 0) return true;
      const quoted = text.indexOf('"') >= 0;
      const batch: CsvRecord[] = [];
      for (let start = 0; start < end; ) {
        let stop = text.indexOf('\n', start);
        if (stop < 0) stop = end;
        const record = stop - start > longest ? null : quoted ? splitQuoted(text.slice(start, stop)) : text.slice(start, stop).split(',');
        if (!record) {
          if (batch.length > 0) yield batch;
          return true;
        }
        line++;
        if (stop > start) batch.push({ record, line });
        start = stop + 1;
      }
      if (batch.length > 0) yield batch;
      if (next.done) return false;
    }
  } finally {
    stream.destroy();
  }
}

/**
 * A line's fields when its quotes are the simple kind: whole fields in quotes (`"1,234.00元"`, `""` for a quote inside),
 * each closed on the line and followed by a comma or the line's end. Anything else — a quote inside an unquoted field,
 * text after a closing quote, a field going on to the next line, a line that is only `""` — gives null: csv-parse reads
 * the file then, and says what it makes of it.
 */
export function splitQuoted(line: string): string[] | null {
  if (line.indexOf('"') < 0) return line.split(',');
  if (line === '""') return null;
  const fields: string[] = [];
  for (let i = 0; ; ) {
    if (line.charCodeAt(i) !== 34) {
      const comma = line.indexOf(',', i);
      const field = comma < 0 ? line.slice(i) : line.slice(i, comma);
      if (field.indexOf('"') >= 0) return null;
      fields.push(field);
      if (comma < 0) return fields;
      i = comma + 1;
      continue;
    }
    let field = '';
    for (let from = i + 1; ; ) {
      const quote = line.indexOf('"', from);
      if (quote < 0) return null;
      if (line.charCodeAt(quote + 1) === 34) {
        field += line.slice(from, quote + 1);
        from = quote + 2;
        continue;
      }
      field += line.slice(from, quote);
      i = quote + 1;
      break;
    }
    fields.push(field);
    if (i === line.length) return fields;
    if (line.charCodeAt(i) !== 44) return null;
    i++;
  }
}

function openCsv(file: string, table: FeedTable, limits: FeedLimits): Promise<OpenedFeed> {
  return openCsvRecords(file, csvRecords(file, limits), table, limits);
}

/**
 * CSV bytes from any stream, `name` naming them in errors: a database table's `COPY … TO STDOUT (FORMAT csv, HEADER)`
 * (store/feed-database/), so that it goes through the very same header matching and row reading as a file. A stream
 * cannot be read twice, so it goes through csv-parse from the start (no fast path), a thousand records at a time.
 */
export function openCsvStream(name: string, input: Readable, table: FeedTable, limits: FeedLimits = DEFAULT_LIMITS): Promise<OpenedFeed> {
  return openCsvRecords(name, parsedRecords(name, input, limits, 0, 1000), table, limits);
}

/** Header matching and rows (limits, malformed rows) over a source of CSV records. */
async function openCsvRecords(file: string, source: AsyncGenerator<CsvRecord[]>, table: FeedTable, limits: FeedLimits): Promise<OpenedFeed> {
  let pending: CsvRecord[] = [];
  let header: CsvRecord | undefined;
  try {
    while (!header) {
      const next = await source.next();
      if (next.done) throw new FeedRejectedError(file, 'the file is empty (no header row)');
      [header, ...pending] = next.value;
    }
  } catch (error) {
    if (error instanceof FeedRejectedError) throw error;
    throw new FeedRejectedError(file, `not readable as CSV: ${(error as Error).message}`);
  }
  let mapped: ReturnType<typeof mapHeaders>;
  try {
    mapped = mapHeaders(file, table, header.record);
  } catch (error) {
    await source.return(undefined);
    throw error;
  }
  const width = header.record.length;
  async function* batches(): AsyncIterable<FeedRow[]> {
    let count = 0;
    try {
      for (;;) {
        let records = pending;
        pending = [];
        if (records.length === 0) {
          let next: IteratorResult<CsvRecord[]>;
          try {
            next = await source.next();
          } catch (error) {
            if (error instanceof FeedRejectedError) throw error;
            throw new FeedRejectedError(file, `malformed CSV: ${(error as Error).message}`);
          }
          if (next.done) return;
          records = next.value;
        }
        const rows: FeedRow[] = [];
        for (const { record, line } of records) {
          if (++count > limits.maxRows) {
            // The rows before the one over the limit are read as usual; the error comes where the row would have been.
            if (rows.length > 0) yield rows;
            throw new FeedRejectedError(file, `more than ${limits.maxRows} rows`);
          }
          rows.push(record.length === width ? { line, cells: record } : { line, cells: record, malformed: `has ${record.length} fields, the header has ${width}` });
        }
        yield rows;
      }
    } finally {
      // A reader that stops early (a refused file, a failed build) closes the file now, not when it is collected.
      await source.return(undefined);
    }
  }
  return { ...mapped, ...fromBatches(batches()) };
}

/** Both views of one source of batches; only the one read ever starts it. */
function fromBatches(source: AsyncIterable<FeedRow[]>): Pick<OpenedFeed, 'rows' | 'batches'> {
  async function* rows(): AsyncIterable<FeedRow> {
    for await (const batch of source) yield* batch;
  }
  return { rows: rows(), batches: source };
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
  async function* batches(): AsyncIterable<FeedRow[]> {
    let batch: FeedRow[] = [];
    for (let n = 2; n <= sheet!.rowCount; n++) {
      if (batch.length >= 1000) {
        yield batch;
        batch = [];
      }
      const values = (sheet!.getRow(n).values as unknown[]).slice(1).map(cellValue);
      if (values.every((v) => v === null || v === '')) continue;
      const error = values.findIndex((v) => v instanceof ErrorCell);
      if (error >= 0) {
        batch.push({ line: n, cells: [], malformed: `column ${error + 1} holds a spreadsheet error (${(values[error] as ErrorCell).text})` });
        continue;
      }
      batch.push({ line: n, cells: values as RawCell[] });
    }
    if (batch.length > 0) yield batch;
  }
  return { ...mapped, ...fromBatches(batches()) };
}
