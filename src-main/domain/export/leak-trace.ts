/**
 * Leak tracing: given the cells of a leaked table (any subset of rows, in any order, with columns dropped, re-saved or
 * pasted as text), rank the registered exports it came from, with the evidence.
 *
 * Only keyed evidence attributes a leak to an export: row marks and zero-width export tags, which nobody without the
 * workstation's key can produce for a given export. What the file *says* about itself (an export id in the banner or in
 * the hidden sheet) is shown as a statement, never counted: anybody can type it.
 */
import { findRowMarks, findZeroWidthTags } from './leak-marks.js';

/** What the register says about keyed marks found in the leak. */
export interface MarkLookup {
  /** Row mark → the export (and the finding identity mark) it was written in. */
  rowMarks(marks: readonly string[]): ReadonlyMap<string, { exportId: string; identity: string }>;
  /** Export tag → export id. */
  tags(tags: readonly string[]): ReadonlyMap<string, string>;
}

export interface LeakCandidate {
  exportId: string;
  /** Leaked rows carrying this export's row mark. */
  rowsByMark: number;
  /** Leaked rows carrying this export's invisible tag. */
  rowsByTag: number;
  /** Leaked rows with either kind of keyed evidence for this export. */
  rows: number;
  /** Share of the leak's data rows that this export explains (0–1). */
  score: number;
  /** Enough keyed evidence to name this export as the source. */
  attributed: boolean;
  /**
   * How strong: row marks tie each row to this export and to the row's own content; a tag alone is the same on every
   * row of an export, so someone holding one of its files could copy it onto other rows. Tags-only attributions are
   * shown with that caution.
   */
  evidence: 'row_marks' | 'tags_only';
  /** A few of the row marks found (for the report). */
  sampleMarks: string[];
}

export interface LeakTrace {
  /** Rows in the leak that look like data (at least two filled cells, not a header). */
  dataRows: number;
  /** Data rows with no keyed mark of any registered export. */
  unexplainedRows: number;
  candidates: LeakCandidate[];
  /** Export ids the file states about itself (banner, hidden sheet, properties): unverified. */
  stated: string[];
}

/**
 * Two rows with keyed evidence attribute a leak (one when the leak has a single data row): a random 60-bit row mark or
 * 40-bit tag matching by chance among 10,000 exports is below one in 10⁷ per row.
 */
const MIN_ROWS_TO_ATTRIBUTE = 2;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * @param columnTitles the titles exports give their columns: a row with two or more of them is a header, not data.
 */
export function traceLeak(rows: readonly (readonly string[])[], lookup: MarkLookup, o: { statedText?: readonly string[]; columnTitles?: ReadonlySet<string> } = {}): LeakTrace {
  const titles = o.columnTitles ?? new Set<string>();
  const isHeader = (r: readonly string[]) => r.filter((c) => titles.has(c.trim())).length >= 2;
  const dataRows = rows.filter((r) => r.filter((c) => c.trim() !== '').length >= 2 && !isHeader(r));
  const perRow = dataRows.map((r) => ({ marks: r.flatMap(findRowMarks), tags: r.flatMap(findZeroWidthTags) }));
  const markHits = lookup.rowMarks([...new Set(perRow.flatMap((r) => r.marks))]);
  const tagHits = lookup.tags([...new Set(perRow.flatMap((r) => r.tags))]);

  const byExport = new Map<string, { mark: Set<number>; tag: Set<number>; marks: string[] }>();
  const entry = (id: string) => {
    let e = byExport.get(id);
    if (!e) byExport.set(id, (e = { mark: new Set(), tag: new Set(), marks: [] }));
    return e;
  };
  let unexplained = 0;
  perRow.forEach((r, i) => {
    let explained = false;
    for (const m of r.marks) {
      const hit = markHits.get(m);
      if (!hit) continue;
      const e = entry(hit.exportId);
      e.mark.add(i);
      if (e.marks.length < 5) e.marks.push(m);
      explained = true;
    }
    for (const t of r.tags) {
      const id = tagHits.get(t);
      if (!id) continue;
      entry(id).tag.add(i);
      explained = true;
    }
    if (!explained) unexplained++;
  });

  const need = Math.min(MIN_ROWS_TO_ATTRIBUTE, dataRows.length);
  const candidates = [...byExport.entries()]
    .map(([exportId, e]) => {
      const rowsHit = new Set([...e.mark, ...e.tag]).size;
      return {
        exportId,
        rowsByMark: e.mark.size,
        rowsByTag: e.tag.size,
        rows: rowsHit,
        score: dataRows.length ? rowsHit / dataRows.length : 0,
        attributed: rowsHit >= need && need > 0,
        evidence: e.mark.size >= need && need > 0 ? ('row_marks' as const) : ('tags_only' as const),
        sampleMarks: e.marks,
      };
    })
    .sort((a, b) => b.rows - a.rows || b.rowsByMark - a.rowsByMark || a.exportId.localeCompare(b.exportId));

  const stated = new Set<string>();
  for (const text of [...(o.statedText ?? []), ...rows.flat()]) for (const id of text.match(UUID) ?? []) stated.add(id.toLowerCase());
  return { dataRows: dataRows.length, unexplainedRows: unexplained, candidates, stated: [...stated] };
}
