import { isActiveAt } from '../../domain/rules/facts.js';
import type { RuleModule } from '../types.js';
import { parameterByName } from '../../domain/rules/parameters.js';

/** The exclusive pairs at the policy default (domain/rules/parameters.ts: the Jiangbei library's four, and 特困 × 护理补贴). */
export const DEFAULT_MUTEX_PAIRS = parameterByName('exclusivePairs')!.default as readonly (readonly [string, string])[];

/** rules.md R-MUTEX: two enrollments active at D in an exclusive pair. */
export const reference: RuleModule['reference'] = {
  subject: 'person',
  fires: (f, ctx) => {
    const programs = new Set(f.enrollments.filter((e) => isActiveAt(e, ctx.asOf)).map((e) => e.program));
    return (ctx.mutexPairs ?? DEFAULT_MUTEX_PAIRS).some(([a, b]) => programs.has(a) && programs.has(b));
  },
};
