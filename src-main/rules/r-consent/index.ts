import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { sql } from './sql.js';
import { truth } from './truth.js';

/** Thread 0: a light statement (households with a status programme, their members' consents by index). */
const rule: RuleModule = { definition: definition as RuleDefinition, sql, requires: ['consent'], plant, truth };
export default rule;
