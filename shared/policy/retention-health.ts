// When the worker's /health says retention is not being met: the oldest unheld read is past retention
// (a purge was missed), or the purge clock cannot be trusted (it is behind what the store has seen, or
// the last purge ran on such a clock). Pure: `now` and the store's figures are arguments.
import { HOUR_MS } from '../runtime/clock.js';
import type { PurgeClock } from './clock-skew.js';
import { retentionCutoff } from './retention.js';

export interface RetentionHealth {
  status: 'ok' | 'degraded';
  oldestUnheldAgeMs: number | null;
  /** Oldest unheld read age allowed before /health degrades. */
  limitMs: number;
  reasons: string[];
}

/** Slack after the retention period before health degrades: one missed hourly run is not yet a breach. */
export const RETENTION_HEALTH_GRACE_MS = HOUR_MS;

/**
 * Degraded when the oldest unheld read is older than retention + grace (1 hour): a purge was missed.
 * @example assessRetentionHealth({ now, retentionDays: 30, oldestUnheldCapturedAt: now - 31 * DAY_MS })
 *   // { status: 'degraded', … }
 */
export function assessRetentionHealth(input: {
  now: number;
  retentionDays: number;
  oldestUnheldCapturedAt: number | null;
  graceMs?: number;
  /** The clock as judged against the store now (assessPurgeClock); ages are measured at its `now`. */
  clock?: PurgeClock;
  /** The last completed purge's own clock judgement (its receipt's clockSkew), if it had one. */
  lastPurgeClock?: { trusted: boolean; skewMs: number; finishedAt: string };
}): RetentionHealth {
  const limitMs =
    input.now -
    retentionCutoff(input.now, input.retentionDays) +
    (input.graceMs ?? RETENTION_HEALTH_GRACE_MS);
  const now = input.clock?.now ?? input.now;
  const age = input.oldestUnheldCapturedAt === null ? null : Math.max(0, now - input.oldestUnheldCapturedAt);
  const reasons: string[] = [];
  if (input.clock && !input.clock.trusted) {
    const what = input.clock.source === 'stored_at' ? 'the newest stored read' : 'the last purge receipt';
    reasons.push(
      `clock is ${formatDuration(input.clock.skewMs)} behind ${what}: it went backwards (or those were stamped ahead); purges run on the latest trustworthy time until it is fixed`,
    );
  }
  if (input.lastPurgeClock && !input.lastPurgeClock.trusted) {
    reasons.push(
      `the last purge (${input.lastPurgeClock.finishedAt}) ran on a clock ${formatDuration(input.lastPurgeClock.skewMs)} behind the store: retention not shown to be met until a purge runs on a sane clock`,
    );
  }
  if (age !== null && age > limitMs) {
    reasons.push(
      `oldest unheld read is ${formatDuration(age)} old, past retention (${input.retentionDays} d) + grace: purge overdue`,
    );
  }
  return { status: reasons.length > 0 ? 'degraded' : 'ok', oldestUnheldAgeMs: age, limitMs, reasons };
}

/** "31d 2h 5m" (or "42s" under a minute), for messages people read. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.floor(ms / 1000))}s`;
  const minutes = Math.floor(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d}d` : '', h ? `${h}h` : '', `${m}m`].filter(Boolean).join(' ');
}
