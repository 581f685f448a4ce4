// POST /api/v1/ingest/cameras: an edge's cameras (upserted: position, aim and optics may change; the
// history is in the verdicts) and its verdicts (inserted once per edge verdict id). Reads are refused at
// the hub unless the verdict they were stored under is here, so an edge sends these first.
import type { WireCamera, WireVerdict } from '../../shared/forward/wire.js';
import type { HubSql } from '../db/hub-db.js';
import { touchForwarding } from '../edges/edges.repository.js';
import { unprocessable } from '../http/http-errors.js';

export interface CamerasRequest {
  cameras: WireCamera[];
  verdicts: WireVerdict[];
}

async function upsertCamera(tx: HubSql, edgeId: string, c: WireCamera, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO cameras (edge_id, camera_id, label, lng, lat, bearing_deg, fov_deg, range_m, camera_hash, config,
                          first_seen_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
     ON CONFLICT (edge_id, camera_id) DO UPDATE SET
       label = excluded.label, lng = excluded.lng, lat = excluded.lat, bearing_deg = excluded.bearing_deg,
       fov_deg = excluded.fov_deg, range_m = excluded.range_m, camera_hash = excluded.camera_hash,
       config = excluded.config, updated_at = excluded.updated_at
     WHERE (cameras.camera_hash, cameras.label, cameras.range_m) IS DISTINCT FROM
           (excluded.camera_hash, excluded.label, excluded.range_m)`,
    [
      edgeId,
      c.cameraId,
      c.label ?? null,
      c.position.lng,
      c.position.lat,
      ((c.bearingDeg % 360) + 360) % 360,
      c.fovDeg,
      c.rangeM,
      c.cameraHash,
      JSON.stringify(c.config),
      now,
    ],
  );
}

/** Store cameras then verdicts in `tx`; returns the highest edge verdict id the hub now has for the edge. */
export async function ingestCameras(
  tx: HubSql,
  edgeId: string,
  body: CamerasRequest,
  now: number,
): Promise<{ verdictCursor: number }> {
  const at = new Date(now);
  for (const camera of body.cameras) await upsertCamera(tx, edgeId, camera, at);
  if (body.verdicts.length > 0) {
    const cameraIds = [...new Set(body.verdicts.map((v) => v.cameraId))];
    const known = await tx.query<{ camera_id: string }>(
      'SELECT camera_id FROM cameras WHERE edge_id = $1 AND camera_id = ANY($2::text[])',
      [edgeId, cameraIds],
    );
    const knownIds = new Set(known.map((r) => r.camera_id));
    const unknown = cameraIds.filter((id) => !knownIds.has(id));
    if (unknown.length > 0) {
      throw unprocessable(
        'unknown_camera',
        `verdicts for camera(s) ${unknown.join(', ')} that this edge has not registered: send the cameras first`,
        { cameras: unknown },
      );
    }
    const v = body.verdicts;
    await tx.query(
      `INSERT INTO camera_verdicts (edge_id, camera_id, edge_verdict_id, camera_hash, registry_version, compliant,
                                    violations, evaluated_at, received_at)
       SELECT $1, t.camera_id, t.edge_verdict_id, t.camera_hash, t.registry_version, t.compliant,
              t.violations::jsonb, t.evaluated_at, $2
         FROM unnest($3::text[], $4::bigint[], $5::text[], $6::text[], $7::boolean[], $8::text[], $9::timestamptz[])
           AS t(camera_id, edge_verdict_id, camera_hash, registry_version, compliant, violations, evaluated_at)
       ON CONFLICT (edge_id, edge_verdict_id) DO NOTHING`,
      [
        edgeId,
        at,
        v.map((x) => x.cameraId),
        v.map((x) => x.edgeVerdictId),
        v.map((x) => x.cameraHash),
        v.map((x) => x.registryVersion),
        v.map((x) => x.compliant),
        v.map((x) => JSON.stringify(x.violations)),
        v.map((x) => new Date(x.evaluatedAt)),
      ],
    );
  }
  const rows = await tx.query<{ cursor: number | null }>(
    'SELECT max(edge_verdict_id) AS cursor FROM camera_verdicts WHERE edge_id = $1',
    [edgeId],
  );
  const verdictCursor = rows[0]?.cursor ?? 0;
  await touchForwarding(tx, edgeId, 'cameras', now, { verdictCursor });
  return { verdictCursor };
}
