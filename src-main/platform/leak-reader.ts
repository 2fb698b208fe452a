/**
 * Reads a suspected leak into rows of text, whatever shape it arrived in: an xlsx workbook (every sheet, hidden ones
 * included), a CSV file (UTF-8 with or without BOM, or GB18030 as Excel saves it on Chinese Windows), or rows pasted as
 * text (tab- or comma-separated, or columns of spaces as copied out of a PDF). What the file says about itself (document properties, the hidden sheet) is returned
 * apart, as statements to show, not evidence.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { inspectZip } from './zip-guard.js';

export interface LeakTable {
  format: 'xlsx' | 'csv' | 'text';
  rows: string[][];
  /** Text the file states about itself: document properties and hidden sheets. */
  statements: string[];
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** More rows than any export may hold: a bigger "leak" is refused rather than read into memory. */
const MAX_ROWS = 600_000;
/** No export has more columns than this; cells further right are ignored. */
const MAX_COLUMNS = 256;
const MAX_CELLS = 10_000_000;
const MAX_STATEMENTS = 10_000;

export async function readLeak(data: Buffer, fileName = ''): Promise<LeakTable> {
  if (data.length === 0) throw new Error(`${fileName || 'the file'} is empty`);
  if (data.subarray(0, 4).equals(ZIP_MAGIC)) return readWorkbook(data, fileName);
  if (/\.xlsx$/i.test(fileName)) throw new Error(`${fileName} is not an xlsx workbook (no zip container)`);
  const text = decodeText(data);
  const format = /\.csv$/i.test(fileName) ? 'csv' : 'text';
  return { format, rows: parseDelimited(text, fileName), statements: [] };
}

/** A leak is at most 16 MiB; what is inside may expand to 256 MiB, no more, and never at a zip bomb's ratio. */
const LEAK_ZIP_LIMITS = { maxZipEntries: 500, maxUncompressedBytes: 256 * 1024 ** 2, maxCompressionRatio: 200 };

async function readWorkbook(data: Buffer, fileName: string): Promise<LeakTable> {
  await inspectZip({ buffer: data }, LEAK_ZIP_LIMITS).catch((error: Error) => {
    throw new Error(`${fileName || 'the file'}: ${error.message}`);
  });
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch (error) {
    throw new Error(`${fileName || 'the file'} is not a readable xlsx workbook: ${(error as Error).message}`);
  }
  const rows: string[][] = [];
  const statements = [workbook.creator, workbook.description, workbook.keywords, workbook.title, workbook.subject].filter((s): s is string => !!s);
  let cells = 0;
  for (const sheet of workbook.worksheets) {
    const hidden = sheet.state !== 'visible';
    sheet.eachRow({ includeEmpty: false }, (row) => {
      // Only the cells that hold something, and only the first columns: a single cell in column XFD must not make
      // a row of 16,384 strings.
      const filled: string[] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        if (col <= MAX_COLUMNS) filled[col - 1] = cellText(cell.value);
      });
      cells += filled.length;
      if (cells > MAX_CELLS) throw new Error(`${fileName || 'the file'} has more than ${MAX_CELLS} filled cells`);
      const dense = Array.from(filled, (c) => c ?? '');
      if (hidden) {
        if (statements.length < MAX_STATEMENTS) statements.push(dense.join(' '));
      } else if (rows.length < MAX_ROWS) rows.push(dense);
    });
    if (sheet.headerFooter?.oddHeader) statements.push(sheet.headerFooter.oddHeader);
  }
  if (rows.length >= MAX_ROWS) throw new Error(`${fileName || 'the file'} has more than ${MAX_ROWS} rows`);
  return { format: 'xlsx', rows, statements };
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('result' in value) return value.result === undefined || value.result === null ? '' : String(value.result);
  return String(value);
}

/** UTF-16 by its byte-order mark, UTF-8 when it decodes cleanly, else GB18030 (what "CSV" means to Excel on a Chinese system). */
function decodeText(data: Buffer): string {
  // Excel's "Unicode text" is UTF-16 with a byte-order mark.
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(data);
  }
}

function parseDelimited(text: string, fileName: string): string[][] {
  const firstLines = text.split(/\r?\n/, 20).filter((l) => l.trim());
  const tabs = firstLines.filter((l) => l.includes('\t')).length;
  const commas = firstLines.filter((l) => l.includes(',')).length;
  // Text copied out of a PDF or a terminal has neither: its columns are runs of spaces.
  if (!tabs && commas < firstLines.length / 2) {
    const rows = text.split(/\r?\n/).filter((l) => l.trim()).map((l) => l.trim().split(/\s{2,}|\t/));
    if (rows.length > MAX_ROWS) throw new Error(`${fileName || 'the pasted text'} has more than ${MAX_ROWS} rows`);
    return rows;
  }
  const delimiter = tabs >= commas ? '\t' : ',';
  try {
    const rows = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, to: MAX_ROWS + 1 }) as string[][];
    if (rows.length > MAX_ROWS) throw new Error(`more than ${MAX_ROWS} rows`);
    return rows;
  } catch (error) {
    throw new Error(`${fileName || 'the pasted text'} cannot be read as ${delimiter === '\t' ? 'tab' : 'comma'}-separated rows: ${(error as Error).message}`);
  }
}
