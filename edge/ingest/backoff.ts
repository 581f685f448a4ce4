// Reconnect delays: exponential, capped, with jitter so cameras behind one switch do not retry in lockstep.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** 0..1: the delay is scaled by a random factor in [1 - jitter, 1 + jitter]. */
  jitter: number;
}

/**
 * Delay before reconnect attempt `attempt` (1 = first retry): initial * 2^(attempt-1), capped at maxMs,
 * then jittered and capped again, so no delay ever exceeds maxMs. `random` returns [0, 1).
 * @example backoffDelay(3, { initialMs: 1000, maxMs: 30000, jitter: 0 }, Math.random) // 4000
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const n = Math.max(1, Math.floor(attempt));
  // Cap the exponent first so large attempt counts cannot overflow to Infinity.
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(n - 1, 40));
  const factor = 1 + policy.jitter * (2 * random() - 1);
  return Math.round(Math.min(policy.maxMs, Math.max(0, base * factor)));
}

/** The longest a reconnect can wait after `attempt` failures: the bound tests and operators reason with. */
export function backoffBound(attempt: number, policy: BackoffPolicy): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(
    policy.maxMs,
    Math.round(policy.initialMs * 2 ** Math.min(n - 1, 40) * (1 + policy.jitter)),
  );
}
