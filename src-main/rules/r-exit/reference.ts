import type { RuleModule } from '../types.js';
import { activePrograms, failsAssetTest, householdIncomeCents, thresholdCents } from '../shared/household-reference.js';

/** rules.md R-EXIT: a member has 低保 active at D, and the household's income exceeds the line or it fails the asset test. */
export const reference: RuleModule['reference'] = {
  subject: 'household',
  fires: (h, ctx) => activePrograms(h, ctx.asOf).has('dibao') && (householdIncomeCents(h, ctx.asOf, ctx) > thresholdCents(h, ctx) || failsAssetTest(h, ctx.asOf)),
};
