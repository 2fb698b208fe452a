/** Q-DUP-HOUSEHOLD 一人多户 as SQL: a person listed in more than one household. */
export const sql = `
    SELECT m.person_id AS subject_id, min(m.household_id) AS household_id, min(h.division_code) AS division_code, NULL AS amount_cents,
      group_concat(m.household_id, ',') AS facts,
      json_object('rows', json_group_array(json_object('table', 'household_member', 'key', m.household_id || '|' || m.person_id, 'values', json_object('relation', m.relation))),
        'comparisons', json_array(json_object('label', 'households', 'value', count(*), 'op', '>', 'threshold', 1))) AS evidence
    FROM household_member m LEFT JOIN household h ON h.household_id = m.household_id
    WHERE m.person_id IN (SELECT person_id FROM household_member GROUP BY person_id HAVING count(*) > 1)
    GROUP BY m.person_id`;
