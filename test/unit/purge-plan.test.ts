import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildPurgeReceipt,
  decidePurgeChunk,
  judgeLease,
  type PurgeProgress,
  planPurge,
} from '../../shared/policy/purge-plan.js';
import { isExpired } from '../../shared/policy/retention.js';
import { assessRetentionHealth } from '../../shared/policy/retention-health.js';
import { DAY_MS, HOUR_MS } from '../../shared/runtime/clock.js';

const now = Date.UTC(2026, 3, 10, 12);
const plan = planPurge({ runId: 'r1', now, retentionDays: 30, chunkSize: 100 });
const progress = (overrides: Partial<PurgeProgress> = {}): PurgeProgress => ({
  runId: 'r1',
  nodeId: 'edge-01',
  trigger: 'schedule',
  startedAt: now,
  cutoff: plan.cutoff,
  retentionDays: 30,
  attempts: 1,
  chunks: 4,
  rowsDeleted: 1234,
  filesDeleted: 12,
  fileErrors: 0,
  orphanFilesDeleted: 0,
  owner: { host: 'edge-box', pid: 100 },
  leaseExpiresAt: now + 120_000,
  ...overrides,
});

describe('planPurge', () => {
  it('puts the cutoff retention days before now', () => {
    expect(plan).toEqual({ runId: 'r1', now, retentionDays: 30, chunkSize: 100, cutoff: now - 30 * DAY_MS });
  });

  it('refuses an empty run id or a nonsensical chunk size', () => {
    expect(() => planPurge({ runId: '', now, retentionDays: 30, chunkSize: 1 })).toThrow(RangeError);
    expect(() => planPurge({ runId: 'x', now, retentionDays: 30, chunkSize: 0 })).toThrow(RangeError);
  });
});

describe('decidePurgeChunk', () => {
  it('deletes an expired read and its crop, keeps a read under an active hold past the cutoff', () => {
    const decision = decidePurgeChunk(
      [
        { id: 1, capturedAt: plan.cutoff - 60_000, held: false, cropPath: 'cam-1/1.jpg' },
        { id: 2, capturedAt: plan.cutoff - 60_000, held: true, cropPath: 'cam-1/2.jpg' },
        { id: 3, capturedAt: plan.cutoff + 1, held: false, cropPath: null },
      ],
      plan,
    );
    expect(decision).toEqual({ deleteIds: [1], crops: [{ dir: null, path: 'cam-1/1.jpg' }], heldSkipped: 1 });
  });

  it('agrees with the retention rule for any read', () => {
    fc.assert(
      fc.property(fc.integer({ min: -60 * DAY_MS, max: 60 * DAY_MS }), fc.boolean(), (offset, held) => {
        const read = { id: 1, capturedAt: plan.cutoff + offset, held, cropPath: null };
        const deleted = decidePurgeChunk([read], plan).deleteIds.length === 1;
        expect(deleted).toBe(isExpired(read, now, 30));
      }),
    );
  });
});

describe('judgeLease', () => {
  const me = { runId: 'r2', host: 'edge-box', pid: 200 };
  it('is free with no run in flight, and busy while a live holder renews its lease', () => {
    expect(judgeLease(undefined, me, now, undefined)).toEqual({ kind: 'free' });
    expect(judgeLease(progress(), me, now, true).kind).toBe('busy');
    expect(judgeLease(progress({ owner: { host: 'other', pid: 100 } }), me, now, undefined).kind).toBe(
      'busy',
    );
  });

  it('takes over a run whose holder died, let go, or stopped renewing', () => {
    expect(judgeLease(progress(), me, now, false).kind).toBe('take-over');
    expect(judgeLease(progress({ owner: null }), me, now, undefined).kind).toBe('take-over');
    expect(judgeLease(progress({ leaseExpiresAt: now - 1 }), me, now, true).kind).toBe('take-over');
  });

  it('resumes its own run id (a retried job) instead of closing it', () => {
    expect(judgeLease(progress({ runId: 'r2', owner: null }), me, now, undefined).kind).toBe('resume');
  });
});

describe('buildPurgeReceipt', () => {
  it('states cutoff, counts, held reads skipped and the age of the oldest unheld read', () => {
    const receipt = buildPurgeReceipt(progress(), {
      status: 'completed',
      finishedAt: now + 5000,
      heldSkipped: 3,
      oldestUnheldCapturedAt: now - 29 * DAY_MS,
      walTruncated: true,
    });
    expect(receipt).toEqual({
      runId: 'r1',
      nodeId: 'edge-01',
      trigger: 'schedule',
      status: 'completed',
      startedAt: new Date(now).toISOString(),
      finishedAt: new Date(now + 5000).toISOString(),
      retentionDays: 30,
      cutoff: new Date(now - 30 * DAY_MS).toISOString(),
      rowsDeleted: 1234,
      filesDeleted: 12,
      filesMissing: 0,
      fileErrors: 0,
      orphanFilesDeleted: 0,
      heldSkipped: 3,
      oldestUnheldCapturedAt: new Date(now - 29 * DAY_MS).toISOString(),
      oldestUnheldAgeMs: 29 * DAY_MS + 5000,
      retentionMet: true,
      attempts: 1,
      chunks: 4,
      walTruncated: true,
    });
  });

  it('says retention is not met when an unheld read older than the cutoff remains', () => {
    const receipt = buildPurgeReceipt(progress(), {
      status: 'interrupted',
      finishedAt: now,
      heldSkipped: 0,
      oldestUnheldCapturedAt: plan.cutoff - 1,
      walTruncated: false,
      completedBy: 'r2',
    });
    expect(receipt).toMatchObject({ retentionMet: false, status: 'interrupted', completedBy: 'r2' });
  });
});

describe('assessRetentionHealth', () => {
  it('is ok up to retention + 1 hour and degraded after', () => {
    const at = (age: number) =>
      assessRetentionHealth({ now, retentionDays: 30, oldestUnheldCapturedAt: now - age }).status;
    expect(at(30 * DAY_MS + HOUR_MS)).toBe('ok');
    expect(at(30 * DAY_MS + HOUR_MS + 1)).toBe('degraded');
    expect(assessRetentionHealth({ now, retentionDays: 30, oldestUnheldCapturedAt: null })).toMatchObject({
      status: 'ok',
      oldestUnheldAgeMs: null,
    });
  });

  it('explains a degraded state', () => {
    const health = assessRetentionHealth({
      now,
      retentionDays: 30,
      oldestUnheldCapturedAt: now - 31 * DAY_MS - 5 * 60_000,
    });
    expect(health.reasons).toEqual([
      'oldest unheld read is 31d 5m old, past retention (30 d) + grace: purge overdue',
    ]);
  });
});
