import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { ALIVE_BASES, sql } from './sql.js';
import { truth } from './truth.js';

/**
 * R-ALIVE 长期无生存迹象 (暂停核实). Every enrolled person's latest sign of life is made at build (ALIVE_BASES); a run
 * reads the evidence of the silent by indexed lookups per person.
 */
const rule: RuleModule = { definition: definition as RuleDefinition, sql, bases: ALIVE_BASES, requires: ['grid_visit', 'medical_settlement'], plant, truth };
export default rule;
