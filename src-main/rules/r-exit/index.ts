import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import { HOUSEHOLD_JUDGEMENT_DIBAO } from '../shared/household-judgement.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { reference } from './reference.js';
import { plant } from './plants.js';
import { sql } from './sql.js';
import { truth } from './truth.js';

const rule: RuleModule = { definition: definition as RuleDefinition, sql, prelude: HOUSEHOLD_JUDGEMENT_DIBAO, reference, truth, plant };
export default rule;
