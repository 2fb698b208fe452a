/** Q-DICT 代码不在字典内 as SQL: coded columns checked against their dictionaries, straight from the feed schema. */
import { FEED_TABLES, snapshotColumnOf } from '../../domain/exchange/feed-schema.js';
import { householdOf } from '../../store/sql-fragments.js';
import { recordCheck } from '../shared/sql.js';

/**
 * v1's coded columns: this SQL must run on a v1 snapshot too (the v2 tables' codes join Q-DICT with the v2 rules, which
 * know what was delivered).
 */
function dictionaryChecks(): string {
  const parts: string[] = [];
  for (const t of FEED_TABLES) {
    if (t.since) continue;
    const key = t.key.map((k) => t.columns.find((c) => c.key === k)).map((c) => snapshotColumnOf(c!)).join(" || '|' || ");
    for (const c of t.columns) {
      if (c.kind !== 'code' || !c.dictionary || c.since) continue;
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
