/**
 * R-EDGE 边缘不符 (rules.md v2) as SQL over the household judgement (rules/shared/household-judgement.ts): a 低保边缘
 * household (no household-coverage 低保, no 特困) whose counted income reaches edgeMultiple × S × 12 × members, or which
 * fails the asset test. No amount.
 */
import { AT_OR_OVER_EDGE, EDGE_COMPARISON, EVIDENCE_CTE, HOUSEHOLD_EVIDENCE } from '../shared/household-judgement.js';

export const sql = `
  WITH ${EVIDENCE_CTE}, hit AS (
    SELECT j.*, coalesce(${AT_OR_OVER_EDGE('j')}, 0) AS over_edge
      FROM temp.household_judgement_other j WHERE j.has_edge AND NOT j.has_dibao AND NOT j.has_tekun)
  SELECT j.household_id AS subject_id, j.household_id, j.division_code, NULL AS amount_cents,
    CASE WHEN j.fails_assets AND j.over_edge THEN 'assets,income' WHEN j.fails_assets THEN 'assets' ELSE 'income' END AS facts,
    json_set(${HOUSEHOLD_EVIDENCE}, '$.comparisons', json_array(json(${EDGE_COMPARISON('j')})),
      '$.reasons', json_array(CASE WHEN j.over_edge THEN 'income' END, CASE WHEN j.fails_assets THEN 'assets' END)) AS evidence
  FROM hit j WHERE j.over_edge OR j.fails_assets`;
