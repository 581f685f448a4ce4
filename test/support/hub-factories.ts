// Hub rows for tests, built by small factories with overrides (straight SQL, so store tests do not depend
// on the ingest code they may be testing).
import type { HubSql } from '../../hub/db/hub-db.js';
import { ensureReadPartition } from '../../hub/store/read-partitions.js';

export const T0 = Date.UTC(2026, 2, 1, 12, 0, 0); // 2026-03-01T12:00:00Z

export async function insertAgency(
  sql: HubSql,
  overrides: Partial<{ ori: string; name: string; agencyType: string; state: string; isHome: boolean }> = {},
): Promise<number> {
  const rows = await sql.query<{ id: number }>(
    `INSERT INTO agencies (ori, name, agency_type, state, is_home, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      overrides.ori ?? 'CA0430100',
      overrides.name ?? 'San José Police Department',
      overrides.agencyType ?? 'local_le',
      overrides.state ?? 'CA',
      overrides.isHome ?? true,
      new Date(T0),
    ],
  );
  return rows[0]!.id;
}

export async function insertEdge(sql: HubSql, agencyId: number, id = 'edge-01'): Promise<string> {
  await sql.query('INSERT INTO edges (id, agency_id, created_at) VALUES ($1, $2, $3)', [
    id,
    agencyId,
    new Date(T0),
  ]);
  return id;
}

export async function insertCamera(sql: HubSql, edgeId: string, cameraId = 'cam-1'): Promise<string> {
  await sql.query(
    `INSERT INTO cameras (edge_id, camera_id, lng, lat, bearing_deg, fov_deg, range_m, camera_hash, config,
                          first_seen_at, updated_at)
     VALUES ($1, $2, -121.886, 37.338, 20, 40, 30, 'h1', '{}', $3, $3)`,
    [edgeId, cameraId, new Date(T0)],
  );
  return cameraId;
}

export async function insertVerdict(
  sql: HubSql,
  overrides: {
    edgeId: string;
    cameraId: string;
    edgeVerdictId: number;
    compliant?: boolean;
    evaluatedAt?: number;
  },
): Promise<number> {
  const rows = await sql.query<{ id: number }>(
    `INSERT INTO camera_verdicts (edge_id, camera_id, edge_verdict_id, camera_hash, registry_version, compliant,
                                  evaluated_at, received_at)
     VALUES ($1, $2, $3, 'h1', 'r1', $4, $5, $5) RETURNING id`,
    [
      overrides.edgeId,
      overrides.cameraId,
      overrides.edgeVerdictId,
      overrides.compliant ?? true,
      new Date(overrides.evaluatedAt ?? T0 - 3_600_000),
    ],
  );
  return rows[0]!.id;
}

export interface ReadRow {
  edgeId: string;
  edgeReadId: number;
  cameraId: string;
  capturedAt: number;
  plate: string;
  verdictId: number;
}

export async function insertRead(
  sql: HubSql,
  read: Partial<ReadRow> & Pick<ReadRow, 'verdictId'>,
): Promise<void> {
  const capturedAt = read.capturedAt ?? T0;
  await ensureReadPartition(sql, capturedAt);
  const plate = read.plate ?? '7ABC123';
  await sql.query(
    `INSERT INTO reads (edge_id, edge_read_id, camera_id, captured_at, plate, plate_key, raw_text, confidence,
                        box_x, box_y, box_w, box_h, model_id, verdict_id, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $5, 0.9, 10, 10, 100, 50, 'm1', $7, $4)`,
    [
      read.edgeId ?? 'edge-01',
      read.edgeReadId ?? 1,
      read.cameraId ?? 'cam-1',
      new Date(capturedAt),
      plate,
      plate.replaceAll('O', '0').replaceAll('I', '1'),
      read.verdictId,
    ],
  );
}
