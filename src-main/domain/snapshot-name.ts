/**
 * A snapshot's identifier as its reader says it. A platform's snapshot ids are opaque (shown as they are); the built-in
 * demo district's is made here, in Chinese words (演示数据-2026-11-30), so an English reader is told "Demo data
 * 2026-11-30" — on screen (home, sync, the dashboard), in the audit trail and in reports alike.
 */
const DEMO_PREFIX = '演示数据-';

/** The demo district's snapshot id for its as-of date (the id it is stored and audited under, in every language). */
export function demoSnapshotId(asOf: string): string {
  return `${DEMO_PREFIX}${asOf}`;
}

/** `id` in the reader's language: the demo district's in words, any other as it is. */
export function snapshotName(id: string, language: string = 'zh-CN'): string {
  if (language !== 'en' || !id.startsWith(DEMO_PREFIX)) return id;
  return `Demo data ${id.slice(DEMO_PREFIX.length)}`;
}
