/**
 * The rule library as data: the built-in rules of rules.md ship in resources/rules/builtin-rules.json (names in both
 * languages, family, subject kind, severity, the policy text, parameters with defaults). Their SQL lives with the
 * other snapshot queries (store/snapshot/rule-queries.ts); this module knows only what a rule *is*.
 */
import { createHash } from 'node:crypto';
import library from '../../../resources/rules/builtin-rules.json' with { type: 'json' };

export type RuleFamily = 'reminder' | 'mutex' | 'attribute' | 'economic' | 'quality' | 'spending';
export type SubjectKind = 'person' | 'household' | 'record';

export interface RuleParameter {
  name: string;
  type: 'integer' | 'programPairs';
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
  policy: string;
  parameters: RuleParameter[];
}

export const BUILTIN_RULES: readonly RuleDefinition[] = library.rules as RuleDefinition[];

export function ruleById(id: string): RuleDefinition | undefined {
  return BUILTIN_RULES.find((r) => r.id === id);
}

/** Parameter values for a run: the defaults, overridden by what the caller gives (and recorded with the run). */
export function resolveParameters(rule: RuleDefinition, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(rule.parameters.map((p) => [p.name, overrides[p.name] ?? p.default]));
}

/**
 * A finding's identity across runs and snapshots: the rule, the subject and the facts that make this anomaly this
 * anomaly (a death date, an exclusive pair, the payments involved). Not the rule version, not the snapshot, not the
 * amount: a re-run on next month's data recognises the same finding and never opens a second case for it.
 */
export function findingFingerprint(ruleId: string, subjectKind: SubjectKind, subjectId: string, facts: string | null): string {
  return createHash('sha256').update(JSON.stringify([ruleId, subjectKind, subjectId, facts ?? ''])).digest('hex').slice(0, 32);
}
