/**
 * Policy parameters (政策参数): the standard that applies to a division on a date is the one whose division_prefix is
 * the longest prefix of the division code, with the latest effective_from on or before the date (rules.md).
 */
import type { PolicyRow } from './exchange/rows.js';

export function standardCentsFor(policies: readonly PolicyRow[], program: string, divisionCode: string, on: string): number | null {
  let best: PolicyRow | null = null;
  for (const p of policies) {
    if (p.program !== program || !divisionCode.startsWith(p.division_prefix) || p.effective_from > on) continue;
    if (
      !best ||
      p.division_prefix.length > best.division_prefix.length ||
      (p.division_prefix.length === best.division_prefix.length && p.effective_from > best.effective_from)
    ) {
      best = p;
    }
  }
  return best ? best.standard_monthly_cents : null;
}
