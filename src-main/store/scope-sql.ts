/**
 * The data scope as SQL: a division-code column restricted to the user's prefixes, as index-friendly ranges with
 * bound values. Every read of the snapshot and the team store restricted to a scope goes through this.
 */
import { prefixRange } from '../domain/division.js';

/** `null` scope = no restriction (a run over the whole snapshot); an empty scope matches nothing. */
export function scopeSql(column: string, scope: readonly string[] | null): { sql: string; params: string[] } {
  if (scope === null) return { sql: '1', params: [] };
  if (scope.length === 0) return { sql: '0', params: [] };
  const params: string[] = [];
  const parts = scope.map((prefix) => {
    params.push(...prefixRange(prefix));
    return `${column} BETWEEN ? AND ?`;
  });
  return { sql: `(${parts.join(' OR ')})`, params };
}

/**
 * `column` (a division code, NULL read as '') starts with one of the prefixes of a JSON array bound at run time — for a
 * list that is not known when the statement is built, such as a rule's jurisdiction J (`@jurisdiction`). Not for data
 * scope, which is scopeSql's.
 */
export const withinPrefixesJson = (column: string, jsonParam: string): string =>
  `EXISTS (SELECT 1 FROM json_each(${jsonParam}) j WHERE substr(coalesce(${column}, ''), 1, length(j.value)) = j.value)`;
