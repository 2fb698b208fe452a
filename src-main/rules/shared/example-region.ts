/**
 * The example regional parameter set the demo district ships (rules.md v2 §P: "labelled as an example"): a county's
 * implementing rules as one parameter file, in the format the checks screen imports. The rules' plants aim some
 * boundaries at its values (a vehicle worth exactly its exemption limit, and one 分 more), and the truth tests run every
 * rule once with it besides the national defaults.
 */
import { readParameterFile, type ParameterFile } from '../../domain/rules/parameter-file.js';
import text from './example-region.json' with { type: 'json' };

export const EXAMPLE_REGION: ParameterFile = readParameterFile(JSON.stringify(text));

/** The example's value of a parameter (as the workstation holds it: money in cents). */
export function exampleValue(name: string): unknown {
  return EXAMPLE_REGION.values.find((v) => v.name === name)?.value;
}
