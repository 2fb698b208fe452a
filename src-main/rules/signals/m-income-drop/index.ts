import type { SignalDefinition, SignalModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { sql } from './sql.js';
import { truth } from './truth.js';

/** Thread 0: it reads every earner’s income lines, on its own. */
const signal: SignalModule = { definition: definition as SignalDefinition, sql, plant, truth, thread: 0 };
export default signal;
