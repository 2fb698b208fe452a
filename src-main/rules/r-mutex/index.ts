import { isActiveAt } from '../../domain/rules/facts.js';
import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { reference } from './reference.js';
import { sql } from './sql.js';

const rule: RuleModule = {
  definition: definition as RuleDefinition,
  sql,
  reference,
  precheck: (f, asOf) => ({ code: 'EXCLUSIVE_PROGRAM', details: { current: f.enrollments.filter((e) => isActiveAt(e, asOf)).map((e) => e.program) } }),
  thread: 0,
};
export default rule;
