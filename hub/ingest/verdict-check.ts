// The camera-and-verdict check of forwarded reads (fail closed): a read is admitted only under a verdict the
// hub holds, for its own camera, compliant, and not superseded before the read was captured. One query on
// the normal path; the camera table only to tell an unknown camera from a missing verdict.
import type { ReadRefusal, ReadRefusalReason, WireRead } from '../../shared/forward/wire.js';
import type { HubSql } from '../db/hub-db.js';
import type { Admitted } from './read-ingest.sql.js';

interface VerdictInfo {
  id: number;
  cameraId: string;
  compliant: boolean;
  /** evaluated_at of the camera's next verdict (ms), if any: reads captured from then on are stale */
  supersededAt: number | null;
}

/** Admit or refuse (into `refused`) each candidate read of one edge's batch. */
export async function judgeAgainstVerdicts(
  tx: HubSql,
  edgeId: string,
  candidates: { read: WireRead; index: number }[],
  refused: ReadRefusal[],
): Promise<Admitted[]> {
  if (candidates.length === 0) return [];
  const verdictIds = [...new Set(candidates.map((c) => c.read.edgeVerdictId))];
  const verdictRows = await tx.query<{
    id: number;
    edge_verdict_id: number;
    camera_id: string;
    compliant: boolean;
    superseded_at: Date | null;
  }>(
    `SELECT v.id, v.edge_verdict_id, v.camera_id, v.compliant,
            (SELECT min(n.evaluated_at) FROM camera_verdicts n
              WHERE n.edge_id = v.edge_id AND n.camera_id = v.camera_id
                AND n.edge_verdict_id > v.edge_verdict_id) AS superseded_at
       FROM camera_verdicts v WHERE v.edge_id = $1 AND v.edge_verdict_id = ANY($2::bigint[])`,
    [edgeId, verdictIds],
  );
  const verdicts = new Map<number, VerdictInfo>(
    verdictRows.map((r) => [
      r.edge_verdict_id,
      {
        id: r.id,
        cameraId: r.camera_id,
        compliant: r.compliant,
        supersededAt: r.superseded_at?.getTime() ?? null,
      },
    ]),
  );
  // A verdict names its camera (which therefore exists); only reads whose verdict does not match need
  // the camera table, to tell an unknown camera from a missing verdict.
  const unmatched = [
    ...new Set(
      candidates
        .filter((c) => verdicts.get(c.read.edgeVerdictId)?.cameraId !== c.read.cameraId)
        .map((c) => c.read.cameraId),
    ),
  ];
  const cameras = new Set<string>(verdictRows.map((r) => r.camera_id));
  if (unmatched.length > 0) {
    const rows = await tx.query<{ camera_id: string }>(
      'SELECT camera_id FROM cameras WHERE edge_id = $1 AND camera_id = ANY($2::text[])',
      [edgeId, unmatched],
    );
    for (const r of rows) cameras.add(r.camera_id);
  }
  const admitted: Admitted[] = [];
  for (const { read, index } of candidates) {
    const refuse = (reason: ReadRefusalReason, message: string) =>
      refused.push({ edgeReadId: read.edgeReadId, index, reason, message });
    if (!cameras.has(read.cameraId)) {
      refuse('unknown_camera', `camera ${read.cameraId} is not registered at the hub for this edge`);
      continue;
    }
    const v = verdicts.get(read.edgeVerdictId);
    if (!v || v.cameraId !== read.cameraId || !v.compliant) {
      refuse(
        'no_compliant_verdict',
        !v
          ? `verdict ${read.edgeVerdictId} is not at the hub`
          : v.cameraId !== read.cameraId
            ? `verdict ${read.edgeVerdictId} is camera ${v.cameraId}'s, not ${read.cameraId}'s`
            : `verdict ${read.edgeVerdictId} is not compliant`,
      );
      continue;
    }
    if (v.supersededAt !== null && v.supersededAt <= read.capturedAt) {
      refuse('stale_verdict', `verdict ${read.edgeVerdictId} was superseded before the read was captured`);
      continue;
    }
    admitted.push({ read, index, verdictId: v.id });
  }
  return admitted;
}
