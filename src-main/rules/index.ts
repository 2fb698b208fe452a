/**
 * The built-in rule library (rules.md): one folder per rule, each exporting one RuleModule (types.ts). THE list below is
 * the one to edit when adding a rule (docs/adding-a-rule.md); its order is the library's order (runs, reports,
 * screens). The renderer reads the same definitions through catalogue.ts, which a test holds to this list.
 */
import { resolveParameters, type RuleDefinition } from '../domain/rules/rule-library.js';
import type { RuleModule } from './types.js';
import type { RuleStatement } from '../store/snapshot/snapshot-db.js';
import rDeath from './r-death/index.js';
import rHukouOut from './r-hukou-out/index.js';
import rMutex from './r-mutex/index.js';
import rAttr from './r-attr/index.js';
import rExit from './r-exit/index.js';
import rCover from './r-cover/index.js';
import rEdge from './r-edge/index.js';
import rSingle from './r-single/index.js';
import rRigid from './r-rigid/index.js';
import rMissed from './r-missed/index.js';
import rLinshi from './r-linshi/index.js';
import rAlive from './r-alive/index.js';
import rReview from './r-review/index.js';
import rConsent from './r-consent/index.js';
import fAfterDeath from './f-after-death/index.js';
import fAfterExit from './f-after-exit/index.js';
import fDuplicate from './f-duplicate/index.js';
import fAmount from './f-amount/index.js';
import qIdConsistency from './q-id-consistency/index.js';
import qDupHousehold from './q-dup-household/index.js';
import qOrphan from './q-orphan/index.js';
import qDict from './q-dict/index.js';
import qDates from './q-dates/index.js';

export type { RuleModule, RuleReference, RulePrecheckCode } from './types.js';

export const RULE_MODULES: readonly RuleModule[] = [
  rDeath,
  rHukouOut,
  rMutex,
  rAttr,
  rExit,
  rCover,
  rEdge,
  rSingle,
  rRigid,
  rMissed,
  rLinshi,
  rAlive,
  rReview,
  rConsent,
  fAfterDeath,
  fAfterExit,
  fDuplicate,
  fAmount,
  qIdConsistency,
  qDupHousehold,
  qOrphan,
  qDict,
  qDates,
];

export const BUILTIN_RULES: readonly RuleDefinition[] = RULE_MODULES.map((m) => m.definition);

export function ruleModule(id: string): RuleModule | undefined {
  return RULE_MODULES.find((m) => m.definition.id === id);
}

export function ruleById(id: string): RuleDefinition | undefined {
  return ruleModule(id)?.definition;
}

/** What a rule's findings are filed under in the team store (an own rule: custom, medium). */
export function ruleClass(id: string): { family: string; severity: string } {
  const rule = ruleById(id);
  return { family: rule?.family ?? 'custom', severity: rule?.severity ?? 'medium' };
}

/** The data-quality rules a snapshot build runs (data-platform/build.ts), in library order. */
export const QUALITY_RULES = RULE_MODULES.filter((m) => m.definition.family === 'quality').map((m) => ({ id: m.definition.id, sql: m.sql }));

/**
 * A rule's statement as the snapshot runs it: its SQL with the prelude and bases it reads, and nothing else (the module
 * also holds functions, which cannot cross to a snapshot thread).
 */
export const ruleStatement = (m: RuleModule): RuleStatement => ({ sql: m.sql, ...(m.prelude ? { prelude: m.prelude } : {}), ...(m.bases ? { bases: m.bases } : {}) });

/**
 * Every rule, bound to the values a run takes where nobody set one (the policy defaults; none for a rule without
 * parameters): the snapshot's build runs each once and stores its rows in the snapshot
 * (store/snapshot/derived-results.ts); a run reads them back when the statement and its values are the same. A rule
 * without parameters always reads them; a rule with parameters only while its values are the defaults (another
 * preset, a region's own values or an auditor's override run live).
 */
export const DERIVED_RULES = RULE_MODULES.map((m) => ({
  ruleId: m.definition.id,
  statement: ruleStatement(m),
  parameters: resolveParameters(m.definition),
}));

/** The spending review's flagged payments: every F-rule's payments one by one (store/snapshot/spending-queries.ts). */
export const SPENDING_FLAGS = RULE_MODULES.flatMap((m) => (m.paymentFlags ? [m.paymentFlags] : [])).join('\n    UNION ALL');
