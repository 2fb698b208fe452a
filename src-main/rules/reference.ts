/**
 * rules.md, evaluated in plain TypeScript over the rows of one household: each rule's reference.ts, in library order.
 *
 * This is the *reference* semantics: the generator uses it to write the ground truth for the data it plants, the
 * pre-check judges one application with it, and tests hold the SQL rule engine to it. It favours being obviously right
 * over being fast; production checks run as SQL. Person rules look at one person's rows; household rules (R-EXIT,
 * R-COVER) at the household's members. Notation as in rules.md: D = asOf, J = jurisdiction prefixes.
 */
import type { EvaluationContext, HouseholdFacts, PersonFacts } from '../domain/rules/facts.js';
import { RULE_MODULES } from './index.js';

export { isActiveAt, type EvaluationContext, type HouseholdFacts, type PersonFacts } from '../domain/rules/facts.js';

/** The id of a rule with reference semantics. */
export type RuleId = string;

export interface ReferenceFinding {
  rule: RuleId;
  subjectKind: 'person' | 'household';
  subjectId: string;
}

/** The person rules that fire on one person's rows, in library order. */
export function evaluatePerson(f: PersonFacts, ctx: EvaluationContext): RuleId[] {
  return RULE_MODULES.filter((m) => m.reference?.subject === 'person' && m.reference.fires(f, ctx)).map((m) => m.definition.id);
}

/** The household rules that fire on one household's rows, in library order. */
export function evaluateHousehold(h: HouseholdFacts, ctx: EvaluationContext): RuleId[] {
  return RULE_MODULES.filter((m) => m.reference?.subject === 'household' && m.reference.fires(h, ctx)).map((m) => m.definition.id);
}

/** Every finding for one household: its own rules and those of each member person. */
export function evaluateHouseholdAndMembers(h: HouseholdFacts, ctx: EvaluationContext): ReferenceFinding[] {
  const findings: ReferenceFinding[] = evaluateHousehold(h, ctx).map((rule) => ({ rule, subjectKind: 'household', subjectId: h.household.household_id }));
  for (const m of h.members) {
    const p = h.people.get(m.person_id);
    if (p) for (const rule of evaluatePerson(p, ctx)) findings.push({ rule, subjectKind: 'person', subjectId: m.person_id });
  }
  return findings;
}
