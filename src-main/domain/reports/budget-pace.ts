/**
 * F-BUDGET, budget execution: how much of a year's budget was paid by the snapshot's month, against the share of the
 * year that has elapsed, and where the run rate leads by year end. Pure arithmetic on integer cents.
 */
export interface BudgetLine {
  divisionPrefix: string;
  program: string;
  year: number;
  budgetCents: number;
  paidCents: number;
}

export interface BudgetPace extends BudgetLine {
  /** Months of `year` elapsed at the snapshot's date (1–12). */
  monthsElapsed: number;
  /** The budget the elapsed months should have used: budget × months / 12. */
  expectedCents: number;
  /** Paid ÷ expected (1 = on pace); null for a zero budget. */
  pace: number | null;
  /** Paid ÷ months × 12: where the run rate ends the year. */
  forecastCents: number;
  /** Over: paid ahead of the elapsed share by more than the tolerance; under: behind by more. */
  status: 'over' | 'under' | 'on_pace';
}

/** ±10 %: a programme paying a tenth faster or slower than the calendar is worth a look. */
export const PACE_TOLERANCE = 0.1;

/** The months of `year` covered by a snapshot as of `asOf` (YYYY-MM-DD): its month counts as elapsed. */
export function monthsElapsed(asOf: string, year: number): number {
  const y = Number(asOf.slice(0, 4));
  if (y < year) return 0;
  if (y > year) return 12;
  return Number(asOf.slice(5, 7));
}

export function budgetPace(line: BudgetLine, asOf: string, tolerance = PACE_TOLERANCE): BudgetPace {
  const months = monthsElapsed(asOf, line.year);
  const expectedCents = Math.round((line.budgetCents * months) / 12);
  const pace = expectedCents > 0 ? line.paidCents / expectedCents : null;
  const forecastCents = months > 0 ? Math.round((line.paidCents / months) * 12) : 0;
  const status = pace === null ? (line.paidCents > 0 ? 'over' : 'on_pace') : pace > 1 + tolerance ? 'over' : pace < 1 - tolerance ? 'under' : 'on_pace';
  return { ...line, monthsElapsed: months, expectedCents, pace, forecastCents, status };
}
