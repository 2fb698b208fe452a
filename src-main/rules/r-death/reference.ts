import { isActiveAt, type PersonFacts } from '../../domain/rules/facts.js';
import type { RuleModule } from '../types.js';

/** rules.md R-DEATH: an enrollment active at D and a death record dated on or before D. */
export const reference: RuleModule['reference'] = {
  subject: 'person',
  fires: (f: PersonFacts, ctx) => f.enrollments.some((e) => isActiveAt(e, ctx.asOf)) && f.death !== null && f.death.death_date <= ctx.asOf,
};
