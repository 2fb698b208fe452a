/**
 * Renders a report (domain/reports/report-model.ts):
 * - PDF (pdfkit, A4 portrait): title, key figures, horizontal bar charts drawn as vectors, tables; the embedded Chinese
 *   font; on every page a footer with the export id, user, time and "page n of m", and the tiled watermark;
 * - xlsx (exceljs): a summary sheet, then one sheet per section with the figures behind its chart and table (numbers
 *   as numbers, 元 with two decimals), the watermark banner on every sheet and in the page header and footer.
 * Both write beside the final name and rename when complete.
 */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import type { Report, ReportChart, ReportFigure, ReportTable } from '../domain/reports/report-model.js';
import type { Watermark } from './export-writer.js';
import { cjkFont, drawStamp } from './pdf-stamp.js';

const PAGE = { w: 595.28, h: 841.89 }; // A4 portrait
const MARGIN = 42;
const BOTTOM = PAGE.h - MARGIN - 24;
const COLORS = ['#1f5fa8', '#e08a1e', '#3a8f5c'];

export function formatYuan(cents: number): string {
  return (cents / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function formatValue(value: number | string | null, unit: string): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (unit === 'cents') return formatYuan(value);
  if (unit === 'percent') return `${value.toFixed(1)}%`;
  return value.toLocaleString('zh-CN');
}

export async function writeReportPdf(file: string, report: Report, watermark: Watermark): Promise<void> {
  const part = `${file}.part`;
  const sink = createWriteStream(part, { flags: 'wx', mode: 0o600 });
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    bufferPages: true, // footers say "page n of m": drawn once every page exists
    compress: true,
    lang: 'zh-CN',
    info: { Title: report.title, Author: watermark.identity.user ?? '', Subject: watermark.banner, Keywords: watermark.identity.exportId ?? '' },
  });
  doc.pipe(sink);
  doc.registerFont('cjk', cjkFont());
  doc.font('cjk');
  const width = PAGE.w - 2 * MARGIN;
  let y = MARGIN;
  const ensure = (height: number) => {
    if (y + height > BOTTOM) {
      doc.addPage();
      y = MARGIN;
    }
  };
  const text = (s: string, size: number, o: { color?: string; gap?: number } = {}) => {
    doc.fontSize(size).fillColor(o.color ?? '#000');
    const h = doc.heightOfString(s, { width });
    ensure(h);
    doc.text(s, MARGIN, y, { width });
    y += h + (o.gap ?? 4);
  };

  doc.addPage();
  text(report.title, 16, { gap: 6 });
  text(`统计期：${report.period} · 数据范围：${report.scope.join('、')} · 快照：${report.snapshot.snapshotId}（截至 ${report.snapshot.asOf}）`, 8.5, { color: '#333' });
  text(`生成：${report.generatedBy} · ${report.generatedAt}`, 8.5, { color: '#333', gap: 12 });

  for (const section of report.sections) {
    ensure(60);
    text(section.title, 12.5, { gap: 6 });
    if (section.note) text(section.note, 8, { color: '#555', gap: 6 });
    if (section.figures) drawFigures(section.figures);
    if (section.chart) drawChart(section.chart);
    if (section.table) drawTable(section.table);
    y += 10;
  }

  function drawFigures(figures: ReportFigure[]) {
    const perRow = 3;
    const boxW = (width - (perRow - 1) * 8) / perRow;
    for (let i = 0; i < figures.length; i += perRow) {
      ensure(44);
      figures.slice(i, i + perRow).forEach((f, j) => {
        const x = MARGIN + j * (boxW + 8);
        doc.rect(x, y, boxW, 40).lineWidth(0.5).fillAndStroke('#f3f6fa', '#c5d0dc');
        doc.fillColor('#555').fontSize(8).text(f.label, x + 6, y + 5, { width: boxW - 12, lineBreak: false });
        doc.fillColor('#000').fontSize(13).text(formatValue(f.value, f.unit) + (f.unit === 'cents' ? ' 元' : ''), x + 6, y + 18, { width: boxW - 12, lineBreak: false });
      });
      y += 48;
    }
  }

  function drawChart(chart: ReportChart) {
    const labelW = 120;
    const valueW = 80;
    const barArea = width - labelW - valueW;
    const bar = 9;
    const rowH = chart.series.length * (bar + 2) + 6;
    const max = Math.max(1, ...chart.series.flatMap((s) => s.values));
    // Legend.
    ensure(14);
    let lx = MARGIN + labelW;
    chart.series.forEach((s, k) => {
      doc.rect(lx, y + 2, 8, 8).fill(COLORS[k % COLORS.length]!);
      doc.fillColor('#333').fontSize(8).text(s.name, lx + 11, y + 1, { lineBreak: false });
      lx += 20 + doc.widthOfString(s.name);
    });
    y += 16;
    chart.labels.forEach((label, i) => {
      ensure(rowH);
      doc.fillColor('#000').fontSize(8).text(label, MARGIN, y + 1, { width: labelW - 6, lineBreak: false, ellipsis: true });
      chart.series.forEach((s, k) => {
        const v = s.values[i] ?? 0;
        const by = y + k * (bar + 2);
        doc.rect(MARGIN + labelW, by, Math.max(0.5, (v / max) * barArea), bar).fill(COLORS[k % COLORS.length]!);
        doc.fillColor('#333').fontSize(7).text(formatValue(v, chart.unit), MARGIN + labelW + Math.max(0.5, (v / max) * barArea) + 3, by + 1, { lineBreak: false });
      });
      y += rowH;
    });
    y += 6;
  }

  function drawTable(table: ReportTable) {
    const n = table.columns.length;
    const first = Math.min(150, width / n + 40);
    const rest = (width - first) / Math.max(1, n - 1);
    const widths = table.columns.map((_, i) => (i === 0 ? first : rest));
    const row = (cells: string[], header: boolean) => {
      doc.fontSize(7.5);
      const h = Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i]! - 5 }))) + 5;
      ensure(h);
      if (header) doc.rect(MARGIN, y, width, h).fill('#dde3ea');
      let x = MARGIN;
      cells.forEach((c, i) => {
        // A number column is right-aligned, its heading too: the heading stands over its figures.
        const numeric = table.columns[i]!.unit !== 'text';
        doc.fillColor('#000').text(c, x + 2.5, y + 2.5, { width: widths[i]! - 5, align: numeric ? 'right' : 'left' });
        x += widths[i]!;
      });
      y += h;
      doc.moveTo(MARGIN, y).lineTo(MARGIN + width, y).lineWidth(0.3).stroke('#999');
    };
    row(table.columns.map((c) => c.label + (c.unit === 'cents' ? '（元）' : '')), true);
    for (const r of table.rows) row(r.map((v, i) => formatValue(v, table.columns[i]!.unit)), false);
    y += 6;
  }

  const stamp = `${watermark.identity.user ?? ''}  ${watermark.identity.at ?? ''}  ${watermark.identity.exportId ?? ''}`;
  const footer = `报告编号 ${watermark.identity.exportId ?? ''} · ${watermark.identity.user ?? ''} · ${watermark.identity.at ?? ''} · 用途：${watermark.identity.purpose ?? ''}`;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const fy = PAGE.h - MARGIN;
    doc.moveTo(MARGIN, fy - 4).lineTo(PAGE.w - MARGIN, fy - 4).lineWidth(0.5).stroke('#333');
    doc.fillColor('#333').fontSize(7).text(footer, MARGIN, fy, { lineBreak: false, width: width - 80, ellipsis: true });
    const number = `第 ${i + 1} 页 / 共 ${range.count} 页`;
    doc.text(number, PAGE.w - MARGIN - doc.widthOfString(number), fy, { lineBreak: false });
    drawStamp(doc, stamp, PAGE, 7);
  }
  doc.end();
  try {
    await once(sink, 'finish');
    renameSync(part, file);
  } catch (error) {
    rmSync(part, { force: true });
    throw error;
  }
}

