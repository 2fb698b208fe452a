/**
 * The months and dates the signals compare with (monitoring.md, rules.md §T), computed once from D, the parameters and
 * the snapshot's feeds, and bound by name into every signal's statement — so that no statement does month arithmetic
 * of its own and two statements cannot disagree about "the window".
 */
import { addMonths, addMonthsToDate, monthOf } from '../../domain/calendar.js';

export interface SignalWindows {
  /** The window: the `windowMonths` months to D (first month, first day). */
  windowFrom: string;
  windowStart: string;
  /** The year: the 12 months to D. */
  yearFrom: string;
  yearStart: string;
  /** M-INCOME-DROP's P: the `priorMonths` calendar months before the window. */
  priorFrom: string;
  priorTo: string;
  /** M-UNEMPLOYED (b): the window ending at min(month(D), the newest income period delivered), and the 9 months before it. */
  wageWindowFrom: string;
  wageWindowTo: string;
  wageBaseFrom: string;
  wageBaseTo: string;
  /** The population: an exit counts when after this date (addMonths(D, −exitedMonths)); a refusal likewise. */
  exitedAfter: string;
  refusedAfter: string;
}

const int = (v: unknown, fallback: number) => (Number.isInteger(Number(v)) && Number(v) > 0 ? Number(v) : fallback);

export function signalWindows(asOf: string, parameters: Record<string, unknown>, incomeFeedMonth: string | null): SignalWindows {
  const month = monthOf(asOf);
  const w = int(parameters.windowMonths, 3);
  const p = int(parameters.priorMonths, 3);
  const windowFrom = addMonths(month, -(w - 1));
  const yearFrom = addMonths(month, -11);
  // A late income feed must not stop everyone's wages: the wage window ends with the newest month delivered.
  const wageEnd = incomeFeedMonth && incomeFeedMonth < month ? incomeFeedMonth : month;
  const wageWindowFrom = addMonths(wageEnd, -(w - 1));
  return {
    windowFrom,
    windowStart: `${windowFrom}-01`,
    yearFrom,
    yearStart: `${yearFrom}-01`,
    priorFrom: addMonths(windowFrom, -p),
    priorTo: addMonths(windowFrom, -1),
    wageWindowFrom,
    wageWindowTo: wageEnd,
    wageBaseFrom: addMonths(wageWindowFrom, -9),
    wageBaseTo: addMonths(wageWindowFrom, -1),
    exitedAfter: addMonthsToDate(asOf, -int(parameters.exitedMonths, 24)),
    refusedAfter: addMonthsToDate(asOf, -int(parameters.refusedMonths, 12)),
  };
}
