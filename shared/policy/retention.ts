// Retention rule of the ALPR policy: a read expires `days` after capture unless an active
// evidentiary hold covers it. Pure: callers pass `now`.
import { DAY_MS } from '../runtime/clock.js';

/**
 * The retention in force for a store, as one object: made once when the store is opened (from
 * retention.days) and read from the store by everything that applies it (visibility, holds, purge, health).
 */
export interface RetentionPolicy {
  /** A read expires this many days after capture unless an active hold covers it. */
  readonly days: number;
}

/**
 * Earliest capture time (ms, UTC) a read may have and still be within retention at `now`.
 * A read captured strictly before the cutoff is expired.
 * @example retentionCutoff(Date.UTC(2026, 0, 31), 30) // Date.UTC(2026, 0, 1)
 */
export function retentionCutoff(now: number, days: number): number {
  if (!Number.isFinite(now)) throw new RangeError(`retentionCutoff: now must be a finite time, got ${now}`);
  if (!Number.isInteger(days) || days < 1)
    throw new RangeError(`retentionCutoff: days must be >= 1, got ${days}`);
  return now - days * DAY_MS;
}

/**
 * Whether a read is past retention and not protected by a hold.
 * @example isExpired({ capturedAt: 0, held: false }, 31 * DAY_MS, 30) // true
 */
export function isExpired(read: { capturedAt: number; held: boolean }, now: number, days: number): boolean {
  return isExpiredBefore(read, retentionCutoff(now, days));
}

/**
 * The same rule against a cutoff already fixed (a purge run keeps the cutoff it started with, even
 * when it is resumed later).
 * @example isExpiredBefore({ capturedAt: 5, held: false }, 10) // true
 */
export function isExpiredBefore(read: { capturedAt: number; held: boolean }, cutoff: number): boolean {
  return !read.held && read.capturedAt < cutoff;
}

/**
 * Whether a crop file on disk may be swept as an orphan: no read refers to it and it was written before
 * the cutoff. A crop is written when its read is captured, so such a file belongs to a purged read (a
 * crash between row delete and unlink); a newer unreferenced file may be an ingest mid-write and stays.
 * @example isOrphanCrop({ referenced: false, writtenAt: 5 }, 10) // true
 */
export function isOrphanCrop(file: { referenced: boolean; writtenAt: number }, cutoff: number): boolean {
  return !file.referenced && file.writtenAt < cutoff;
}
