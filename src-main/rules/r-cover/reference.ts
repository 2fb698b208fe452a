import type { RuleModule } from '../types.js';
import { activePrograms, failsAssetTest, householdIncomeCents, thresholdCents } from '../shared/household-reference.js';

/** rules.md R-COVER: 低保边缘 active at D, no 低保 or 特困, income at or below the line, and the asset test passed. */
export const reference: RuleModule['reference'] = {
  subject: 'household',
  fires: (h, ctx) => {
    const programs = activePrograms(h, ctx.asOf);
    return programs.has('dibao_edge') && !programs.has('dibao') && !programs.has('tekun') && householdIncomeCents(h, ctx.asOf, ctx) <= thresholdCents(h, ctx) && !failsAssetTest(h, ctx.asOf);
  },
};
