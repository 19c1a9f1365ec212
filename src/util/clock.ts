/** Injected time source so tests and replays are deterministic (STYLE §4). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
