/**
 * Rule parameters as the team's policy (rules.md §P): what 规则核查 shows (the catalogue with defaults and sources, the
 * values regions set), setting and taking back one value, and a region's whole set in and out as a file. The values
 * live in the team store; every run reads them (regionalForRules) and records what it used.
 */
import { CallError } from '../../contract/errors.js';
import { isWithinScope } from '../../domain/division.js';
import type { RegionalParameter } from '../../domain/rules/rule-library.js';
import { BUILTIN_RULES } from '../../rules/index.js';
import { POPULATION, SIGNAL_MODULES } from '../../rules/signals/index.js';
import { ParameterFileError, readParameterFile, readParameterValue, writeParameterFile, writeValue } from '../../domain/rules/parameter-file.js';
import { MOVED_SOURCE, parameterByName, PARAMETERS, resolveParameter, sourceTexts, type RegionalValue } from '../../domain/rules/parameters.js';
import type { TeamDb } from '../../store/team/team-db.js';
import type { WorkspaceDb } from '../../store/workspace/workspace-db.js';
import type { SessionUser } from '../sessions.js';
import { parameterTexts } from './parameter-text.js';


/** The rules — and the monitoring signals and population (rules/signals/) — that read a parameter. */
function rulesReading(name: string) {
  return [...BUILTIN_RULES, ...SIGNAL_MODULES.map((m) => m.definition), POPULATION].filter((r) => r.parameters.some((p) => p.name === name)).map((r) => ({ id: r.id, name: r.name }));
}

/** The catalogue, and the team's values (none while the team store is not open to the user). */
export function parameterOverview(team: TeamDb | null) {
  return {
    catalogue: PARAMETERS.map((p) => ({
      name: p.name,
      label: p.label,
      type: p.type,
      unit: p.unit,
      nullable: p.nullable,
      default: writeValue(p, p.default),
      defaultText: parameterTexts(p, p.default),
      source: p.source,
      sourceText: sourceTexts(p, p.source),
      rules: rulesReading(p.name),
    })),
    values: (team?.parameters.list() ?? []).map((v) => {
      const p = parameterByName(v.name);
      return { ...v, value: p ? writeValue(p, v.value) : v.value, text: valueTexts(p, v.value), sourceText: sourceTexts(p, v.source) };
    }),
  };
}

const refused = (error: unknown): never => {
  if (error instanceof ParameterFileError) throw new CallError('INVALID_INPUT', error.message, { problems: error.problems });
  throw error;
};

export function setParameter(team: TeamDb, user: SessionUser, input: { name: string; divisionPrefix: string; effectiveFrom: string; value: unknown; source: string }, at: string) {
  let value: unknown;
  try {
    value = readParameterValue(input.name, input.value);
  } catch (error) {
    refused(error);
  }
  team.parameters.set([{ name: input.name, divisionPrefix: input.divisionPrefix, effectiveFrom: input.effectiveFrom, value, source: input.source.trim() }], user.username, at);
  return parameterOverview(team);
}

export function removeParameter(team: TeamDb, input: { name: string; divisionPrefix: string; effectiveFrom: string }) {
  if (!team.parameters.remove(input.name, input.divisionPrefix, input.effectiveFrom)) throw new CallError('NOT_FOUND', 'no such parameter value');
  return parameterOverview(team);
}

/** A region's file: every value in it, or none; the region must lie inside the supervisor's scope. */
export function importParameters(team: TeamDb, user: SessionUser, text: string, at: string) {
  let file;
  try {
    file = readParameterFile(text);
  } catch (error) {
    return refused(error);
  }
  if (!isWithinScope(file.region, user.scope)) {
    throw new CallError('OUT_OF_SCOPE', `the file sets values for ${file.region}, outside your data scope`);
  }
  team.parameters.set(file.values, user.username, at);
  return parameterOverview(team);
}

/** The values a region set from one date, as the region file (what importParameters reads back). */
export function exportParameters(team: TeamDb, divisionPrefix: string, effectiveFrom: string) {
  const values = team.parameters.list().filter((v) => v.divisionPrefix === divisionPrefix && v.effectiveFrom === effectiveFrom);
  if (values.length === 0) throw new CallError('NOT_FOUND', 'this region set no values from that date');
  return { fileName: `规则参数-${divisionPrefix}-${effectiveFrom}.json`, text: writeParameterFile({ region: divisionPrefix, effectiveFrom, values }) };
}

/**
 * The team's values as the rule engine plans its passes: one row per rule that reads the parameter, under the name the
 * rule binds.
 */
export function regionalForRules(values: readonly RegionalValue[]): (RegionalParameter & { source: string })[] {
  return values.flatMap((v) =>
    BUILTIN_RULES.flatMap((r) =>
      r.parameters.filter((p) => p.name === v.name).map((p) => ({ ruleId: r.id, name: p.name, divisionPrefix: v.divisionPrefix, effectiveFrom: v.effectiveFrom, value: v.value, source: v.source })),
    ),
  );
}

/** Every catalogued parameter's value in force for one division at a date (the region's own over the national default). */
export function regionalParametersFor(values: readonly RegionalValue[], divisionCode: string, asOf: string): Record<string, unknown> {
  return Object.fromEntries(PARAMETERS.map((p) => [p.name, resolveParameter(p, values, divisionCode, asOf).value]));
}

/**
 * Values a supervisor set before parameters were the team's lived in their own workspace: they move into the team store
 * once (an existing team value for the same region and date wins), marked as needing their source.
 */
export function adoptWorkspaceParameters(workspace: WorkspaceDb, team: TeamDb, at: string): void {
  const old = workspace.regionalParameters();
  if (old.length === 0) return;
  const taken = new Set(team.parameters.list().map((v) => `${v.name}|${v.divisionPrefix}|${v.effectiveFrom}`));
  for (const o of old) {
    // R-MUTEX's pairs were named `pairs` before the catalogue.
    const name = o.name === 'pairs' ? 'exclusivePairs' : o.name;
    if (!parameterByName(name) || taken.has(`${name}|${o.divisionPrefix}|${o.effectiveFrom}`)) continue;
    team.parameters.set([{ name, divisionPrefix: o.divisionPrefix, effectiveFrom: o.effectiveFrom, value: o.value, source: MOVED_SOURCE }], o.setBy, at);
  }
  workspace.clearRegionalParameters();
}

/** A value a run recorded, named and in words. */
export function describeRunValue(v: RegionalValue) {
  const p = parameterByName(v.name);
  return { ...v, label: p?.label ?? { zh: v.name, en: v.name }, text: valueTexts(p, v.value), sourceText: sourceTexts(p, v.source) };
}

/** A value in words in both languages (a parameter the catalogue no longer knows, as its JSON). */
function valueTexts(p: ReturnType<typeof parameterByName>, value: unknown): { zh: string; en: string } {
  return p ? parameterTexts(p, value) : { zh: JSON.stringify(value), en: JSON.stringify(value) };
}
