import type { RuleModule } from '../types.js';
import { activePrograms, failsAssetTest, householdIncomeCents, thresholdCents } from '../shared/household-reference.js';

/** rules.md R-EXIT: a member has 低保 active at D, and the household's income exceeds the line or it fails the asset test.
 *
 * This is v1's reading (no §M, no v2 asset test, no 渐退): the generator plants its v1 cases with it and writes the v1
 * ground truth from it. The rule itself is held to rules.md v2 by its own truth (truth.ts, rule-truth.test.ts).
 */
export const reference: RuleModule['reference'] = {
  subject: 'household',
  fires: (h, ctx) => activePrograms(h, ctx.asOf).has('dibao') && (householdIncomeCents(h, ctx.asOf, ctx) > thresholdCents(h, ctx) || failsAssetTest(h, ctx.asOf)),
};
