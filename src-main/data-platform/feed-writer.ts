/**
 * Writes generated rows as department feeds (exchange-schema.md "Feed files"): one CSV or xlsx file per table.
 * Clean feeds use English keys; `dirty` feeds imitate what departments really deliver (Chinese labels, shuffled
 * columns, a BOM, full-width digits, stray spaces, lower-case x, 15-digit legacy IDs, five date formats, amounts with
 * separators and 元, dictionary words instead of codes) plus a few rows no importer can repair — those are recorded
 * as expected rejections so a test can hold the importer's quality report to them exactly.
 *
 * Schema v2's tables, columns and rows are dirtied from a second random stream, so that a seed's v1 feeds keep the very
 * same dirt and planted rejections (the v2 columns come in beside them).
 */
import ExcelJS from 'exceljs';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { FEED_TABLE_BY_NAME, snapshotColumnOf, type FeedColumn, type FeedTable } from '../domain/exchange/feed-schema.js';
import type { AnyRow, TableName } from '../domain/exchange/rows.js';
import { SeededRandom } from '../domain/random.js';
import { formatYuan } from '../domain/money.js';
import type { TruthRow } from '../generator/district-generator.js';

export interface FeedWriterOptions {
  dir: string;
  format: 'csv' | 'xlsx';
  dirty: boolean;
  seed: number;
  /** Share of rows per table that get an extra, unrepairable twin (dirty feeds only). */
  rejectRate?: number;
}

/** xlsx sheets hold at most 1,048,576 rows. */
const XLSX_MAX_ROWS = 1_048_575;
const FLUSH_BYTES = 1 << 20;

interface Output {
  table: FeedTable;
  columns: FeedColumn[];
  headers: string[];
  rows: number;
  // CSV
  fd?: number;
  buffer?: string[];
  bufferedBytes?: number;
  // xlsx
  workbook?: ExcelJS.stream.xlsx.WorkbookWriter;
  sheet?: ExcelJS.Worksheet;
}

/**
 * What can be wrong with a v2 row beyond repair — a wrong check character, a day that does not exist, a negative
 * medical bill, an unknown required code — and the check the importer reports it under.
 */
const V2_DEFECTS: readonly { column: (c: FeedColumn) => boolean; cell: (good: string) => string; check: string }[] = [
  { column: (c) => c.kind === 'id' && c.required === true, cell: (good) => good.slice(0, 17) + (good[17] === '0' ? '1' : '0'), check: 'Q-ID' },
  { column: (c) => c.kind === 'date' && c.required === true, cell: () => '2023-02-30', check: 'format' },
  { column: (c) => c.kind === 'month' && c.required === true, cell: () => '2023-13', check: 'format' },
  { column: (c) => c.kind === 'money' && c.min === 0, cell: () => '-100.00', check: 'format' },
  { column: (c) => c.kind === 'code' && c.required === true, cell: () => '未知代码', check: 'Q-DICT' },
];

const FULL_WIDTH = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

export class FeedWriter {
  private readonly outputs = new Map<TableName, Output>();
  private readonly rnd: SeededRandom;
  /** Schema v2's stream: v2 tables, v2 columns and rows v2 adds to v1 tables. */
  private readonly rnd2: SeededRandom;
  readonly rejections: TruthRow[] = [];

  constructor(private readonly o: FeedWriterOptions) {
    mkdirSync(o.dir, { recursive: true });
    this.rnd = new SeededRandom(o.seed ^ 0x5eed);
    this.rnd2 = new SeededRandom((o.seed ^ 0x5eed0002) >>> 0);
  }

  /** `addedInV2`: a row schema v2 adds to a v1 table (the generator says so). */
  write(item: AnyRow, addedInV2 = false): void {
    const out = this.output(item.table);
    const rnd = out.table.since || addedInV2 ? this.rnd2 : this.rnd;
    const row = item.row as unknown as Record<string, unknown>;
    this.append(out, this.cells(out, row, rnd));
    if (this.o.dirty && rnd.chance(this.o.rejectRate ?? 0.0005)) this.plantReject(out, row, rnd);
  }

  private cells(out: Output, row: Record<string, unknown>, rnd: SeededRandom): (string | number | null)[] {
    return out.columns.map((c) => this.cell(c, row[snapshotColumnOf(c)], c.since ? this.rnd2 : rnd));
  }

  async close(): Promise<void> {
    for (const out of this.outputs.values()) {
      if (out.fd !== undefined) {
        this.flush(out);
        closeSync(out.fd);
      } else if (out.workbook) {
        out.sheet!.commit();
        await out.workbook.commit();
      }
    }
  }

  private output(table: TableName): Output {
    let out = this.outputs.get(table);
    if (out) return out;
    const spec = FEED_TABLE_BY_NAME.get(table)!;
    const rnd = spec.since ? this.rnd2 : this.rnd;
    // v1's columns are shuffled exactly as before; v2's are then slotted in from the v2 stream.
    const columns = spec.columns.filter((c) => !c.since);
    if (this.o.dirty) columns.sort(() => rnd.next() - 0.5);
    for (const c of spec.columns.filter((x) => x.since)) columns.splice(this.o.dirty ? this.rnd2.int(0, columns.length) : columns.length, 0, c);
    const useLabels = this.o.dirty && rnd.chance(0.7);
    const headers = columns.map((c) => (useLabels && c.label ? c.label : c.key));
    const file = join(this.o.dir, `${table}.${this.o.format}`);
    out = { table: spec, columns, headers, rows: 0 };
    if (this.o.format === 'csv') {
      out.fd = openSync(file, 'w', 0o600);
      out.buffer = [];
      out.bufferedBytes = 0;
      const bom = this.o.dirty && rnd.chance(0.5) ? '\uFEFF' : '';
      writeSync(out.fd, bom + stringify([headers]));
    } else {
      out.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
      // A sheet name cannot hold * ? : \ / [ ] (服刑/羁押 becomes 服刑、羁押).
      out.sheet = out.workbook.addWorksheet(spec.label.replace(/[*?:\\/[\]]/g, '、'));
      out.sheet.addRow(headers).commit();
    }
    this.outputs.set(table, out);
    return out;
  }

