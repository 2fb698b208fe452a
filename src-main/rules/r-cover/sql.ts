/** R-COVER 应保未保 as SQL over the household judgement (rules/shared/household-judgement.ts). */
import { EVIDENCE_CTE, HOUSEHOLD_EVIDENCE } from '../shared/household-judgement.js';

export const sql = `
  WITH ${EVIDENCE_CTE}
  SELECT j.household_id AS subject_id, j.household_id, j.division_code, NULL AS amount_cents, 'cover' AS facts, ${HOUSEHOLD_EVIDENCE} AS evidence
    FROM temp.household_judgement_other j WHERE j.has_edge AND NOT j.has_dibao AND NOT j.has_tekun AND NOT j.exceeds AND NOT j.fails_assets`;
