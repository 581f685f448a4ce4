// What the policy does when clocks disagree. Retention is measured from capture times, so a read stamped
// in the future outlives its 30 days, and a purge clock that went backwards deletes nothing while
// reporting success. Pure: every time is an argument.

/**
 * Whether a read captured at `capturedAt` may be stored at `storedAt`: not when its capture time is more
 * than `maxSkewMs` ahead (a clock stepped forward during the pass and then corrected, or a camera's own
 * clock). Such a read would survive every purge until the future arrives.
 * @example captureTimeDecision({ capturedAt: t + 600_000, storedAt: t, maxSkewMs: 120_000 })
 *   // { allow: false, reason: 'clock_skew', aheadMs: 600000, detail: 'capture time is 600 s ahead of …' }
 */
export function captureTimeDecision(input: {
  capturedAt: number;
  storedAt: number;
  maxSkewMs: number;
}): { allow: true } | { allow: false; reason: 'clock_skew'; aheadMs: number; detail: string } {
  const aheadMs = input.capturedAt - input.storedAt;
  if (Number.isFinite(input.capturedAt) && aheadMs <= input.maxSkewMs) return { allow: true };
  return {
    allow: false,
    reason: 'clock_skew',
    aheadMs,
    detail: `capture time is ${Math.round(aheadMs / 1000)} s ahead of the store time (more than ingest.maxClockSkewS = ${Math.round(input.maxSkewMs / 1000)} s)`,
  };
}

/** How a purge judged its clock. */
export interface PurgeClock {
  /** The clock's reading when the run was planned. */
  observedNow: number;
  /** The time expiry was judged by: `observedNow`, or the latest trustworthy time when that is later. */
  now: number;
  /** now - observedNow: how far the clock was behind what the store had already seen (0 when not). */
  skewMs: number;
  /** What `now` came from. */
  source: 'clock' | 'last_receipt' | 'stored_at';
  /** False when the clock was behind by more than the tolerance: retention cannot be claimed as met. */
  trusted: boolean;
}

/**
 * The time a purge judges expiry by. A clock earlier than the newest purge receipt's finish time or the
 * newest `stored_at` has gone backwards (or those were stamped by a clock running ahead); either way a
 * time the store has already seen is a lower bound of the real one. Purging by it never deletes a read
 * later than the policy allows, and deletes earlier only when the earlier stamps themselves were ahead
 * (allowed: 30 days is a maximum). Beyond `toleranceMs` the run is not trusted: its receipt records the
 * skew and never claims retention met, and /health is unhealthy until a purge runs on a sane clock.
 * @example assessPurgeClock({ now: t - YEAR, lastReceiptAt: t, newestStoredAt: t - 5000, toleranceMs: 120_000 })
 *   // { observedNow: t - YEAR, now: t, skewMs: YEAR, source: 'last_receipt', trusted: false }
 */
export function assessPurgeClock(input: {
  now: number;
  lastReceiptAt: number | null;
  newestStoredAt: number | null;
  toleranceMs: number;
}): PurgeClock {
  let now = input.now;
  let source: PurgeClock['source'] = 'clock';
  if (input.lastReceiptAt !== null && input.lastReceiptAt > now) {
    now = input.lastReceiptAt;
    source = 'last_receipt';
  }
  if (input.newestStoredAt !== null && input.newestStoredAt > now) {
    now = input.newestStoredAt;
    source = 'stored_at';
  }
  const skewMs = now - input.now;
  return { observedNow: input.now, now, skewMs, source, trusted: skewMs <= input.toleranceMs };
}
