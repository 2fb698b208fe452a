import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import { HOUSEHOLD_JUDGEMENT_OTHER } from '../shared/household-judgement.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { SINGLE_BASES, sql } from './sql.js';
import { truth } from './truth.js';

/**
 * On the household judgement's other part (built once per run and parameter set), with R-RIGID, R-EDGE and R-COVER;
 * who is judged and their condition at D are made at build (SINGLE_BASES).
 */
const rule: RuleModule = { definition: definition as RuleDefinition, sql, prelude: HOUSEHOLD_JUDGEMENT_OTHER, bases: SINGLE_BASES, requires: ['medical_settlement'], plant, truth };
export default rule;
