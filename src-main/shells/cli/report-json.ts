/** How `check` and `monitor` write their JSON reports. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { JsonText } from '../../domain/json-text.js';

/**
 * Writes `report` as JSON: its header indented for reading, and each entry of its list `listKey` (findings, warnings) on
 * one line of its own. A district's report runs to hundreds of thousands of entries; indenting every field of every
 * one made the file almost twice the size and cost the 233,675-person `check` a fifth of its whole process time (about
 * 120 ms of 670), while one entry per line still greps and diffs an entry at a time. An entry's fields that are
 * JsonText (a finding's evidence) are copied as they are, after its other fields. The file is owner-only.
 */
export function writeReportJson<K extends string>(file: string, report: Record<K, readonly unknown[]> & Record<string, unknown>, listKey: K): void {
  const { [listKey]: entries, ...header } = report;
  const head = JSON.stringify(header, null, 2);
  const fd = openSync(file, 'w', 0o600);
  try {
    writeSync(fd, `${head.slice(0, -2)},\n  ${JSON.stringify(listKey)}: [`);
    const list = entries as readonly unknown[];
    // In pieces of a few thousand entries: one string of the whole list would be another copy of the report in memory.
    for (let i = 0; i < list.length; i += 2_000) {
      const lines = list.slice(i, i + 2_000).map((e) => `\n    ${entryLine(e)}`);
      writeSync(fd, (i > 0 ? ',' : '') + lines.join(','));
    }
    writeSync(fd, `${list.length ? '\n  ' : ''}]\n}\n`);
  } finally {
    closeSync(fd);
  }
}

/** One entry as JSON on one line, its JsonText fields copied as they are (last: an entry's field order is not meaningful). */
function entryLine(entry: unknown): string {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return JSON.stringify(entry);
  const fields = Object.entries(entry);
  const texts = fields.filter((f): f is [string, JsonText] => f[1] instanceof JsonText);
  if (!texts.length) return JSON.stringify(entry);
  const plain = JSON.stringify(Object.fromEntries(fields.filter(([, v]) => !(v instanceof JsonText))));
  const tail = texts.map(([k, v]) => `${JSON.stringify(k)}:${v.text}`).join(',');
  return plain === '{}' ? `{${tail}}` : `${plain.slice(0, -1)},${tail}}`;
}
