import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { reference } from './reference.js';
import { paymentFlags, sql } from './sql.js';
import { truth } from './truth.js';

/**
 * No feed is required: without 渐退 data (every v1 snapshot) nothing is exempt, as in v1. The reference (v1's semantics)
 * still writes the generator's truth for the district's own households; the rule's own truth (truth.ts) is rules.md v2.
 */
const rule: RuleModule = { definition: definition as RuleDefinition, sql, reference, plant, truth, paymentFlags };
export default rule;
