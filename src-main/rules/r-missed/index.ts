import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { MISSED_BASES, sql } from './sql.js';
import { truth } from './truth.js';

/**
 * R-MISSED 应享未享（漏救）. It requires the medical_settlement feed (its `single` reason reads serious illness; without the
 * feed it could not judge that reason and would miss people silently, §F). Thread 1: indexed lookups per candidate (the
 * persons with a certificate valid at D or a serious illness), a small share of a district, made at build (MISSED_BASES).
 */
const rule: RuleModule = { definition: definition as RuleDefinition, sql, bases: MISSED_BASES, requires: ['medical_settlement'], plant, truth };
export default rule;
