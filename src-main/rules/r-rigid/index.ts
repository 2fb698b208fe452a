import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import { HOUSEHOLD_JUDGEMENT_OTHER } from '../shared/household-judgement.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { sql } from './sql.js';
import { truth } from './truth.js';

/**
 * On the household judgement's other part (HOUSEHOLD_JUDGEMENT_OTHER, built once per run and parameter set), with
 * R-SINGLE, R-RIGID, R-EDGE and R-COVER.
 */
const rule: RuleModule = { definition: definition as RuleDefinition, sql, prelude: HOUSEHOLD_JUDGEMENT_OTHER, partialWithout: ['disposableIncomeAnnual'], plant, truth };
export default rule;
