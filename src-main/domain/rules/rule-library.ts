/**
 * What a rule *is*, and the pure parts of running one: its definition's shape, parameter values, the passes a run
 * makes when regions set their own values, and a finding's fingerprint. The built-in rules themselves — definition,
 * SQL, reference semantics — live one folder each in src-main/rules/.
 */
import { createHash } from 'node:crypto';
import { intersectScope } from '../division.js';
import { parameterByName, presetValue, type ParameterPreset, type ParameterType } from './parameters.js';

/** The library's families; v2 adds 业务规范 (how cases were handled: reviews, consents, 临时救助) and 主动发现 (money owed). */
export type RuleFamily = 'reminder' | 'mutex' | 'attribute' | 'economic' | 'quality' | 'spending' | 'regulation' | 'discovery';
export type SubjectKind = 'person' | 'household' | 'record';

export interface RuleParameter {
  name: string;
  /** The catalogue's type (domain/rules/parameters.ts). */
  type: ParameterType;
  default: unknown;
  label: { zh: string; en: string };
}

export interface RuleDefinition {
  id: string;
  version: number;
  family: RuleFamily;
  subjectKind: SubjectKind;
  severity: 'high' | 'medium' | 'low';
  money: boolean;
  name: { zh: string; en: string };
  /** 规则说明: what the rule finds and what it asks of the auditor, Chinese first. */
  description: { zh: string; en: string };
  /** 政策依据: the documents (and articles, where confirmed) the rule rests on (../shared/domain/policy-notes.md). */
  basis: { zh: string; en: string }[];
  /** The exact semantics over the exchange schema (rules.md), for the technically minded. */
  policy: string;
  parameters: RuleParameter[];
  /**
   * The anomaly type the monthly report counts the rule under (an id of domain/reports/report-terms.ts
   * REPORT_CATEGORIES: 应退未退, 业务规范…). Rules reported elsewhere (资金审核, 数据质检) have none.
   */
  reportCategory?: string;
  /**
   * Money owed *to* the person (主动发现, 应享未享): never money at risk. Per reason of the finding's facts, the benefit that
   * seems missing, named in the inbox, the finding, the dashboard and the report.
   */
  owed?: Record<string, { zh: string; en: string }>;
}

/**
 * Parameter values for a run: what the caller gives, else the catalogue's value for the preset (the policy default, or
 * the v1 preset under which every v1 rule returns exactly its v1 findings — rules.md §E), else the rule's own default.
 * Recorded with the run.
 */
export function resolveParameters(rule: Pick<RuleDefinition, 'parameters'>, overrides: Record<string, unknown> = {}, preset: ParameterPreset = 'policy'): Record<string, unknown> {
  return Object.fromEntries(
    rule.parameters.map((p) => {
      const catalogued = parameterByName(p.name);
      return [p.name, overrides[p.name] ?? (catalogued ? presetValue(catalogued, preset) : p.default)];
    }),
  );
}

/** A parameter value set for a region (division prefix) from a date on, e.g. an older child age limit in one county. */
export interface RegionalParameter {
  ruleId: string;
  name: string;
  divisionPrefix: string;
  effectiveFrom: string;
  value: unknown;
}

export interface RulePass {
  /** null: the base pass (library defaults and run overrides); otherwise the region whose values this pass uses. */
  region: string | null;
  parameters: Record<string, unknown>;
  /** Division prefixes this pass reads (null: the whole snapshot). */
  scope: string[] | null;
}

/**
 * How to run one rule when regions set their own parameter values: a base pass over the whole scope, and one pass per
 * region with the values in force there at `asOf` (a region inherits from the wider regions containing it; the
 * narrowest wins). A finding belongs to the pass of the narrowest region containing its division.
 */
export function planRulePasses(
  rule: Pick<RuleDefinition, 'id' | 'parameters'>,
  base: Record<string, unknown>,
  regional: readonly RegionalParameter[],
  asOf: string,
  scope: readonly string[] | null,
): RulePass[] {
  const inForce = regional.filter((p) => p.ruleId === rule.id && p.effectiveFrom <= asOf && rule.parameters.some((d) => d.name === p.name));
  // The latest value per (region, name).
  const latest = new Map<string, RegionalParameter>();
  for (const p of inForce) {
    const key = `${p.divisionPrefix}|${p.name}`;
    if (!latest.has(key) || latest.get(key)!.effectiveFrom < p.effectiveFrom) latest.set(key, p);
  }
  const regions = [...new Set([...latest.values()].map((p) => p.divisionPrefix))].sort((a, b) => a.length - b.length);
  const passes: RulePass[] = [{ region: null, parameters: base, scope: scope ? [...scope] : null }];
  for (const region of regions) {
    const passScope = scope ? intersectScope(region, scope) : [region];
    if (passScope.length === 0) continue;
    const parameters = { ...base };
    for (const r of regions.filter((x) => region.startsWith(x))) {
      for (const p of latest.values()) if (p.divisionPrefix === r) parameters[p.name] = p.value;
    }
    passes.push({ region, parameters, scope: passScope });
  }
  return passes;
}

/** The pass a finding in `divisionCode` belongs to: the narrowest region containing it, else the base pass. */
export function passOf(passes: readonly RulePass[], divisionCode: string | null): RulePass {
  let best = passes[0]!;
  for (const p of passes) if (p.region && divisionCode?.startsWith(p.region) && (!best.region || p.region.length > best.region.length)) best = p;
  return best;
}

/**
 * A finding's identity across runs and snapshots: the rule, the subject and the facts that make this anomaly this
 * anomaly (a death date, an exclusive pair, the payments involved). Not the rule version, not the snapshot, not the
 * amount: a re-run on next month's data recognises the same finding and never opens a second case for it.
 */
export function findingFingerprint(ruleId: string, subjectKind: SubjectKind, subjectId: string, facts: string | null): string {
  return createHash('sha256').update(JSON.stringify([ruleId, subjectKind, subjectId, facts ?? ''])).digest('hex').slice(0, 32);
}
