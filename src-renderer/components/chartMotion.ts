/**
 * Charts are drawn at once, never grown into place: a supervisor reading the dashboard (or a screenshot taken as it
 * opens) sees the final bars, not half-drawn ones. Spread onto every recharts series (`<Bar {...STILL} …>`).
 */
export const STILL = { isAnimationActive: false } as const;
