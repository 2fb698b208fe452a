import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { sql } from './sql.js';

const rule: RuleModule = { definition: definition as RuleDefinition, sql };
export default rule;
