// What the forwarder reads from the edge store (the outbox): verdicts with their cameras, reads, purge
// receipts after a cursor, and the backlog. Every query is a bounded range on a primary key or index, so
// a read here takes milliseconds and never holds up the store's writers.
import type Database from 'better-sqlite3';
import { AuditKind } from '../../shared/audit/audit-log.js';
import type { WireCamera, WireRead, WireReceipt, WireVerdict } from '../../shared/forward/wire.js';
import { deriveRangeM } from '../../shared/geofence/sector.js';

interface ReadRow {
  id: number;
  camera_id: string;
  plate: string;
  raw_text: string;
  confidence: number;
  captured_at: number;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
  model_id: string;
  verdict_id: number;
}

interface VerdictRow {
  id: number;
  camera_id: string;
  camera_hash: string;
  registry_version: string;
  compliant: number;
  violations: string;
  evaluated_at: number;
  config: string;
  config_hash: string;
}

export interface VerdictBatch {
  cameras: WireCamera[];
  verdicts: WireVerdict[];
  /** highest verdict id read (including verdicts of cameras that could not be described) */
  lastId: number;
  /** cameras whose stored config has no geometry: their verdicts are not forwarded (fail closed) */
  undescribed: string[];
}

interface Geometry {
  position?: { lng?: unknown; lat?: unknown };
  bearingDeg?: unknown;
  fovDeg?: unknown;
  rangeM?: unknown;
  derivedRange?: { frameWidthPx?: unknown; minPlateWidthPx?: unknown; plateWidthM?: unknown };
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The hub's view of a camera from the edge's stored config (geometry only), or undefined if it has none. */
export function wireCameraOf(id: string, configText: string, configHash: string): WireCamera | undefined {
  let config: { label?: unknown; geometry?: Geometry };
  try {
    config = JSON.parse(configText) as typeof config;
  } catch {
    return undefined;
  }
  const g = config.geometry;
  if (!g || !num(g.position?.lng) || !num(g.position?.lat) || !num(g.bearingDeg) || !num(g.fovDeg))
    return undefined;
  const d = g.derivedRange;
  const rangeM = num(g.rangeM)
    ? g.rangeM
    : d && num(d.frameWidthPx) && num(d.minPlateWidthPx) && num(d.plateWidthM)
      ? deriveRangeM({
          fovDeg: g.fovDeg,
          frameWidthPx: d.frameWidthPx,
          minPlateWidthPx: d.minPlateWidthPx,
          plateWidthM: d.plateWidthM,
        })
      : undefined;
  if (rangeM === undefined || !(rangeM > 0)) return undefined;
  return {
    cameraId: id,
    label: typeof config.label === 'string' ? config.label : null,
    position: { lng: g.position!.lng as number, lat: g.position!.lat as number },
    bearingDeg: g.bearingDeg,
    fovDeg: g.fovDeg,
    rangeM,
    cameraHash: configHash,
    config: g as Record<string, unknown>,
  };
}

export class ForwardOutbox {
  private readonly readsStmt: Database.Statement<[number, number], ReadRow>;
  private readonly verdictsStmt: Database.Statement<[number, number], VerdictRow>;
  private readonly receiptsStmt: Database.Statement<
    [string, number, number],
    { seq: number; payload: string }
  >;
  private readonly countStmt: Database.Statement<[number], { n: number }>;
  private readonly oldestStmt: Database.Statement<[number], { stored_at: number }>;