  private append(out: Output, cells: (string | number | null)[]): void {
    out.rows++;
    if (out.fd !== undefined) {
      const line = stringify([cells.map((c) => c ?? '')]);
      out.buffer!.push(line);
      out.bufferedBytes! += line.length;
      if (out.bufferedBytes! > FLUSH_BYTES) this.flush(out);
    } else {
      if (out.rows > XLSX_MAX_ROWS) throw new Error(`${out.table.table} has more rows than an xlsx sheet holds; use --format csv`);
      out.sheet!.addRow(cells).commit();
    }
  }

  private flush(out: Output): void {
    if (out.buffer!.length === 0) return;
    writeSync(out.fd!, out.buffer!.join(''));
    out.buffer = [];
    out.bufferedBytes = 0;
  }

  /** A value as a department would deliver it. */
  private cell(c: FeedColumn, value: unknown, r: SeededRandom): string | number | null {
    if (value === null || value === undefined) return null;
    const v = c.kind === 'money' ? formatYuan(value as number).replaceAll(',', '') : String(value);
    if (!this.o.dirty) return v;
    switch (c.kind) {
      case 'id': {
        let id = v;
        if (/^\d{6}19\d{9}[\dX]$/.test(id) && r.chance(0.02)) id = id.slice(0, 6) + id.slice(8, 17); // 15-digit legacy
        else if (id.endsWith('X') && r.chance(0.5)) id = id.slice(0, 17) + 'x';
        if (r.chance(0.03)) id = FULL_WIDTH(id);
        if (r.chance(0.02)) id = ` ${id} `;
        return id;
      }
      case 'date': {
        const [y, m, d] = v.split('-');
        switch (r.int(0, 5)) {
          case 0:
            return `${y}/${Number(m)}/${Number(d)}`;
          case 1:
            return `${y}${m}${d}`;
          case 2:
            return `${y}年${Number(m)}月${Number(d)}日`;
          case 3: {
            const serial = Math.round((Date.parse(v) - Date.UTC(1899, 11, 30)) / 86_400_000);
            return this.o.format === 'xlsx' ? serial : String(serial);
          }
          default:
            return v;
        }
      }
      case 'money':
        if (r.chance(0.1)) return `${formatYuan(value as number)}元`;
        return this.o.format === 'xlsx' && r.chance(0.5) ? (value as number) / 100 : v;
      case 'code': {
        const labels = c.dictionary?.[v];
        return labels && labels.length > 0 && r.chance(0.1) ? labels[0]! : v;
      }
      default:
        return r.chance(0.01) ? `${v} ` : v;
    }
  }

  /** An extra row that no importer can repair, recorded as an expected rejection. */
  private plantReject(out: Output, row: Record<string, unknown>, rnd: SeededRandom): void {
    const idColumn = out.columns.find((c) => c.kind === 'id');
    const dateColumn = out.columns.find((c) => c.kind === 'date' && c.required);
    const cells = this.cells(out, row, rnd);
    let check: string;
    if (out.table.since) {
      // Each kind of defect in turn, from a random one, until the table has a column it can spoil.
      const first = rnd.int(0, V2_DEFECTS.length - 1);
      const defect = V2_DEFECTS.map((_, i) => V2_DEFECTS[(first + i) % V2_DEFECTS.length]!).find((x) => out.columns.some(x.column));
      if (!defect) return;
      const i = out.columns.findIndex(defect.column);
      cells[i] = defect.cell(String(row[snapshotColumnOf(out.columns[i]!)]));
      check = defect.check;
    } else if (out.table.table === 'person' && idColumn) {
      // A person nobody else refers to, with a broken check character.
      const i = out.columns.indexOf(idColumn);
      const good = String(row[idColumn.key]);
      cells[i] = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
      check = 'Q-ID';
    } else if (dateColumn && ['grid_visit', 'vehicle', 'real_estate'].includes(out.table.table)) {
      // A row that cannot exist: 30 February. Its key is new so it is not a duplicate either.
      cells[out.columns.indexOf(dateColumn)] = '2023-02-30';
      const keyColumn = out.columns.find((c) => out.table.key.includes(c.key) && c.kind === 'text')!;
      cells[out.columns.indexOf(keyColumn)] = `BAD${out.rows}`;
      check = 'format';
    } else if (out.table.table === 'grid_visit' || out.table.table === 'income_record') {
      check = 'duplicate'; // the same key again
    } else {
      return;
    }
    this.append(out, cells);
    this.rejections.push({ rule: `FEED-${check}`, subjectKind: 'record', subjectId: `${out.table.table}.${this.o.format}:${out.rows + 1}` });
  }
}
