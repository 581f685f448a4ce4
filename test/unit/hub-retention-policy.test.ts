// The pure rules of hub retention and hub holds: which days drop, which day is trimmed, which partitions
// exist ahead, when a late read may still get its day, the clock check, and what "retention met" needs.
import { describe, expect, it } from 'vitest';
import { validateHubHoldRequest } from '../../shared/policy/hub-holds.js';
import {
  boundaryDay,
  checkClock,
  daysAhead,
  daysToDrop,
  mayCreatePartitionFor,
  planHubRetention,
  retentionMet,
} from '../../shared/policy/hub-retention.js';
import { DAY_MS, HOUR_MS } from '../../shared/runtime/clock.js';
import { makeHoldRequest } from '../support/factories.js';

const D = (n: number) => Date.UTC(2026, 0, 1) + n * DAY_MS;

describe('daysToDrop / boundaryDay', () => {
  const days = [D(0), D(1), D(2), D(3)];
  it('drops a day only once all of it is before the cutoff', () => {
    expect(daysToDrop(days, D(2))).toEqual([D(0), D(1)]);
    expect(daysToDrop(days, D(2) - 1)).toEqual([D(0)]);
    expect(daysToDrop([D(3), D(0)], D(5))).toEqual([D(0), D(3)]);
  });
  it('names the one day the cutoff falls inside, and none when it falls on midnight', () => {
    expect(boundaryDay(days, D(2) + HOUR_MS)).toBe(D(2));
    expect(boundaryDay(days, D(2))).toBeUndefined();
    expect(boundaryDay(days, D(9) + HOUR_MS)).toBeUndefined();
  });
});

describe('daysAhead / mayCreatePartitionFor', () => {
  it('covers today and the next days', () => {
    expect(daysAhead(D(4) + 15 * HOUR_MS, 2)).toEqual([D(4), D(5), D(6)]);
  });
  it('lets a late read within retention get its day, never one past it', () => {
    const now = D(40);
    expect(mayCreatePartitionFor(now - 30 * DAY_MS, now, 30)).toBe(true);
    expect(mayCreatePartitionFor(now - 30 * DAY_MS - 1, now, 30)).toBe(false);
  });
});

describe('clock check and plan', () => {
  it('flags a now earlier than the last run, not an equal one', () => {
    expect(checkClock(D(5), undefined)).toEqual({ status: 'ok' });
    expect(checkClock(D(5), { now: D(5) })).toEqual({ status: 'ok' });
    expect(checkClock(D(5), { now: D(6) })).toEqual({ status: 'backwards', byMs: DAY_MS, lastRunAt: D(6) });
  });
  it('keeps the last run’s cutoff when the clock went back, and moves it forward otherwise', () => {
    expect(planHubRetention(D(40), 30, { now: D(45), cutoff: D(15) })).toMatchObject({ cutoff: D(15) });
    expect(planHubRetention(D(50), 30, { now: D(45), cutoff: D(15) })).toMatchObject({
      cutoff: D(20),
      clock: { status: 'ok' },
    });
  });
  it('reports retention met only with a trusted clock and nothing expired and unheld left', () => {
    const clean = { daysLeft: 0, unheldExpiredLeft: 0 };
    expect(retentionMet({ status: 'ok' }, clean)).toBe(true);
    expect(retentionMet({ status: 'backwards', byMs: 1, lastRunAt: 0 }, clean)).toBe(false);
    expect(retentionMet({ status: 'ok' }, { daysLeft: 1, unheldExpiredLeft: 0 })).toBe(false);
    expect(retentionMet({ status: 'ok' }, { daysLeft: 0, unheldExpiredLeft: 3 })).toBe(false);
  });
});

describe('validateHubHoldRequest', () => {
  const base = makeHoldRequest({ requestedBy: 'det.a', readIds: ['42'] });
  it('needs the edge the reads came from, besides every phase-1 rule', () => {
    expect(
      validateHubHoldRequest({ ...base, edgeId: 'edge-01' }, D(1), { maxCameraRangeHours: 24 }),
    ).toMatchObject({
      ok: true,
      value: { edgeId: 'edge-01', scope: { kind: 'reads', readIds: [42] } },
    });
    const missing = validateHubHoldRequest({ ...base, approvedBy: 'DET.A' }, D(1), {
      maxCameraRangeHours: 24,
    });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.problems.map((p) => p.field)).toEqual(['edge', 'approved-by']);
    const bad = validateHubHoldRequest({ ...base, edgeId: '../etc' }, D(1), { maxCameraRangeHours: 24 });
    expect(bad.ok === false && bad.problems[0]).toMatchObject({
      field: 'edge',
      message: expect.stringMatching(/not an edge id/),
    });
  });
});
