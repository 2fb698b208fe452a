import type { SignalDefinition, SignalModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { sql } from './sql.js';
import { truth } from './truth.js';

/** Thread 1: beside M-UNEMPLOYED’s scan of the wages and the population. */
const signal: SignalModule = { definition: definition as SignalDefinition, sql, plant, truth, thread: 1 };
export default signal;
