/**
 * Division codes (12-digit statistical division codes) and data scopes.
 *
 * A user's data scope is a set of code prefixes; a record is in scope when its division code starts with one of them.
 * Scope is always computed from where a household lives (household.division_code), never from an ID number.
 */

export const DIVISION_CODE_LENGTH = 12;

/** Prefix lengths that correspond to real levels: province, city, county, township/street, village/community. */
const LEVEL_LENGTHS = [2, 4, 6, 9, 12] as const;

export function isDivisionPrefix(value: string): boolean {
  return /^\d+$/.test(value) && (LEVEL_LENGTHS as readonly number[]).includes(value.length);
}

export function isDivisionCode(value: string): boolean {
  return /^\d{12}$/.test(value);
}

/** True when `code` (a division code or a narrower prefix) lies inside one of the scope's prefixes. */
export function isWithinScope(code: string, scope: readonly string[]): boolean {
  return scope.some((prefix) => code.startsWith(prefix));
}

/**
 * The prefixes a query for `requested` may read under `scope`: the requested prefix itself when it lies inside the
 * scope, the scope's prefixes that lie inside the requested one when the request is wider, nothing when disjoint.
 */
export function intersectScope(requested: string, scope: readonly string[]): string[] {
  if (isWithinScope(requested, scope)) return [requested];
  return normalizeScope(scope.filter((prefix) => prefix.startsWith(requested)));
}

/** Removes prefixes already covered by a shorter one and sorts, so that scopes compare and store canonically. */
export function normalizeScope(scope: readonly string[]): string[] {
  const sorted = [...new Set(scope)].sort((a, b) => a.length - b.length || a.localeCompare(b));
  const kept: string[] = [];
  for (const prefix of sorted) if (!isWithinScope(prefix, kept)) kept.push(prefix);
  return kept.sort();
}

/**
 * The inclusive [low, high] range of 12-digit codes a prefix covers: lets SQL use an index with
 * `division_code BETWEEN low AND high` instead of a LIKE that SQLite cannot index.
 */
export function prefixRange(prefix: string): [string, string] {
  const pad = DIVISION_CODE_LENGTH - prefix.length;
  return [prefix + '0'.repeat(pad), prefix + '9'.repeat(pad)];
}
