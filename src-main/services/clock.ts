/** Time comes through one door so that tests can move it (back-off, idle lock) without sleeping. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };
export const isoTime = (clock: Clock): string => new Date(clock.now()).toISOString();
