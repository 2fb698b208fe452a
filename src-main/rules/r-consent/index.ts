import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { CONSENT_BASES, sql } from './sql.js';
import { truth } from './truth.js';

/** A light statement over what the build derived (CONSENT_BASES): the uncovered members, their households' consents by index. */
const rule: RuleModule = { definition: definition as RuleDefinition, sql, bases: CONSENT_BASES, requires: ['consent'], plant, truth };
export default rule;
