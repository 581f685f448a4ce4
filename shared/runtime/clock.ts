// Time as an argument: policy code takes `now` (ms since epoch, UTC); adapters take a Clock.
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** A clock pinned at `start` that tests move forward by hand. */
export function manualClock(start: number): Clock & { advance(ms: number): void; set(ms: number): void } {
  let now = start;
  const clock = (() => now) as Clock & { advance(ms: number): void; set(ms: number): void };
  clock.advance = (ms) => {
    now += ms;
  };
  clock.set = (ms) => {
    now = ms;
  };
  return clock;
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
