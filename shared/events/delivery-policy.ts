// When a delivery attempt counts as done, when it is worth trying again, and how long to wait: 2xx is
// delivered; network errors, timeouts, 429 and 5xx are retried with exponential back-off and jitter
// (a Retry-After the receiver sends is honoured, within the cap); 3xx and other 4xx are final (the
// receiver will not change its mind, and a redirect is not followed with a signed body). Pure.

export type AttemptOutcome =
  | { kind: 'status'; status: number; retryAfterS?: number }
  | { kind: 'timeout' }
  | { kind: 'network'; code: string };

export type AttemptVerdict = 'delivered' | 'retry' | 'final';

export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  initialMs: number;
  maxMs: number;
  /** 0..1: the delay is scaled by a random factor in [1 - jitter, 1 + jitter]. */
  jitter: number;
}

/**
 * What an attempt's outcome means for the event.
 * @example attemptVerdict({ kind: 'status', status: 503 }) // 'retry'
 */
export function attemptVerdict(outcome: AttemptOutcome): AttemptVerdict {
  if (outcome.kind !== 'status') return 'retry';
  const { status } = outcome;
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 429 || status >= 500) return 'retry';
  return 'final';
}

/**
 * Wait before retry number `retry` (1 = the first retry): initial * 2^(retry-1), capped, jittered, capped
 * again; a Retry-After longer than that is used instead (still capped). `random` returns [0, 1).
 * @example retryDelay(3, { retries: 5, initialMs: 1000, maxMs: 60_000, jitter: 0 }, () => 0.5) // 4000
 */
export function retryDelay(
  retry: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterS?: number,
): number {
  const n = Math.max(1, Math.floor(retry));
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(n - 1, 40));
  const jittered = Math.min(policy.maxMs, Math.max(0, base * (1 + policy.jitter * (2 * random() - 1))));
  const asked = retryAfterS !== undefined && retryAfterS > 0 ? Math.min(policy.maxMs, retryAfterS * 1000) : 0;
  return Math.round(Math.max(jittered, asked));
}

/**
 * Seconds from a Retry-After header (delta-seconds or an HTTP date relative to `now`); undefined if absent
 * or unreadable.
 * @example parseRetryAfter('120', 0) // 120
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * A short, value-free description of an outcome for logs, metrics and dead letters (never a body or URL).
 * @example describeOutcome({ kind: 'status', status: 503 }) // 'http_503'
 */
export function describeOutcome(outcome: AttemptOutcome): string {
  if (outcome.kind === 'status') return `http_${outcome.status}`;
  if (outcome.kind === 'timeout') return 'timeout';
  return `network_${outcome.code.replace(/[^A-Za-z0-9_]/g, '').slice(0, 32) || 'error'}`;
}