export async function writeReportXlsx(file: string, report: Report, watermark: Watermark): Promise<void> {
  const part = `${file}.part`;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = watermark.identity.user ?? '';
  workbook.title = report.title;
  workbook.subject = watermark.banner;
  workbook.keywords = watermark.identity.exportId ?? '';
  const sheet = (name: string) => {
    const ws = workbook.addWorksheet(name.slice(0, 31));
    ws.addRow([watermark.banner]);
    ws.headerFooter.oddHeader = `&L${watermark.banner.replace(/&/g, '&&')}`;
    ws.headerFooter.oddFooter = `&L${watermark.identity.exportId ?? ''}&R&P / &N`;
    return ws;
  };
  const summary = sheet('报告');
  summary.addRow([report.title]);
  summary.addRow(['统计期', report.period]);
  summary.addRow(['数据范围', report.scope.join('、')]);
  summary.addRow(['快照', report.snapshot.snapshotId, report.snapshot.asOf]);
  summary.addRow(['生成', report.generatedBy, report.generatedAt]);
  const num = (v: number | string | null, unit: string) => (v === null ? null : typeof v === 'string' ? v : unit === 'cents' ? v / 100 : v);
  const format = (unit: string) => (unit === 'cents' ? '#,##0.00' : unit === 'percent' ? '0.0' : '#,##0');
  for (const section of report.sections) {
    const ws = sheet(section.title.replace(/[\\/?*[\]:]/g, ' '));
    ws.addRow([section.title]);
    if (section.note) ws.addRow([section.note]);
    for (const f of section.figures ?? []) {
      const r = ws.addRow([f.label + (f.unit === 'cents' ? '（元）' : f.unit === 'percent' ? '（%）' : ''), num(f.value, f.unit)]);
      r.getCell(2).numFmt = format(f.unit);
    }
    if (section.table) {
      ws.addRow([]);
      ws.addRow(section.table.columns.map((c) => c.label + (c.unit === 'cents' ? '（元）' : c.unit === 'percent' ? '（%）' : '')));
      for (const row of section.table.rows) {
        const r = ws.addRow(row.map((v, i) => num(v, section.table!.columns[i]!.unit)));
        section.table.columns.forEach((c, i) => {
          if (c.unit !== 'text') r.getCell(i + 1).numFmt = format(c.unit);
        });
      }
    } else if (section.chart) {
      ws.addRow([]);
      ws.addRow(['', ...section.chart.series.map((s) => s.name + (section.chart!.unit === 'cents' ? '（元）' : ''))]);
      section.chart.labels.forEach((label, i) => ws.addRow([label, ...section.chart!.series.map((s) => num(s.values[i] ?? 0, section.chart!.unit))]));
    }
    ws.columns.forEach((c) => (c.width = 16));
  }
  try {
    await workbook.xlsx.writeFile(part);
    renameSync(part, file);
  } catch (error) {
    rmSync(part, { force: true });
    throw error;
  }
}
