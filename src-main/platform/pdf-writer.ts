/**
 * Writes an export as a PDF table (pdfkit), streamed page by page: A4 landscape, a title and header row on every page,
 * a footer with the exporter, time, export id and page number, and a tiled, semi-transparent diagonal watermark
 * (user, time, export id) drawn over every page, in the embedded Chinese font (pdf-stamp.ts).
 *
 * Like the other writers it writes beside the final name and renames when complete.
 */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import PDFDocument from 'pdfkit';
import type { Cell, ExportWriter, Watermark } from './export-writer.js';
import { cjkFont, drawStamp } from './pdf-stamp.js';

const PAGE = { w: 841.89, h: 595.28 }; // A4 landscape
const MARGIN = 30;
const PAD = 2.5;
const FONT_SIZE = 7.5;
const HEAD_Y = MARGIN + 20;
const FOOT_Y = PAGE.h - MARGIN - 8;

export function openPdfWriter(file: string, headers: readonly string[], watermark: Watermark, o: { title: string; widths?: readonly number[] }): ExportWriter {
  const partial = `${file}.part`;
  const sink = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0, // laid out by hand: pdfkit would otherwise add pages of its own when text reaches the bottom
    autoFirstPage: false,
    compress: true,
    lang: 'zh-CN',
    info: { Title: o.title, Author: watermark.identity.user ?? '', Subject: watermark.banner, Keywords: watermark.identity.exportId ?? '' },
  });
  doc.pipe(sink);
  doc.registerFont('cjk', cjkFont());
  doc.font('cjk').fontSize(FONT_SIZE);

  const usable = PAGE.w - 2 * MARGIN;
  const weights = o.widths ?? headers.map(() => 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (w / total) * usable);
  const stamp = `${watermark.identity.user ?? ''}  ${watermark.identity.at ?? ''}  ${watermark.identity.exportId ?? ''}`;
  const footer = `导出编号 ${watermark.identity.exportId ?? ''} · ${watermark.identity.user ?? ''} · ${watermark.identity.at ?? ''} · 用途：${watermark.identity.purpose ?? ''}`;
  let page = 0;
  let y = 0;

  const text = (c: Cell) => (c === null ? '' : typeof c === 'number' ? c.toFixed(2) : c);
  const heightOf = (cells: readonly string[]) => Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i]! - 2 * PAD }))) + 2 * PAD;
  const drawRow = (cells: readonly string[], header: boolean) => {
    const h = heightOf(cells);
    if (header) doc.rect(MARGIN, y, usable, h).fill('#dde3ea');
    doc.fillColor('#000');
    let x = MARGIN;
    cells.forEach((c, i) => {
      doc.text(c, x + PAD, y + PAD, { width: widths[i]! - 2 * PAD });
      x += widths[i]!;
    });
    y += h;
    doc.moveTo(MARGIN, y).lineTo(PAGE.w - MARGIN, y).lineWidth(0.3).stroke('#999');
  };
  const startPage = () => {
    doc.addPage();
    page++;
    doc.fillColor('#000').fontSize(11).text(o.title, MARGIN, MARGIN, { lineBreak: false });
    doc.fontSize(FONT_SIZE);
    y = HEAD_Y;
    drawRow(headers, true);
  };
  const endPage = () => {
    doc.moveTo(MARGIN, FOOT_Y - 4).lineTo(PAGE.w - MARGIN, FOOT_Y - 4).lineWidth(0.5).stroke('#333');
    doc.fillColor('#333').fontSize(7).text(footer, MARGIN, FOOT_Y, { lineBreak: false, width: usable - 60, ellipsis: true });
    const number = `第 ${page} 页`;
    doc.text(number, PAGE.w - MARGIN - doc.widthOfString(number), FOOT_Y, { lineBreak: false });
    // The watermark goes on last, over the table.
    drawStamp(doc, stamp, PAGE, FONT_SIZE);
  };

  startPage();
  let finished = false;
  return {
    addRow(cells) {
      const strings = cells.map(text);
      if (y + heightOf(strings) > FOOT_Y - 8) {
        endPage();
        startPage();
      }
      drawRow(strings, false);
    },
    async close() {
      endPage();
      doc.end();
      finished = true;
      await once(sink, 'finish');
      renameSync(partial, file);
    },
    async abort() {
      if (!finished) doc.end();
      if (!sink.writableFinished) await once(sink, 'close').catch(() => undefined);
      rmSync(partial, { force: true });
    },
  };
}
