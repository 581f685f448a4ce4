// Hub retention and hold fixtures: a seeded edge with a compliant camera, reads inserted in bulk on a
// given day, and the real services wired to a test database with a pinned clock.
import { HubAuditLog } from '../../hub/audit/hub-audit-log.js';
import type { HubDb, HubSql } from '../../hub/db/hub-db.js';
import { HubHoldService } from '../../hub/holds/hub-hold.service.js';
import { type HubRetentionOptions, HubRetentionService } from '../../hub/retention/retention.service.js';
import { ensureReadPartition } from '../../hub/store/read-partitions.js';
import { createLogger } from '../../shared/logging/logger.js';
import { DAY_MS, HOUR_MS } from '../../shared/runtime/clock.js';
import { insertAgency, insertCamera, insertEdge, insertVerdict, T0 } from './hub-factories.js';

export { T0 };
/** A day partition fully inside the tests' history: 2026-03-01. */
export const DAY0 = Date.UTC(2026, 2, 1);

export const silentLogger = createLogger({ level: 'silent' });

/** One agency, edge `edge-01`, camera `cam-1` with a compliant verdict evaluated long before DAY0. */
export async function seedHub(sql: HubSql, edgeId = 'edge-01'): Promise<{ verdictId: number }> {
  const agency = await insertAgency(sql);
  await insertEdge(sql, agency, edgeId);
  await insertCamera(sql, edgeId);
  const verdictId = await insertVerdict(sql, {
    edgeId,
    cameraId: 'cam-1',
    edgeVerdictId: 1,
    evaluatedAt: DAY0 - 10 * DAY_MS,
  });
  return { verdictId };
}

/**
 * `count` reads of edge-01/cam-1 on the day starting `day`, edge read ids from `firstId`, spread evenly
 * from `offsetMs` into the day, plates P000000, P000001… (inserted by one statement).
 */
export async function insertReadsOnDay(
  sql: HubSql,
  options: {
    verdictId: number;
    day: number;
    count: number;
    firstId: number;
    offsetMs?: number;
    stepMs?: number;
  },
): Promise<void> {
  await ensureReadPartition(sql, options.day);
  const offset = options.offsetMs ?? HOUR_MS;
  const step = options.stepMs ?? Math.max(1, Math.floor((DAY_MS - offset - 1) / Math.max(1, options.count)));
  await sql.query(
    `INSERT INTO reads (edge_id, edge_read_id, camera_id, captured_at, plate, plate_key, raw_text, confidence,
                        box_x, box_y, box_w, box_h, model_id, verdict_id, received_at)
     SELECT 'edge-01', $1::bigint + g, 'cam-1', $2::timestamptz + (g * $3::bigint) * interval '1 millisecond',
            'P' || lpad(g::text, 6, '0'), 'P' || lpad(g::text, 6, '0'), 'P' || lpad(g::text, 6, '0'), 0.9,
            10, 10, 100, 50, 'm1', $4, $2::timestamptz
       FROM generate_series(0, $5::int - 1) AS g`,
    [options.firstId, new Date(options.day + offset), step, options.verdictId, options.count],
  );
}

export function holdService(db: HubDb, retentionDays = 30): HubHoldService {
  return new HubHoldService(db, new HubAuditLog(), retentionDays, { maxCameraRangeHours: 24 });
}

/** A hold request on edge-01 by read id, valid at any `now` after DAY0. */
export function readHold(readIds: number[], caseNumber = 'C-2026-001') {
  return {
    edgeId: 'edge-01',
    caseNumber,
    crimeType: 'PC211',
    reason: 'robbery suspect vehicle',
    requestedBy: 'det.alvarez',
    approvedBy: 'lt.chen',
    readIds: readIds.map(String),
  };
}

export function retentionService(
  db: HubDb,
  clock: () => number,
  overrides: Partial<HubRetentionOptions> = {},
): HubRetentionService {
  return new HubRetentionService({
    db,
    audit: new HubAuditLog(),
    clock,
    logger: silentLogger,
    retentionDays: 30,
    partitionsAheadDays: 2,
    leaseMs: 60_000,
    lockTimeoutMs: 2000,
    ...overrides,
  });
}

/** Count rows of a table or partition. */
export async function count(sql: HubSql, table: string, where = 'true'): Promise<number> {
  const rows = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`);
  return rows[0]!.n;
}

/** Audit payloads of one kind, oldest first. */
export async function auditPayloads<T = Record<string, unknown>>(sql: HubSql, kind: string): Promise<T[]> {
  const rows = await sql.query<{ payload: string }>(
    'SELECT payload FROM audit_events WHERE kind = $1 ORDER BY seq',
    [kind],
  );
  return rows.map((r) => JSON.parse(r.payload) as T);
}
