// The one way a test waits for something asynchronous: probe until it returns a truthy value, and throw
// (naming what was awaited) when it does not within the time. Throwing, not returning false, so a wait
// that times out fails the test at the line that waited, whether or not the caller checks a result.

export interface EventuallyOptions {
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Pause between probes (default 50 ms). */
  stepMs?: number;
}

/**
 * Resolve with the first truthy value `probe` returns; reject with `timed out after N ms waiting for
 * <description>` once `timeoutMs` has passed (a probe that throws rejects at once).
 * @example const [receipt] = await eventually('a purge receipt', () => receipts().length > 0 && receipts());
 */
export async function eventually<T>(
  description: string,
  probe: () => T | Promise<T>,
  options: EventuallyOptions = {},
): Promise<Exclude<T, false | undefined | null | 0 | ''>> {
  const { timeoutMs = 30_000, stepMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Exclude<T, false | undefined | null | 0 | ''>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}
