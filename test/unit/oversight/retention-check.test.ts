// CMP-03: the report's retention oracle. Any unheld read older than retention + 1 hour, at the hub or
// in an edge's purge receipt, fails the check; so does missing or untrusted evidence.
import { describe, expect, it } from 'vitest';
import { checkRetention, type RetentionEvidence } from '../../../shared/oversight/retention-check.js';
import { DAY_MS, HOUR_MS } from '../../../shared/runtime/clock.js';

const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2026, 3, 1);
const NOW = TO + HOUR_MS;
const LIMIT = 30 * DAY_MS + HOUR_MS;

function evidence(overrides: Partial<RetentionEvidence> = {}): RetentionEvidence {
  return {
    now: NOW,
    from: FROM,
    to: TO,
    retentionDays: 30,
    hub: { oldestUnheldCapturedAt: NOW - 29 * DAY_MS, runs: [] },
    edges: [
      {
        edgeId: 'edge-01',
        receipts: [
          {
            finishedAt: FROM + 10 * DAY_MS,
            oldestUnheldAgeMs: 29 * DAY_MS,
            retentionMet: true,
            clockTrusted: true,
          },
          { finishedAt: TO - DAY_MS, oldestUnheldAgeMs: 30 * DAY_MS, retentionMet: true, clockTrusted: true },
        ],
      },
    ],
    ...overrides,
  };
}

describe('checkRetention (CMP-03)', () => {
  it('passes when every unheld read is within 30 days + 1 hour, and reports the largest age', () => {
    const check = checkRetention(evidence());
    expect(check.result).toBe('PASSED');
    expect(check.limitMs).toBe(LIMIT);
    expect(check.maxUnheldAgeMs).toBe(30 * DAY_MS);
    expect(check.violations).toEqual([]);
  });

  it('accepts an age of exactly the limit and fails one millisecond past it, at the hub', () => {
    expect(checkRetention(evidence({ hub: { oldestUnheldCapturedAt: NOW - LIMIT, runs: [] } })).result).toBe(
      'PASSED',
    );
    const failed = checkRetention(evidence({ hub: { oldestUnheldCapturedAt: NOW - LIMIT - 1, runs: [] } }));
    expect(failed.result).toBe('FAILED');
    expect(failed.violations[0]).toMatchObject({ source: 'hub', ageMs: LIMIT + 1 });
  });

  it('fails when an edge purge receipt saw an unheld read older than 30 days + 1 hour', () => {
    const check = checkRetention(
      evidence({
        edges: [
          {
            edgeId: 'edge-02',
            receipts: [
              {
                finishedAt: FROM + DAY_MS,
                oldestUnheldAgeMs: LIMIT + 60_000,
                retentionMet: false,
                clockTrusted: true,
              },
            ],
          },
        ],
      }),
    );
    expect(check.result).toBe('FAILED');
    expect(check.violations).toEqual([
      expect.objectContaining({ source: 'edge:edge-02', ageMs: LIMIT + 60_000 }),
    ]);
  });

  it('fails closed: an edge with no receipt in the period, or a receipt from an untrusted clock', () => {
    const none = checkRetention(evidence({ edges: [{ edgeId: 'edge-03', receipts: [] }] }));
    expect(none.result).toBe('FAILED');
    expect(none.violations[0]!.message).toMatch(/no purge receipt/);
    const untrusted = checkRetention(
      evidence({
        edges: [
          {
            edgeId: 'edge-04',
            receipts: [
              {
                finishedAt: FROM + DAY_MS,
                oldestUnheldAgeMs: DAY_MS,
                retentionMet: false,
                clockTrusted: false,
              },
            ],
          },
        ],
      }),
    );
    expect(untrusted.result).toBe('FAILED');
    expect(untrusted.violations[0]!.message).toMatch(/did not trust/);
  });

  it('fails when a hub run left unheld expired reads that no clean run cleared within the hour', () => {
    const at = FROM + 5 * DAY_MS;
    const cleared = checkRetention(
      evidence({
        hub: {
          oldestUnheldCapturedAt: null,
          runs: [
            { at, unheldExpiredLeft: 3, retentionMet: false },
            { at: at + 30 * 60_000, unheldExpiredLeft: 0, retentionMet: true },
          ],
        },
      }),
    );
    expect(cleared.result).toBe('PASSED');
    const stuck = checkRetention(
      evidence({
        hub: {
          oldestUnheldCapturedAt: null,
          runs: [
            { at, unheldExpiredLeft: 3, retentionMet: false },
            { at: at + 2 * HOUR_MS, unheldExpiredLeft: 0, retentionMet: true },
          ],
        },
      }),
    );
    expect(stuck.result).toBe('FAILED');
    expect(stuck.violations[0]!.message).toMatch(/left 3 unheld/);
  });

  it('ignores receipts outside the period and charts the daily maximum', () => {
    const check = checkRetention(
      evidence({
        edges: [
          {
            edgeId: 'edge-01',
            receipts: [
              {
                finishedAt: FROM - DAY_MS,
                oldestUnheldAgeMs: 90 * DAY_MS,
                retentionMet: false,
                clockTrusted: true,
              },
              {
                finishedAt: FROM + HOUR_MS,
                oldestUnheldAgeMs: 5 * HOUR_MS,
                retentionMet: true,
                clockTrusted: true,
              },
              {
                finishedAt: FROM + 2 * HOUR_MS,
                oldestUnheldAgeMs: 7 * HOUR_MS,
                retentionMet: true,
                clockTrusted: true,
              },
            ],
          },
        ],
      }),
    );
    expect(check.result).toBe('PASSED');
    expect(check.perDay[0]).toEqual({ day: '2026-01-01', maxUnheldAgeMs: 7 * HOUR_MS });
    expect(check.perDay).toHaveLength(90);
  });
});
