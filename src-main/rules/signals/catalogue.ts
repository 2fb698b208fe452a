/**
 * The monitoring signals' definitions alone (names, levels, parameters), for the renderer through rules/catalogue.ts:
 * the same definition.json files as the folders, in SIGNAL_MODULES' order (test/unit/rule-modules.test.ts holds them
 * to each other).
 */
import type { SignalDefinition } from './types.js';
import mMedical from './m-medical/definition.json' with { type: 'json' };
import mDisability from './m-disability/definition.json' with { type: 'json' };
import mUnemployed from './m-unemployed/definition.json' with { type: 'json' };
import mEducation from './m-education/definition.json' with { type: 'json' };
import mDisaster from './m-disaster/definition.json' with { type: 'json' };
import mBreadwinner from './m-breadwinner/definition.json' with { type: 'json' };
import mIncomeDrop from './m-income-drop/definition.json' with { type: 'json' };

export const SIGNAL_CATALOGUE = [mMedical, mDisability, mUnemployed, mEducation, mDisaster, mBreadwinner, mIncomeDrop] as SignalDefinition[];

// The closed loop's vocabulary (outcomes, programmes, reasons, referral departments), for the screens' forms: the same
// lists the service checks decisions against.
export { ENROL_PROGRAMS, NO_NEED_REASONS, NOT_ELIGIBLE_REASONS, PRIMARY_OUTCOMES, REFERRAL_DEPARTMENTS } from '../../domain/monitoring/warning-loop.js';