  constructor(db: Database.Database) {
    this.readsStmt =
      db.prepare(`SELECT id, camera_id, plate, raw_text, confidence, captured_at, box_x, box_y, box_w,
      box_h, model_id, verdict_id FROM reads WHERE id > ? ORDER BY id LIMIT ?`);
    this.verdictsStmt = db.prepare(`SELECT v.id, v.camera_id, v.camera_hash, v.registry_version, v.compliant,
      v.violations, v.evaluated_at, c.config, c.config_hash
      FROM compliance_verdicts v JOIN cameras c ON c.id = v.camera_id WHERE v.id > ? ORDER BY v.id LIMIT ?`);
    this.receiptsStmt = db.prepare(
      'SELECT seq, payload FROM audit_events WHERE kind = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.countStmt = db.prepare('SELECT count(*) AS n FROM reads WHERE id > ?');
    this.oldestStmt = db.prepare('SELECT stored_at FROM reads WHERE id > ? ORDER BY id LIMIT 1');
  }

  /**
   * Reads after `afterId`, oldest first, as the protocol sends them; the batch stops before the first read
   * whose verdict is newer than `verdictsThrough` (not at the hub yet, so the hub would refuse it): that
   * verdict goes first, then the read. `heldBack` says a batch was cut there.
   */
  readsAfter(
    afterId: number,
    limit: number,
    verdictsThrough = Number.MAX_SAFE_INTEGER,
  ): { reads: WireRead[]; lastId: number; heldBack: boolean } {
    const all = this.readsStmt.all(afterId, limit);
    const cut = all.findIndex((r) => r.verdict_id > verdictsThrough);
    const rows = cut < 0 ? all : all.slice(0, cut);
    return {
      lastId: rows.at(-1)?.id ?? afterId,
      heldBack: cut >= 0,
      reads: rows.map((r) => ({
        edgeReadId: r.id,
        cameraId: r.camera_id,
        edgeVerdictId: r.verdict_id,
        capturedAt: r.captured_at,
        plate: r.plate,
        rawText: r.raw_text,
        confidence: r.confidence,
        box: { x: r.box_x, y: r.box_y, w: r.box_w, h: r.box_h },
        modelId: r.model_id,
        cropSha256: null,
      })),
    };
  }

  /** Verdicts after `afterId` and the cameras they are about (their current rows). */
  verdictsAfter(afterId: number, limit: number): VerdictBatch {
    const rows = this.verdictsStmt.all(afterId, limit);
    const cameras = new Map<string, WireCamera | undefined>();
    for (const r of rows) {
      if (!cameras.has(r.camera_id))
        cameras.set(r.camera_id, wireCameraOf(r.camera_id, r.config, r.config_hash));
    }
    return {
      lastId: rows.at(-1)?.id ?? afterId,
      cameras: [...cameras.values()].filter((c): c is WireCamera => c !== undefined),
      undescribed: [...cameras].filter(([, c]) => c === undefined).map(([id]) => id),
      verdicts: rows
        .filter((r) => cameras.get(r.camera_id) !== undefined)
        .map((r) => ({
          edgeVerdictId: r.id,
          cameraId: r.camera_id,
          cameraHash: r.camera_hash,
          registryVersion: r.registry_version,
          compliant: r.compliant === 1,
          violations: JSON.parse(r.violations) as unknown[],
          evaluatedAt: r.evaluated_at,
        })),
    };
  }

  /** Purge receipts (audit rows) after audit seq `afterSeq`. */
  receiptsAfter(afterSeq: number, limit: number): { receipts: WireReceipt[]; lastSeq: number } {
    const rows = this.receiptsStmt.all(AuditKind.purgeReceipt, afterSeq, limit);
    return {
      lastSeq: rows.at(-1)?.seq ?? afterSeq,
      receipts: rows.map((r) => ({
        auditSeq: r.seq,
        receipt: JSON.parse(r.payload) as Record<string, unknown>,
      })),
    };
  }

  /** Reads after `afterId`: how many, and when the oldest of them was stored (null when none). */
  backlog(afterId: number): { reads: number; oldestStoredAt: number | null } {
    const oldest = this.oldestStmt.get(afterId);
    if (!oldest) return { reads: 0, oldestStoredAt: null };
    return { reads: this.countStmt.get(afterId)!.n, oldestStoredAt: oldest.stored_at };
  }
}
