/**
 * Writes an export as a PDF table (pdfkit), streamed page by page: A4 landscape, a title and header row on every page,
 * a footer with the exporter, time, export id and page number, and a tiled, semi-transparent diagonal watermark
 * (user, time, export id) drawn over every page. The text is embedded as a subset of Noto Sans SC (OFL, from the
 * @expo-google-fonts/noto-sans-sc package), so the file reads the same on any machine.
 *
 * Like the other writers it writes beside the final name and renames when complete.
 */
import { createWriteStream, renameSync, rmSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Cell, ExportWriter, Watermark } from './export-writer.js';

const FONT_FILE = createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
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
  doc.registerFont('cjk', readFileSync(FONT_FILE));
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
    // The watermark goes on last, over the table: faint enough to read through, impossible to crop away.
    doc.save().fillColor('#808080').fillOpacity(0.14).fontSize(12);
    doc.rotate(-25, { origin: [PAGE.w / 2, PAGE.h / 2] });
    const stepX = doc.widthOfString(stamp) + 60;
    for (let row = 0, yy = -PAGE.h * 0.4; yy < PAGE.h * 1.4; yy += 80, row++) {
      for (let xx = -PAGE.w * 0.5 + ((row % 2) * stepX) / 2; xx < PAGE.w * 1.4; xx += stepX) doc.text(stamp, xx, yy, { lineBreak: false });
    }
    doc.restore().fontSize(FONT_SIZE);
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
