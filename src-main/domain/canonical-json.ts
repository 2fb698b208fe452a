/**
 * One spelling of a JSON value, for what gets signed: object keys sorted at every depth, no spaces. Two parties who
 * hold the same value compute the same bytes, whatever order its fields were built or parsed in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}
