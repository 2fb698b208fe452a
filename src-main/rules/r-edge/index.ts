import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import { HOUSEHOLD_JUDGEMENT_OTHER } from '../shared/household-judgement.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { sql } from './sql.js';
import { truth } from './truth.js';

/** Thread 0, with the other rules on the household judgement (built once per run and parameter set). */
const rule: RuleModule = { definition: definition as RuleDefinition, sql, prelude: HOUSEHOLD_JUDGEMENT_OTHER, plant, truth };
export default rule;
