// The plate-free `hit.unverified_waiting` event (docs/events.md): once when a hit is created (waitingS 0),
// and once more when it has waited past access.hotlist.unverifiedReportHours without a person (HIT-03).
// Ids, the wait and staleness only: whoever receives it opens the hit in the hub to see anything else.
import type { HubSql } from '../db/hub-db.js';
import type { HubContext } from '../hub-context.js';
import type { CreatedHit } from './hit-matcher.js';

type EventCtx = Pick<HubContext, 'events' | 'config'>;

const thresholdS = (ctx: EventCtx) => ctx.config.access.hotlist.unverifiedReportHours * 3600;

/** Publish one event per hit just created (after the ingest transaction committed). */
export function publishHitsWaiting(ctx: EventCtx, hits: readonly CreatedHit[]): void {
  for (const hit of hits) {
    ctx.events.declare('edge', [hit.edgeId]);
    ctx.events.declare('camera', [hit.cameraId]);
    ctx.events.publish('hit.unverified_waiting', {
      hitId: hit.hitId,
      agencyId: hit.agencyId,
      waitingS: 0,
      thresholdS: thresholdS(ctx),
      stale: hit.stale,
      edgeId: hit.edgeId,
      cameraId: hit.cameraId,
    });
  }
}

/** Hits unverified past the threshold and not yet announced as overdue: announce them, once. */
export async function publishOverdueHits(ctx: EventCtx & { db: HubSql }, now: number): Promise<number> {
  const limit = thresholdS(ctx);
  const rows = await ctx.db.query<{
    id: number;
    agency_id: number;
    edge_id: string;
    camera_id: string;
    stale: boolean;
    created_at: Date;
  }>(
    `UPDATE hits SET waiting_notified_at = $1
      WHERE id IN (SELECT id FROM hits WHERE state = 'unverified' AND waiting_notified_at IS NULL
                     AND created_at < $2 ORDER BY created_at LIMIT 500)
      RETURNING id, agency_id, edge_id, camera_id, stale, created_at`,
    [new Date(now), new Date(now - limit * 1000)],
  );
  for (const r of rows) {
    ctx.events.declare('edge', [r.edge_id]);
    ctx.events.declare('camera', [r.camera_id]);
    ctx.events.publish('hit.unverified_waiting', {
      hitId: r.id,
      agencyId: r.agency_id,
      waitingS: Math.max(0, Math.round((now - r.created_at.getTime()) / 1000)),
      thresholdS: limit,
      stale: r.stale,
      edgeId: r.edge_id,
      cameraId: r.camera_id,
    });
  }
  return rows.length;
}
