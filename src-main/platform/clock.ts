/**
 * The one clock: every "now" in src-main is read through a Clock handed down from a composition point, so that tests
 * can move time (back-off, idle lock, approvals expiring) without sleeping and no stamp is taken behind their back.
 * It sits in platform/ so that the store and the data platform can take it too. Lint forbids reading the time anywhere
 * else (eslint.config.js); durations use performance.now().
 */
export interface Clock {
  /** Milliseconds since the epoch, like Date.now(). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The clock's instant as ISO 8601 UTC, the one spelling of time stored and sent. */
export const isoTime = (clock: Clock): string => new Date(clock.now()).toISOString();
