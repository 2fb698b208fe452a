import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { sql } from './sql.js';
import { truth } from './truth.js';

/** Thread 1: a light statement (households on 低保/特困, their latest review, income and certificates by index). */
const rule: RuleModule = { definition: definition as RuleDefinition, sql, requires: ['review'], plant, truth };
export default rule;
