import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { sql } from './sql.js';
import { truth } from './truth.js';

/** R-LINSHI 临时救助异常: reads v1 tables only (and §M's imprisonment, absent = nobody removed); cheap (linshi awards only). */
const rule: RuleModule = { definition: definition as RuleDefinition, sql, plant, truth };
export default rule;
