// Counts refused reads per camera and reason between audit flushes, so the audit chain gets one
// aggregated event per period instead of one row per refused read.
import type { GateRefusalReason } from '../../shared/geofence/gate-decision.js';

export type RefusedCounts = Record<string, Partial<Record<GateRefusalReason, number>>>;

export class RefusedCounter {
  private counts: RefusedCounts = {};
  private total = 0;

  constructor(private since: number) {}

  add(cameraId: string, reason: GateRefusalReason, n = 1): void {
    const perCamera = this.counts[cameraId] ?? {};
    perCamera[reason] = (perCamera[reason] ?? 0) + n;
    this.counts[cameraId] = perCamera;
    this.total += n;
  }

  get pending(): number {
    return this.total;
  }

  get periodStart(): number {
    return this.since;
  }

  /** The counts since the last drain and the period they cover; resets the counter to start at `now`. */
  drain(now: number): { from: number; to: number; total: number; cameras: RefusedCounts } {
    const out = { from: this.since, to: now, total: this.total, cameras: this.counts };
    this.counts = {};
    this.total = 0;
    this.since = now;
    return out;
  }

  /** Put drained counts back (their audit write failed), so they go out with the next flush. */
  restore(drained: { from: number; cameras: RefusedCounts }): void {
    for (const [cameraId, reasons] of Object.entries(drained.cameras)) {
      for (const [reason, n] of Object.entries(reasons))
        this.add(cameraId, reason as GateRefusalReason, n ?? 0);
    }
    this.since = Math.min(this.since, drained.from);
  }
}
