import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffBound, backoffDelay } from '../../../edge/ingest/backoff.js';

const policy = { initialMs: 1000, maxMs: 30_000, jitter: 0.2 };

describe('backoffDelay', () => {
  it('doubles from the initial delay without jitter', () => {
    const none = { ...policy, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, none, () => 0.5))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000,
    ]);
  });

  it('spreads the delay by the jitter fraction either way', () => {
    expect(backoffDelay(2, policy, () => 0)).toBe(1600);
    expect(backoffDelay(2, policy, () => 0.999_999)).toBe(2400);
  });

  it('never exceeds the cap, never goes negative, and stays within its bound (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, r, jitter) => {
          const p = { ...policy, jitter };
          const d = backoffDelay(attempt, p, () => r);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(p.maxMs);
          expect(d).toBeLessThanOrEqual(backoffBound(attempt, p));
        },
      ),
    );
  });
});
