/** Q-DICT 代码不在字典内 as SQL: coded columns checked against their dictionaries, straight from the feed schema. */
import { FEED_TABLES, snapshotColumnOf, type FeedTable } from '../../domain/exchange/feed-schema.js';
import { householdOf } from '../../store/sql-fragments.js';
import { recordCheck } from '../shared/sql.js';

/** A non-empty cell whose value is none of the dictionary's codes. */
const outside = (column: string, codes: readonly string[]): string =>
  `(${column} IS NOT NULL AND CAST(${column} AS TEXT) NOT IN (${codes.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')}))`;

/**
 * One table's findings, reading the table once: the rows with any coded column outside its dictionary are kept
 * (MATERIALIZED: a handful of rows), then one finding per such row and column. The per-column scans this replaces
 * read enrollment seven times, person twice, and so on.
 */
function tableChecks(t: FeedTable): string | null {
  const coded = t.columns.filter((c) => c.kind === 'code' && c.dictionary).map((c) => ({ column: snapshotColumnOf(c), codes: Object.keys(c.dictionary!) }));
  if (coded.length === 0) return null;
  const key = t.key.map((k) => t.columns.find((c) => c.key === k)).map((c) => snapshotColumnOf(c!)).join(" || '|' || ");
  const has = (k: string) => t.columns.some((x) => x.key === k);
  const household = has('household_id') ? 'household_id' : has('person_id') ? householdOf(`${t.table}.person_id`) : 'NULL';
  const bad = `bad_${t.table}`;
  const perColumn = coded.map(
    ({ column, codes }) => `SELECT '${t.table}:' || k || '.${column}' AS subject_id, household_id, '${t.table}.${column} = ' || CAST(${column} AS TEXT) AS detail
         FROM ${bad} WHERE ${outside(column, codes)}`,
  );
  return `SELECT * FROM (
      WITH ${bad} AS MATERIALIZED (
        SELECT ${key} AS k, ${household} AS household_id, ${coded.map((c) => c.column).join(', ')}
          FROM ${t.table} WHERE ${coded.map(({ column, codes }) => outside(column, codes)).join('\n            OR ')})
      ${perColumn.join('\n      UNION ALL ')})`;
}

/**
 * Every coded column of the feed schema, v1's and v2's (rules.md v2 "Q-DICT covers every new code"). On a v1 snapshot
 * the v2 tables are empty and the v2 columns NULL (presentAsV2), so only v1's findings come out.
 */
const dictionaryChecks = (): string =>
  FEED_TABLES.map(tableChecks)
    .filter((s): s is string => s !== null)
    .join('\n UNION ALL ');

export const sql = recordCheck(dictionaryChecks());
