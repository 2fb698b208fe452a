import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { reference } from './reference.js';
import { sql } from './sql.js';

const rule: RuleModule = {
  definition: definition as RuleDefinition,
  sql,
  reference,
  precheck: (f, asOf) => ({ code: 'MOVED_OUT', details: { to: f.hukouEvents.filter((h) => h.event_date <= asOf).at(-1)?.to_division } }),
};
export default rule;
