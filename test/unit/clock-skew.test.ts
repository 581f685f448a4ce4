// The clock rules as specifications: a capture time ahead of the store time, a purge clock behind what
// the store has seen, and what receipts and /health then say.
import { describe, expect, it } from 'vitest';
import { assessPurgeClock, captureTimeDecision } from '../../shared/policy/clock-skew.js';
import {
  buildPurgeReceipt,
  type PurgeProgress,
  planPurge,
  receiptTrustedFinish,
  resumeProgress,
} from '../../shared/policy/purge-plan.js';
import { assessRetentionHealth } from '../../shared/policy/retention-health.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { T0 } from '../support/factories.js';

const YEAR = 365 * DAY_MS;
const TOLERANCE = 120_000;

describe('captureTimeDecision', () => {
  it('allows a capture time up to maxClockSkewS ahead of the store time, and refuses beyond it', () => {
    expect(captureTimeDecision({ capturedAt: T0 - DAY_MS, storedAt: T0, maxSkewMs: TOLERANCE })).toEqual({
      allow: true,
    });
    expect(captureTimeDecision({ capturedAt: T0 + TOLERANCE, storedAt: T0, maxSkewMs: TOLERANCE })).toEqual({
      allow: true,
    });
    expect(
      captureTimeDecision({ capturedAt: T0 + TOLERANCE + 1, storedAt: T0, maxSkewMs: TOLERANCE }),
    ).toMatchObject({
      allow: false,
      reason: 'clock_skew',
      aheadMs: TOLERANCE + 1,
    });
    expect(captureTimeDecision({ capturedAt: Number.NaN, storedAt: T0, maxSkewMs: TOLERANCE })).toMatchObject(
      { allow: false },
    );
  });
});

describe('assessPurgeClock', () => {
  it('trusts a clock at or after everything the store has seen', () => {
    expect(
      assessPurgeClock({ now: T0, lastReceiptAt: T0 - 1, newestStoredAt: T0, toleranceMs: TOLERANCE }),
    ).toEqual({
      observedNow: T0,
      now: T0,
      skewMs: 0,
      source: 'clock',
      trusted: true,
    });
  });

  it('uses the latest trustworthy time when the clock is behind, and distrusts it beyond the tolerance', () => {
    expect(
      assessPurgeClock({
        now: T0 - YEAR,
        lastReceiptAt: T0,
        newestStoredAt: T0 - 5000,
        toleranceMs: TOLERANCE,
      }),
    ).toEqual({
      observedNow: T0 - YEAR,
      now: T0,
      skewMs: YEAR,
      source: 'last_receipt',
      trusted: false,
    });
    expect(
      assessPurgeClock({ now: T0, lastReceiptAt: null, newestStoredAt: T0 + 30_000, toleranceMs: TOLERANCE }),
    ).toMatchObject({
      now: T0 + 30_000,
      source: 'stored_at',
      trusted: true, // two hosts a few seconds apart
    });
  });
});

const progress = (overrides: Partial<PurgeProgress> = {}): PurgeProgress => ({
  runId: 'r1',
  nodeId: 'edge-01',
  trigger: 'schedule',
  startedAt: T0,
  cutoff: T0 - 30 * DAY_MS,
  retentionDays: 30,
  attempts: 1,
  chunks: 1,
  rowsDeleted: 5,
  filesDeleted: 0,
  filesMissing: 0,
  fileErrors: 0,
  orphanFilesDeleted: 0,
  owner: null,
  leaseExpiresAt: T0,
  ...overrides,
});

