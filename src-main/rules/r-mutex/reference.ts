import { isActiveAt } from '../../domain/rules/facts.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };

/** The default exclusive pairs (the `pairs` parameter's default: the Jiangbei rule library). */
export const DEFAULT_MUTEX_PAIRS = definition.parameters.find((p) => p.name === 'pairs')!.default as unknown as readonly (readonly [string, string])[];

/** rules.md R-MUTEX: two enrollments active at D in an exclusive pair. */
export const reference: RuleModule['reference'] = {
  subject: 'person',
  fires: (f, ctx) => {
    const programs = new Set(f.enrollments.filter((e) => isActiveAt(e, ctx.asOf)).map((e) => e.program));
    return (ctx.mutexPairs ?? DEFAULT_MUTEX_PAIRS).some(([a, b]) => programs.has(a) && programs.has(b));
  },
};
