/** Q-DICT 代码不在字典内 as SQL: coded columns checked against their dictionaries, straight from the feed schema. */
import { FEED_TABLES, snapshotColumnOf } from '../../domain/exchange/feed-schema.js';
import { householdOf } from '../../store/sql-fragments.js';
import { recordCheck } from '../shared/sql.js';

/**
 * Every coded column of the feed schema, v1's and v2's (rules.md v2 "Q-DICT covers every new code"). On a v1 snapshot
 * the v2 tables are empty and the v2 columns NULL (presentAsV2), so only v1's findings come out.
 */
function dictionaryChecks(): string {
  const parts: string[] = [];
  for (const t of FEED_TABLES) {
    const key = t.key.map((k) => t.columns.find((c) => c.key === k)).map((c) => snapshotColumnOf(c!)).join(" || '|' || ");
    for (const c of t.columns) {
      if (c.kind !== 'code' || !c.dictionary) continue;
      const column = snapshotColumnOf(c);
      const codes = Object.keys(c.dictionary).map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');
      const has = (k: string) => t.columns.some((x) => x.key === k);
      const household = has('household_id') ? 'household_id' : has('person_id') ? householdOf(`${t.table}.person_id`) : 'NULL';
      parts.push(
        `SELECT '${t.table}:' || ${key} || '.${column}' AS subject_id, ${household} AS household_id, '${t.table}.${column} = ' || CAST(${column} AS TEXT) AS detail
           FROM ${t.table} WHERE ${column} IS NOT NULL AND CAST(${column} AS TEXT) NOT IN (${codes})`,
      );
    }
  }
  return parts.join('\n UNION ALL ');
}

export const sql = recordCheck(dictionaryChecks());
