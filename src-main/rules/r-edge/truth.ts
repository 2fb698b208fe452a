/** R-EDGE's truth: rules.md v2 "R-EDGE" in plain TypeScript over a district's rows (independent of sql.ts). */
import { decimalTimes10k } from '../../domain/rules/parameters.js';
import type { RuleModule } from '../types.js';
import { MeansTruth } from '../shared/means-truth.js';

export const truth: NonNullable<RuleModule['truth']> = (rows, { asOf: d, parameters }) => {
  const t = new MeansTruth(rows, d, parameters);
  const multiple = decimalTimes10k(Number(parameters.edgeMultiple));
  const found: { subjectId: string }[] = [];
  for (const id of t.h.households()) {
    const programs = t.programs(id);
    // A member's 单人保 does not block it (as for R-COVER); a household-coverage 低保 or 特困 does.
    if (!programs.has('dibao_edge') || programs.has('dibao') || programs.has('tekun')) continue;
    const m = t.means(id);
    const overEdge = m.standard !== null && m.income * 10_000 >= multiple * m.standard * t.months * m.members.length;
    if (overEdge || m.failsAssets) found.push({ subjectId: id });
  }
  return found;
};
