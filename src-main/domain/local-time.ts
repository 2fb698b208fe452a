/**
 * The one way a time is shown: stored times are ISO UTC; people read them in the workstation's time zone (the OS's, or
 * the one chosen in settings), as `YYYY-MM-DD HH:mm` (with seconds where the order of events matters), and dates come
 * from the local calendar — an entry at 07:30 Beijing time is dated today, not yesterday (its UTC date).
 * Used by screens, exports, reports and file names alike.
 */

/** The time zone of this process (the OS's), e.g. 'Asia/Shanghai'. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Whether this runtime knows an IANA zone name. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zones offered in 设置 (China's two in use, and UTC); the OS's zone is always offered as 'system'. */
export const OFFERED_TIME_ZONES = ['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'UTC'] as const;

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(timeZone: string, date: Date): Record<string, string> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return Object.fromEntries(f.formatToParts(date).map((p) => [p.type, p.value]));
}

function toDate(value: string | number | Date): Date | null {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `YYYY-MM-DD HH:mm` (or `…:ss`) in the given zone; '—' for a missing or unreadable time. */
export function formatLocalTime(value: string | number | Date | null | undefined, o: { seconds?: boolean; timeZone?: string } = {}): string {
  const d = value === null || value === undefined || value === '' ? null : toDate(value);
  if (!d) return '—';
  const p = partsIn(o.timeZone ?? systemTimeZone(), d);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${o.seconds ? `:${p.second}` : ''}`;
}

/** The local calendar date `YYYY-MM-DD` of an instant (for today, the caller passes its clock's instant). */
export function localDate(value: string | number | Date, timeZone?: string): string {
  const d = toDate(value);
  if (!d) return '';
  const p = partsIn(timeZone ?? systemTimeZone(), d);
  return `${p.year}-${p.month}-${p.day}`;
}

/** A compact local stamp for file names: `YYYYMMDD-HHmmss`. */
export function localFileStamp(value: string | number | Date, timeZone?: string): string {
  const d = toDate(value) ?? new Date(0);
  const p = partsIn(timeZone ?? systemTimeZone(), d);
  return `${p.year}${p.month}${p.day}-${p.hour}${p.minute}${p.second}`;
}
