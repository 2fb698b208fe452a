import type { RuleModule } from '../types.js';
import { activePrograms, failsAssetTest, householdIncomeCents, thresholdCents } from '../shared/household-reference.js';

/** rules.md R-COVER: 低保边缘 active at D, no 低保 or 特困, income at or below the line, and the asset test passed.
 *
 * This is v1's reading (no §M, no v2 asset test, no 渐退): the generator plants its v1 cases with it and writes the v1
 * ground truth from it. The rule itself is held to rules.md v2 by its own truth (truth.ts, rule-truth.test.ts).
 */
export const reference: RuleModule['reference'] = {
  subject: 'household',
  fires: (h, ctx) => {
    const programs = activePrograms(h, ctx.asOf);
    return programs.has('dibao_edge') && !programs.has('dibao') && !programs.has('tekun') && householdIncomeCents(h, ctx.asOf, ctx) <= thresholdCents(h, ctx) && !failsAssetTest(h, ctx.asOf);
  },
};
