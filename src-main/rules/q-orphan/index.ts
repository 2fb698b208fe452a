import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { sql } from './sql.js';

/** Its v2 defects are planted here and recorded in the generator's truth (a Q-rule has no truth.ts of its own). */
const rule: RuleModule = { definition: definition as RuleDefinition, sql, plant };
export default rule;
