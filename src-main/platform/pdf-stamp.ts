/**
 * What every PDF the workstation writes shares: the embedded Chinese font (a subset of Noto Sans SC, OFL, from the
 * @expo-google-fonts/noto-sans-sc package, so the file reads the same on any machine) and the tiled, semi-transparent
 * diagonal watermark drawn over a page.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const FONT_FILE = createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

let font: Buffer | null = null;
export function cjkFont(): Buffer {
  return (font ??= readFileSync(FONT_FILE));
}

/** Draws the stamp text tiled across the page, rotated, faint enough to read through and impossible to crop away. */
export function drawStamp(doc: PDFKit.PDFDocument, stamp: string, page: { w: number; h: number }, fontSize: number): void {
  doc.save().fillColor('#808080').fillOpacity(0.14).fontSize(12);
  doc.rotate(-25, { origin: [page.w / 2, page.h / 2] });
  const stepX = doc.widthOfString(stamp) + 60;
  for (let row = 0, yy = -page.h * 0.4; yy < page.h * 1.4; yy += 80, row++) {
    for (let xx = -page.w * 0.5 + ((row % 2) * stepX) / 2; xx < page.w * 1.4; xx += stepX) doc.text(stamp, xx, yy, { lineBreak: false });
  }
  doc.restore().fontSize(fontSize);
}
