/**
 * Times on screen: the shared formatter (src-main/domain/local-time.ts) in the user's display zone — the OS's unless
 * the user chose another in 设置. Stored times are ISO UTC; nothing on screen shows them raw.
 */
import { formatLocalTime, localDate } from '../../src-main/domain/local-time.js';

let zone: string | undefined;

/** Called when the session is adopted (its resolved time zone). */
export function setDisplayTimeZone(timeZone: string | undefined): void {
  zone = timeZone;
}

/** `YYYY-MM-DD HH:mm` (or with seconds) in the display zone; '—' when there is no time. */
export function showTime(value: string | number | Date | null | undefined, seconds = false): string {
  return formatLocalTime(value, { seconds, timeZone: zone });
}

/** Today's date by the local calendar (defaults of date fields). */
export function today(): string {
  return localDate(Date.now(), zone);
}
