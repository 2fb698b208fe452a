import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { LINSHI_BASES, sql } from './sql.js';
import { truth } from './truth.js';

/**
 * R-LINSHI 临时救助异常: reads v1 tables only (and §M's imprisonment, absent = nobody removed). The awards, their
 * payments and the year's awards priced at D are made at build (LINSHI_BASES); a run applies its limits to them.
 */
const rule: RuleModule = { definition: definition as RuleDefinition, sql, bases: LINSHI_BASES, plant, truth };
export default rule;
