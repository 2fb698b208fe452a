/**
 * rules.md v2 F-AMOUNT's due amount under 渐退, in plain TypeScript (the truths' and plants' reading; the SQL is
 * f-amount/sql.ts).
 */
import type { GradualExitRow } from '../../domain/exchange/rows.js';
import { decimalTimes10k } from '../../domain/rules/parameters.js';

/**
 * What a payment of `period` under an enrollment of `monthly` cents should be: the monthly amount, or inside a 渐退
 * period round_half_up(monthly × pay_ratio) with the ratio as an integer × 10⁴ (the latest-starting row when they overlap).
 */
export function amountDue(monthly: number, period: string, gradual: readonly GradualExitRow[]): number {
  const covering = gradual.filter((g) => g.start_period <= period && period <= g.end_period).sort((a, b) => (a.start_period < b.start_period ? 1 : -1))[0];
  if (!covering) return monthly;
  const ratio10k = decimalTimes10k(covering.pay_ratio ?? 1);
  return Math.floor((monthly * ratio10k + 5_000) / 10_000);
}
