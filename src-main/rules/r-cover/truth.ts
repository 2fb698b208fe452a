/**
 * R-COVER's truth: rules.md v2 "R-COVER" read over a district's rows in plain TypeScript (independent of sql.ts).
 */
import type { RuleModule } from '../types.js';
import { MeansTruth } from '../shared/means-truth.js';

export const truth: NonNullable<RuleModule['truth']> = (rows, { asOf: d, parameters }) => {
  const t = new MeansTruth(rows, d, parameters);
  const found: { subjectId: string }[] = [];
  for (const id of t.h.households()) {
    const programs = t.programs(id);
    // Only a household-coverage 低保 blocks it (a member's 单人保 does not).
    if (!programs.has('dibao_edge') || programs.has('dibao') || programs.has('tekun')) continue;
    const m = t.means(id);
    if (m.standard !== null && m.income <= m.standard * t.months * m.members.length && !m.failsAssets) found.push({ subjectId: id });
  }
  return found;
};
