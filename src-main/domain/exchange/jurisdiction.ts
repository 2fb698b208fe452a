/**
 * A device's jurisdiction: the division codes it is enrolled for (counties, e.g. 320111 and 320116). A code is inside
 * it when it is one of them or below one (a street 320111001 is inside 320111). The exchange service compares stored
 * rows' jurisdictions as whole sets: a row tagged with jurisdiction S is visible to a device whose jurisdiction holds
 * every code of S, so nothing uploaded for a wider area reaches a narrower one.
 */

/** Division codes are digits; a jurisdiction holds 1…50 of them, each 2…12 digits. */
const CODE = /^\d{2,12}$/;

export function parseJurisdiction(value: unknown): string[] | null {
  const codes = typeof value === 'string' ? value.split(',').map((c) => c.trim()) : value;
  if (!Array.isArray(codes) || codes.length === 0 || codes.length > 50 || !codes.every((c) => typeof c === 'string' && CODE.test(c))) return null;
  return [...new Set(codes as string[])].sort();
}

/** Whether a division code (a county, a street, a community) lies inside the jurisdiction. */
export function inJurisdiction(code: string, jurisdiction: readonly string[]): boolean {
  return jurisdiction.some((j) => code.startsWith(j));
}

/** Whether every code of `scope` lies inside the jurisdiction (an empty scope, "everything", never does). */
export function scopeInJurisdiction(scope: readonly string[], jurisdiction: readonly string[]): boolean {
  return scope.length > 0 && scope.every((code) => inJurisdiction(code, jurisdiction));
}

/** Whether rows tagged with `tagged` may be seen by a device of `jurisdiction` (whole-set containment). */
export function visibleTo(tagged: readonly string[], jurisdiction: readonly string[]): boolean {
  return tagged.every((code) => jurisdiction.includes(code));
}
