// The hub's watch over what operations must hear about (docs/events.md): each edge's forwarding lag, from
// the status the edge reports with its batches (forwardingLagStep: `forwarding.lag` over forward.maxLagS,
// `forwarding.caught_up` under half of it), and hub retention (`retention.missed` when a day partition
// wholly past retention is still there an hour after it should have gone). Plate-free by construction:
// counts, seconds and declared edge ids. Lag state is per process; receivers de-duplicate on the rate rule.
import { forwardingLagStep, type LagState } from '../../shared/events/forwarding-lag.js';
import { retentionCutoff } from '../../shared/policy/retention.js';
import type { HubContext } from '../hub-context.js';
import { listReadPartitions } from '../store/read-partitions.js';

const DAY_MS = 86_400_000;
/** One missed hourly run is not yet news. */
const RETENTION_GRACE_MS = 3_600_000;

export class OpsWatch {
  private readonly lag = new Map<string, LagState>();
  private retentionReported = false;

  constructor(private readonly ctx: Pick<HubContext, 'db' | 'events' | 'config'>) {}

  async check(now: number): Promise<void> {
    await this.checkForwarding(now);
    await this.checkRetention(now);
  }

  private async checkForwarding(now: number): Promise<void> {
    const thresholdS = this.ctx.config.forward.maxLagS;
    const rows = await this.ctx.db.query<{
      edge_id: string;
      backlog_reads: number | null;
      oldest_unforwarded_at: Date | null;
      last_seen_at: Date | null;
    }>(
      `SELECT f.edge_id, f.backlog_reads, f.oldest_unforwarded_at, f.last_seen_at
         FROM edge_forwarding f JOIN edges e ON e.id = f.edge_id
        WHERE e.disabled_at IS NULL AND f.status_reported_at IS NOT NULL`,
    );
    for (const r of rows) {
      const lagS = r.oldest_unforwarded_at ? (now - r.oldest_unforwarded_at.getTime()) / 1000 : 0;
      const step = forwardingLagStep(
        this.lag.get(r.edge_id) ?? 'ok',
        {
          edgeId: r.edge_id,
          lagS,
          pendingReads: r.backlog_reads ?? 0,
          lastForwardedAt: r.last_seen_at?.getTime(),
        },
        thresholdS,
      );
      this.lag.set(r.edge_id, step.state);
      if (!step.event) continue;
      this.ctx.events.declare('edge', [r.edge_id]);
      if (step.event.type === 'forwarding.lag') this.ctx.events.publish('forwarding.lag', step.event.data);
      else this.ctx.events.publish('forwarding.caught_up', step.event.data);
    }
  }

  private async checkRetention(now: number): Promise<void> {
    const days = this.ctx.config.retention.days;
    const cutoff = retentionCutoff(now, days);
    const overdue = (await listReadPartitions(this.ctx.db)).filter(
      (p) => p.day + DAY_MS + RETENTION_GRACE_MS <= cutoff,
    );
    if (overdue.length === 0) {
      this.retentionReported = false;
      return;
    }
    if (this.retentionReported) return; // news once, until retention has caught up again
    this.retentionReported = true;
    this.ctx.events.publish('retention.missed', {
      scope: 'hub',
      retentionDays: days,
      overdue: overdue.length,
      unit: 'partitions',
      overdueByS: Math.round((cutoff - (overdue[0]!.day + DAY_MS)) / 1000),
    });
  }
}
