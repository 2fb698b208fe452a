/**
 * The rules' definitions alone (names, families, parameters), for the renderer, which may not import the rules' SQL or
 * the store: the same definition.json files as the folders, in the library's order. test/unit/rule-modules.test.ts holds
 * this list to rules/index.ts.
 */
import rDeath from './r-death/definition.json' with { type: 'json' };
import rHukouOut from './r-hukou-out/definition.json' with { type: 'json' };
import rMutex from './r-mutex/definition.json' with { type: 'json' };
import rAttr from './r-attr/definition.json' with { type: 'json' };
import rExit from './r-exit/definition.json' with { type: 'json' };
import rCover from './r-cover/definition.json' with { type: 'json' };
import rEdge from './r-edge/definition.json' with { type: 'json' };
import rSingle from './r-single/definition.json' with { type: 'json' };
import rRigid from './r-rigid/definition.json' with { type: 'json' };
import rMissed from './r-missed/definition.json' with { type: 'json' };
import rLinshi from './r-linshi/definition.json' with { type: 'json' };
import rAlive from './r-alive/definition.json' with { type: 'json' };
import rReview from './r-review/definition.json' with { type: 'json' };
import rConsent from './r-consent/definition.json' with { type: 'json' };
import fAfterDeath from './f-after-death/definition.json' with { type: 'json' };
import fAfterExit from './f-after-exit/definition.json' with { type: 'json' };
import fDuplicate from './f-duplicate/definition.json' with { type: 'json' };
import fAmount from './f-amount/definition.json' with { type: 'json' };
import qIdConsistency from './q-id-consistency/definition.json' with { type: 'json' };
import qDupHousehold from './q-dup-household/definition.json' with { type: 'json' };
import qOrphan from './q-orphan/definition.json' with { type: 'json' };
import qDict from './q-dict/definition.json' with { type: 'json' };
import qDates from './q-dates/definition.json' with { type: 'json' };

export const RULE_CATALOGUE = [
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

/**
 * The example regional parameter set the demo district ships (rules.md v2 §P), as the file a region exchanges: the
 * checks screen offers it, labelled as an example.
 */
export { default as EXAMPLE_PARAMETER_FILE } from './shared/example-region.json' with { type: 'json' };
/** The monitoring signals' definitions (rules/signals/), for the 监测预警 screen. */
export { SIGNAL_CATALOGUE, ENROL_PROGRAMS, NO_NEED_REASONS, NOT_ELIGIBLE_REASONS, PRIMARY_OUTCOMES, REFERRAL_DEPARTMENTS } from './signals/catalogue.js';
