import { describe, expect, it } from 'vitest';
import {
  attemptVerdict,
  describeOutcome,
  parseRetryAfter,
  type RetryPolicy,
  retryDelay,
} from '../../../shared/events/delivery-policy.js';

const policy: RetryPolicy = { retries: 5, initialMs: 1000, maxMs: 30_000, jitter: 0.2 };

describe('delivery policy', () => {
  it('delivers on 2xx, retries network errors, timeouts, 429 and 5xx, and gives up on 3xx and other 4xx', () => {
    for (const s of [200, 202, 204, 299])
      expect(attemptVerdict({ kind: 'status', status: s })).toBe('delivered');
    for (const s of [429, 500, 502, 503, 504])
      expect(attemptVerdict({ kind: 'status', status: s })).toBe('retry');
    for (const s of [301, 302, 400, 401, 403, 404, 410, 413])
      expect(attemptVerdict({ kind: 'status', status: s })).toBe('final');
    expect(attemptVerdict({ kind: 'timeout' })).toBe('retry');
    expect(attemptVerdict({ kind: 'network', code: 'ECONNREFUSED' })).toBe('retry');
  });

  it('backs off exponentially with jitter, never past the cap', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 60].map((n) => retryDelay(n, policy, mid))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
    expect(retryDelay(1, policy, () => 0)).toBe(800);
    expect(retryDelay(1, policy, () => 0.999999)).toBe(1200);
    for (let n = 1; n < 50; n++) expect(retryDelay(n, policy, Math.random)).toBeLessThanOrEqual(30_000);
  });

  it('honours a longer Retry-After, capped', () => {
    expect(retryDelay(1, policy, () => 0.5, 7)).toBe(7000);
    expect(retryDelay(1, policy, () => 0.5, 3600)).toBe(30_000);
    expect(parseRetryAfter('120', 0)).toBe(120);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:01:00 GMT', 30_000)).toBe(30);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });

  it('describes outcomes without values', () => {
    expect(describeOutcome({ kind: 'status', status: 503 })).toBe('http_503');
    expect(describeOutcome({ kind: 'network', code: 'ECONNREFUSED' })).toBe('network_ECONNREFUSED');
    expect(describeOutcome({ kind: 'network', code: 'a b://x' })).toBe('network_abx');
  });
});
