import { describe, expect, it } from 'vitest';
import { isExpired, retentionCutoff } from '../../shared/policy/retention.js';
import { DAY_MS } from '../../shared/runtime/clock.js';

const now = Date.UTC(2026, 10, 28);

describe('retention', () => {
  it('puts the cutoff exactly `days` before now', () => {
    expect(retentionCutoff(now, 30)).toBe(now - 30 * DAY_MS);
  });

  it('expires a read at 30 days + 1 minute and keeps one at 29 days', () => {
    expect(isExpired({ capturedAt: now - 30 * DAY_MS - 60_000, held: false }, now, 30)).toBe(true);
    expect(isExpired({ capturedAt: now - 29 * DAY_MS, held: false }, now, 30)).toBe(false);
  });

  it('never expires a held read', () => {
    expect(isExpired({ capturedAt: now - 400 * DAY_MS, held: true }, now, 30)).toBe(false);
  });

  it('refuses a nonsensical retention or clock', () => {
    expect(() => retentionCutoff(now, 0)).toThrow(RangeError);
    expect(() => retentionCutoff(Number.NaN, 30)).toThrow(RangeError);
  });
});
