/**
 * The monitoring signals (预警指标, monitoring.md "Risk signals"): one folder per signal beside the rule library, each
 * exporting one SignalModule (types.ts). THE list below is the one to edit when adding a signal; its order is the
 * order warnings list their signals in. The monitored population (population/) is not a signal: it says who each
 * warning's household is.
 */
import type { SignalModule } from './types.js';
import mMedical from './m-medical/index.js';
import mDisability from './m-disability/index.js';
import mUnemployed from './m-unemployed/index.js';
import mEducation from './m-education/index.js';
import mDisaster from './m-disaster/index.js';
import mBreadwinner from './m-breadwinner/index.js';
import mIncomeDrop from './m-income-drop/index.js';

export type { SignalDefinition, SignalLevel, SignalModule, SignalRow, SignalTruth, SignalContext } from './types.js';
export { LEVELS, highestLevel, levelRank } from './types.js';
export { POPULATION, LAYERS, LAYER_NAMES, populationTruth, type Layer } from './population/index.js';
export { signalWindows, type SignalWindows } from './windows.js';

export const SIGNAL_MODULES: readonly SignalModule[] = [mMedical, mDisability, mUnemployed, mEducation, mDisaster, mBreadwinner, mIncomeDrop];

export function signalModule(id: string): SignalModule | undefined {
  return SIGNAL_MODULES.find((m) => m.definition.id === id);
}
