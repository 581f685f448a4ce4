// Hub retention rules: reads live in one partition per UTC capture day; a day is dropped once all of it is
// past the retention cutoff, the expired part of the boundary day is trimmed row by row, and a clock that
// went backwards never moves the cutoff back nor reports "retention met". Pure: callers pass `now`.
import { DAY_MS } from '../runtime/clock.js';
import { retentionCutoff } from './retention.js';

/** Start of the UTC day holding `ms`. */
export function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/**
 * Days (their UTC start) whose whole partition is past `cutoff`: every read in them expired.
 * @example daysToDrop([Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2)], Date.UTC(2026, 0, 2, 6)) // [Date.UTC(2026, 0, 1)]
 */
export function daysToDrop(days: readonly number[], cutoff: number): number[] {
  return days.filter((day) => day + DAY_MS <= cutoff).sort((a, b) => a - b);
}

/**
 * The day partly past `cutoff` (some of its reads expired, some not), if it has a partition.
 * @example boundaryDay([Date.UTC(2026, 0, 2)], Date.UTC(2026, 0, 2, 6)) // Date.UTC(2026, 0, 2)
 */
export function boundaryDay(days: readonly number[], cutoff: number): number | undefined {
  return days.find((day) => day < cutoff && cutoff < day + DAY_MS);
}

/**
 * Days that must have a partition at `now`: today and the next `aheadDays`, so ingest never waits on DDL.
 * @example daysAhead(Date.UTC(2026, 0, 1, 15), 2) // [Jan 1, Jan 2, Jan 3] at 00:00 UTC
 */
export function daysAhead(now: number, aheadDays: number): number[] {
  const today = utcDay(now);
  return Array.from({ length: aheadDays + 1 }, (_, i) => today + i * DAY_MS);
}

/**
 * Whether a late read captured at `capturedAt` may still get a partition: only while it is within
 * retention (a read past the cutoff is refused, never stored for the next drop to remove).
 * @example mayCreatePartitionFor(now - DAY_MS, now, 30) // true
 */
export function mayCreatePartitionFor(capturedAt: number, now: number, days: number): boolean {
  return capturedAt >= retentionCutoff(now, days);
}

export type ClockCheck =
  | { status: 'ok' }
  /** `now` is earlier than a run already receipted: the clock went backwards by `byMs`. */
  | { status: 'backwards'; byMs: number; lastRunAt: number };

/**
 * Judge `now` against the last receipted run. Equal times are fine (two runs in the same millisecond).
 * @example checkClock(1000, { now: 2000, cutoff: 0 }) // { status: 'backwards', byMs: 1000, lastRunAt: 2000 }
 */
export function checkClock(now: number, last: { now: number } | undefined): ClockCheck {
  if (!last || now >= last.now) return { status: 'ok' };
  return { status: 'backwards', byMs: last.now - now, lastRunAt: last.now };
}

export interface HubRetentionPlan {
  now: number;
  retentionDays: number;
  /** Reads captured strictly before this are expired unless held. Never earlier than a receipted cutoff. */
  cutoff: number;
  clock: ClockCheck;
}

/**
 * Plan a run at `now`. With the clock gone backwards the cutoff of the last run stands: time already
 * reached it, and a cutoff moving back would keep reads the last run had found expired.
 * @example planHubRetention(Date.UTC(2026, 0, 31), 30, undefined).cutoff // Date.UTC(2026, 0, 1)
 */
export function planHubRetention(
  now: number,
  retentionDays: number,
  last: { now: number; cutoff: number } | undefined,
): HubRetentionPlan {
  const own = retentionCutoff(now, retentionDays);
  return {
    now,
    retentionDays,
    cutoff: last ? Math.max(own, last.cutoff) : own,
    clock: checkClock(now, last),
  };
}

/** What one run found and did, as its receipt states it. */
export interface HubRetentionFacts {
  daysDropped: number;
  rowsDropped: number;
  rowsTrimmed: number;
  evidenceDeleted: number;
  /** Expired reads kept because an active hold pins them (in partitions and in evidence). */
  heldKept: number;
  /** Expired partitions left in place (their drop failed and is retried next run). */
  daysLeft: number;
  /** Unheld reads captured before the cutoff still stored after the run. */
  unheldExpiredLeft: number;
}

/**
 * Retention is met only when nothing expired and unheld is left AND the clock is trusted: a clock that
 * went backwards may be the reason nothing looks expired.
 * @example retentionMet({ status: 'ok' }, { daysLeft: 0, unheldExpiredLeft: 0 }) // true
 */
export function retentionMet(
  clock: ClockCheck,
  facts: Pick<HubRetentionFacts, 'daysLeft' | 'unheldExpiredLeft'>,
): boolean {
  return clock.status === 'ok' && facts.daysLeft === 0 && facts.unheldExpiredLeft === 0;
}
