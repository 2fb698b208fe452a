import { isActiveAt } from '../../domain/rules/facts.js';
import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { reference } from './reference.js';
import { MUTEX_BASES, sql } from './sql.js';
import { truth } from './truth.js';

/**
 * The reference (two programmes of a pair active at D) still writes the generator's truth for the district's own
 * households and judges the pre-check; the rule's own truth (truth.ts) is rules.md v2, with the work-injury reason and
 * the amounts. Whom a reason can name, their enrollments at D and their work-injury income are made at build
 * (MUTEX_BASES); a run applies its pairs to them.
 */
const rule: RuleModule = {
  definition: definition as RuleDefinition,
  sql,
  bases: MUTEX_BASES,
  reference,
  plant,
  truth,
  precheck: (f, asOf) => ({ code: 'EXCLUSIVE_PROGRAM', details: { current: f.enrollments.filter((e) => isActiveAt(e, asOf)).map((e) => e.program) } }),
};
export default rule;
