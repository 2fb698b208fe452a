import type { SignalDefinition, SignalModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { sql } from './sql.js';
import { truth } from './truth.js';

const signal: SignalModule = { definition: definition as SignalDefinition, sql, plant, truth };
export default signal;
