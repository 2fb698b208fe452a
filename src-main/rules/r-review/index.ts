import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { REVIEW_BASES, sql } from './sql.js';
import { truth } from './truth.js';

/** Thread 1: a light statement over its bases (households on 低保/特困 at D, their latest review; certificates by index). */
const rule: RuleModule = { definition: definition as RuleDefinition, sql, bases: REVIEW_BASES, requires: ['review'], plant, truth };
export default rule;
