/**
 * Writes an export file, streamed (bounded memory however many rows): CSV (UTF-8 with BOM, so Excel reads Chinese),
 * xlsx (exceljs's streaming writer, every text cell a string, never a formula) or PDF (pdf-writer.ts). The visible
 * watermark is a banner row above the header in CSV and xlsx, plus, in xlsx, the page header and footer, the document properties and a very-hidden
 * sheet holding the export's identity. The file is written beside its final name and renamed when complete, so a
 * crash never leaves a half-written file under the final name.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { neutralizeCell } from '../domain/export/cell-safety.js';
import { openPdfWriter } from './pdf-writer.js';

export type Cell = string | number | null;

export interface Watermark {
  /** One line for the banner row, the page header and the document's description. */
  banner: string;
  /** Key/value pairs kept in the very-hidden sheet (export id, user, time, audit head…). */
  identity: Record<string, string>;
}

export interface ExportWriter {
  addRow(cells: readonly Cell[]): void;
  /** Finishes the file and moves it to its final name. */
  close(): Promise<void>;
  /** Gives up: removes the partial file (after the writer has let go of it). */
  abort(): Promise<void>;
}

const safe = (cells: readonly Cell[]) => cells.map((c) => (typeof c === 'string' ? neutralizeCell(c) : c));

export function openExportWriter(file: string, format: 'csv' | 'xlsx' | 'pdf', headers: readonly string[], watermark: Watermark, pdf?: { title: string; widths?: readonly number[] }): ExportWriter {
  // A PDF holds no formulas: its cells are drawn as text as they are.
  if (format === 'pdf') return openPdfWriter(file, headers, watermark, pdf ?? { title: watermark.banner });
  const partial = `${file}.part`;
  if (format === 'csv') {
    const fd = openSync(partial, 'wx', 0o600);
    let open = true;
    const pending: string[] = [];
    // Every field quoted (OWASP): a separator inside a value can never start a new, live cell.
    const line = (cells: readonly Cell[]) => stringify([cells], { quoted: true });
    const flush = () => {
      if (pending.length) writeSync(fd, pending.splice(0).join(''));
    };
    const release = () => {
      if (open) closeSync(fd);
      open = false;
    };
    writeSync(fd, '\uFEFF' + line(safe([watermark.banner])) + line(safe(headers)));
    return {
      addRow(cells) {
        // Amounts are numbers of 元: always two decimals, never a thousands separator.
        pending.push(line(safe(cells).map((c) => (typeof c === 'number' ? c.toFixed(2) : (c ?? '')))));
        if (pending.length >= 1000) flush();
      },
      async close() {
        flush();
        release();
        renameSync(partial, file);
      },
      async abort() {
        release();
        rmSync(partial, { force: true });
      },
    };
  }
  closeSync(openSync(partial, 'wx', 0o600));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: partial, useSharedStrings: false, useStyles: true });
  workbook.creator = watermark.identity.user ?? '';
  workbook.description = watermark.banner;
  workbook.keywords = watermark.identity.exportId ?? '';
  const sheet = workbook.addWorksheet('导出', {
    // Excel allows 255 characters per header: the export's identity only, not the whole banner.
    headerFooter: { oddHeader: `&L${escapeHf(`救助审计工作站导出 ${watermark.identity.exportId ?? ''}`)}&R${escapeHf(watermark.identity.user ?? '')}`, oddFooter: `&L${escapeHf(watermark.identity.at ?? '')}&R&P / &N` },
    views: [{ state: 'frozen', ySplit: 2 }],
  });
  const banner = sheet.addRow(safe([watermark.banner]));
  banner.font = { italic: true, color: { argb: 'FF888888' } };
  banner.commit();
  const header = sheet.addRow(safe(headers));
  header.font = { bold: true };
  header.commit();
  return {
    addRow(cells) {
      const row = sheet.addRow(safe(cells).map((c) => c ?? ''));
      cells.forEach((c, i) => {
        if (typeof c === 'number') row.getCell(i + 1).numFmt = '0.00';
      });
      row.commit();
    },
    async close() {
      sheet.commit();
      const hidden = workbook.addWorksheet('_export', { state: 'veryHidden' });
      for (const [k, v] of Object.entries(watermark.identity)) hidden.addRow(safe([k, v])).commit();
      hidden.commit();
      await workbook.commit();
      renameSync(partial, file);
    },
    async abort() {
      // Let exceljs finish and close its stream first, or its pending write recreates the file after the delete.
      try {
        sheet.commit();
        await workbook.commit();
      } catch {
        // the file is being discarded anyway
      }
      rmSync(partial, { force: true });
    },
  };
}

/** `&` starts a code in Excel's header/footer language. */
function escapeHf(text: string): string {
  return text.replace(/&/g, '&&');
}
