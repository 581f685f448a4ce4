// `retention.missed` from the edge (docs/events.md): every minute the edge looks at the oldest read no
// hold covers; once it is past retention + the 1 h grace (assessRetentionHealth: a purge was missed, the
// purge worker is down or its Redis is) the event says how many reads are overdue and by how long, once,
// until retention is met again. Counts and seconds only: no plate.
import type { EventBus } from '../../shared/events/event-bus.js';
import { retentionCutoff } from '../../shared/policy/retention.js';
import { assessRetentionHealth } from '../../shared/policy/retention-health.js';
import type { Clock } from '../../shared/runtime/clock.js';
import type { PurgeRepository } from '../../shared/store/purge.repository.js';

export type RetentionFigures = Pick<PurgeRepository, 'oldestUnheldCapturedAt' | 'countExpiredUnheld'>;

/** One look; returns the new "reported" flag (true while the miss has been announced). */
export function checkEdgeRetention(
  figures: RetentionFigures,
  bus: Pick<EventBus, 'publish'>,
  o: { now: number; retentionDays: number; reported: boolean },
): boolean {
  const health = assessRetentionHealth({
    now: o.now,
    retentionDays: o.retentionDays,
    oldestUnheldCapturedAt: figures.oldestUnheldCapturedAt(),
  });
  const missed = health.oldestUnheldAgeMs !== null && health.oldestUnheldAgeMs > health.limitMs;
  if (!missed) return false;
  if (o.reported) return true;
  const cutoff = retentionCutoff(o.now, o.retentionDays);
  bus.publish('retention.missed', {
    scope: 'edge',
    retentionDays: o.retentionDays,
    overdue: figures.countExpiredUnheld(cutoff).reads,
    unit: 'reads',
    overdueByS: Math.round((health.oldestUnheldAgeMs! - (o.now - cutoff)) / 1000),
  });
  return true;
}

/** Check every `everyMs` (first at once); returns how to stop. */
export function watchEdgeRetention(
  figures: RetentionFigures,
  bus: Pick<EventBus, 'publish'>,
  o: { clock: Clock; retentionDays: number; everyMs: number; onError(error: unknown): void },
): () => void {
  let reported = false;
  const tick = () => {
    try {
      reported = checkEdgeRetention(figures, bus, {
        now: o.clock(),
        retentionDays: o.retentionDays,
        reported,
      });
    } catch (error) {
      o.onError(error);
    }
  };
  tick();
  const timer = setInterval(tick, o.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