describe('receipts of a purge whose clock was behind', () => {
  const clock = assessPurgeClock({
    now: T0 - YEAR,
    lastReceiptAt: null,
    newestStoredAt: T0,
    toleranceMs: TOLERANCE,
  });

  it('record the skew and never claim retention met', () => {
    const plan = planPurge({ runId: 'r1', now: T0 - YEAR, retentionDays: 30, chunkSize: 100, clock });
    expect(plan.cutoff).toBe(T0 - 30 * DAY_MS);
    const receipt = buildPurgeReceipt(progress({ clock, startedAt: T0 - YEAR }), {
      status: 'completed',
      finishedAt: T0 - YEAR + 1000,
      heldSkipped: 0,
      oldestUnheldCapturedAt: T0 - DAY_MS,
      walTruncated: true,
    });
    expect(receipt).toMatchObject({
      retentionMet: false,
      oldestUnheldAgeMs: DAY_MS + 1000,
      clockSkew: {
        observedNow: new Date(T0 - YEAR).toISOString(),
        usedNow: new Date(T0).toISOString(),
        skewMs: YEAR,
        source: 'stored_at',
        trusted: false,
      },
    });
    // The next run must not be earlier than the time this one ran on.
    expect(receiptTrustedFinish(receipt)).toBe(T0 + 1000);
  });

  it('keep /health degraded: the clock now, and the last purge, until a purge runs on a sane clock', () => {
    const health = assessRetentionHealth({
      now: T0 - YEAR,
      retentionDays: 30,
      oldestUnheldCapturedAt: T0 - 31 * DAY_MS,
      clock,
    });
    expect(health.status).toBe('degraded');
    expect(health.oldestUnheldAgeMs).toBe(31 * DAY_MS);
    expect(health.reasons).toEqual([
      expect.stringMatching(/^clock is 365d 0m behind the newest stored read/),
      expect.stringMatching(/purge overdue/),
    ]);
    const fixed = assessRetentionHealth({
      now: T0,
      retentionDays: 30,
      oldestUnheldCapturedAt: T0 - DAY_MS,
      lastPurgeClock: { trusted: false, skewMs: YEAR, finishedAt: new Date(T0 - YEAR).toISOString() },
    });
    expect(fixed.status).toBe('degraded');
  });
});

describe('resumeProgress', () => {
  const lease = { owner: { host: 'h', pid: 2 }, leaseExpiresAt: T0 + 120_000 };

  it('takes a later cutoff with the retention that produced it, and keeps the earlier one on record', () => {
    const next = resumeProgress(progress(), { cutoff: T0 - 20 * DAY_MS, retentionDays: 20 }, lease);
    expect(next).toMatchObject({
      attempts: 2,
      cutoff: T0 - 20 * DAY_MS,
      retentionDays: 20,
      earlierCutoffs: [{ cutoff: T0 - 30 * DAY_MS, retentionDays: 30 }],
      owner: lease.owner,
    });
    const receipt = buildPurgeReceipt(next, {
      status: 'completed',
      finishedAt: T0,
      heldSkipped: 0,
      oldestUnheldCapturedAt: null,
      walTruncated: true,
    });
    expect(receipt).toMatchObject({
      retentionDays: 20,
      earlierCutoffs: [{ cutoff: new Date(T0 - 30 * DAY_MS).toISOString(), retentionDays: 30 }],
    });
  });

  it('keeps its own cutoff when the new plan’s is earlier (nothing more to delete), and stays untrusted once untrusted', () => {
    const untrusted = assessPurgeClock({
      now: T0 - YEAR,
      lastReceiptAt: T0,
      newestStoredAt: null,
      toleranceMs: TOLERANCE,
    });
    const prev = progress({ clock: untrusted });
    const next = resumeProgress(
      prev,
      {
        cutoff: T0 - 40 * DAY_MS,
        retentionDays: 30,
        clock: assessPurgeClock({ now: T0, lastReceiptAt: T0, newestStoredAt: null, toleranceMs: TOLERANCE }),
      },
      lease,
    );
    expect(next).toMatchObject({
      cutoff: T0 - 30 * DAY_MS,
      retentionDays: 30,
      clock: { trusted: false, skewMs: YEAR },
    });
    expect(next.earlierCutoffs).toBeUndefined();
  });
});
