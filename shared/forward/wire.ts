// The JSON bodies of the edge→hub ingest protocol (docs/hub-protocol.md) and the pure check of one
// forwarded read: the hub validates each read on its own, so one malformed read is refused by itself and
// never blocks the good reads behind it.
import { MAX_PLATE_LENGTH } from '../plates/plate-presets.js';

/** Most reads in one POST /api/v1/ingest/reads. */
export const MAX_READS_PER_BATCH = 500;
/** Most cameras, verdicts, receipts or heads in one request. */
export const MAX_ITEMS_PER_REQUEST = 500;

export const INGEST_PATHS = {
  cameras: '/api/v1/ingest/cameras',
  reads: '/api/v1/ingest/reads',
  receipts: '/api/v1/ingest/receipts',
  heads: '/api/v1/ingest/audit-heads',
} as const;

export const READ_REFUSAL_REASONS = [
  'malformed',
  'unknown_camera',
  'no_compliant_verdict',
  'stale_verdict',
  'future_capture',
  'past_retention',
] as const;
export type ReadRefusalReason = (typeof READ_REFUSAL_REASONS)[number];

export interface WireCamera {
  cameraId: string;
  label?: string | null;
  position: { lng: number; lat: number };
  bearingDeg: number;
  fovDeg: number;
  rangeM: number;
  cameraHash: string;
  /** the edge's canonical geometry config (no URL, no credentials) */
  config: Record<string, unknown>;
}

export interface WireVerdict {
  edgeVerdictId: number;
  cameraId: string;
  cameraHash: string;
  registryVersion: string;
  compliant: boolean;
  violations: unknown[];
  evaluatedAt: number;
}

export interface WireRead {
  edgeReadId: number;
  cameraId: string;
  edgeVerdictId: number;
  capturedAt: number;
  plate: string;
  rawText: string;
  confidence: number;
  box: { x: number; y: number; w: number; h: number };
  modelId: string;
  cropSha256: string | null;
}

/** What the edge says about its outbox with each reads batch (after this batch is accepted). */
export interface WireForwardStatus {
  backlogReads: number;
  /** stored_at of the oldest read still waiting after this batch, ms; null when none */
  oldestUnforwardedAt: number | null;
}

export interface ReadsRequest {
  reads: unknown[];
  status?: WireForwardStatus;
}

export interface ReadRefusal {
  /** null when the read had no usable id */
  edgeReadId: number | null;
  /** position in the batch */
  index: number;
  reason: ReadRefusalReason;
  message: string;
}

export interface ReadsAnswer {
  accepted: number[];
  duplicates: number[];
  refused: ReadRefusal[];
  /** highest edgeReadId of the batch (0 for an empty batch): the edge's next cursor */
  cursor: number;
}

export interface WireReceipt {
  auditSeq: number;
  receipt: Record<string, unknown>;
}

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PLATE = new RegExp(`^[A-Z0-9]{1,${MAX_PLATE_LENGTH}}$`);
const SHA256 = /^[0-9a-f]{64}$/;
const READ_KEYS = new Set([
  'edgeReadId',
  'cameraId',
  'edgeVerdictId',
  'capturedAt',
  'plate',
  'rawText',
  'confidence',
  'box',
  'modelId',
  'cropSha256',
]);
const BOX_KEYS = ['x', 'y', 'w', 'h'] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const positiveId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/** The read's id if it has a usable one (to report a refusal against), else null. */
export function wireReadId(raw: unknown): number | null {
  return isObject(raw) && positiveId(raw.edgeReadId) ? raw.edgeReadId : null;
}

/**
 * Check the shape of one forwarded read; the message names the first bad member.
 * @example checkWireRead({ edgeReadId: 1, cameraId: 'c1', ... }) // { ok: true, read }
 */
export function checkWireRead(raw: unknown): { ok: true; read: WireRead } | { ok: false; message: string } {
  const bad = (message: string) => ({ ok: false as const, message });
  if (!isObject(raw)) return bad('a read must be an object');
  for (const key of Object.keys(raw)) if (!READ_KEYS.has(key)) return bad(`unknown member "${key}"`);
  if (!positiveId(raw.edgeReadId)) return bad('edgeReadId must be a positive integer');
  if (typeof raw.cameraId !== 'string' || !ID_PATTERN.test(raw.cameraId))
    return bad('cameraId must be 1-64 letters, digits, "_", "." or "-"');
  if (!positiveId(raw.edgeVerdictId)) return bad('edgeVerdictId must be a positive integer');
  if (!Number.isSafeInteger(raw.capturedAt) || (raw.capturedAt as number) <= 0)
    return bad('capturedAt must be ms since epoch');
  if (typeof raw.plate !== 'string' || !PLATE.test(raw.plate))
    return bad(`plate must be 1-${MAX_PLATE_LENGTH} upper-case letters or digits`);
  if (typeof raw.rawText !== 'string' || raw.rawText.length > 64)
    return bad('rawText must be a string of at most 64 characters');
  if (typeof raw.confidence !== 'number' || !(raw.confidence >= 0 && raw.confidence <= 1))
    return bad('confidence must be a number from 0 to 1');
  const box = raw.box;
  if (!isObject(box) || Object.keys(box).length !== 4 || !BOX_KEYS.every((k) => Number.isSafeInteger(box[k])))
    return bad('box must be {x, y, w, h} in integer pixels');
  if ((box.w as number) <= 0 || (box.h as number) <= 0) return bad('box w and h must be positive');
  if (typeof raw.modelId !== 'string' || raw.modelId.length < 1 || raw.modelId.length > 100)
    return bad('modelId must be a string of 1-100 characters');
  const crop = raw.cropSha256 ?? null;
  if (crop !== null && (typeof crop !== 'string' || !SHA256.test(crop)))
    return bad('cropSha256 must be null or 64 lowercase hex digits');
  return {
    ok: true,
    read: {
      edgeReadId: raw.edgeReadId,
      cameraId: raw.cameraId,
      edgeVerdictId: raw.edgeVerdictId,
      capturedAt: raw.capturedAt as number,
      plate: raw.plate,
      rawText: raw.rawText,
      confidence: raw.confidence,
      box: { x: box.x as number, y: box.y as number, w: box.w as number, h: box.h as number },
      modelId: raw.modelId,
      cropSha256: crop as string | null,
    },
  };
}

/**
 * Whether the hub may take a read captured at `capturedAt` at `now`: not further ahead of its clock than
 * the allowed skew (a read stamped in the future would outlive retention), and not already past retention.
 * @example captureTimeRefusal(now + 600_000, now, { maxSkewMs: 120_000, cutoff }) // 'future_capture'
 */
export function captureTimeRefusal(
  capturedAt: number,
  now: number,
  limits: { maxSkewMs: number; cutoff: number },
): { reason: 'future_capture' | 'past_retention'; message: string } | undefined {
  if (capturedAt > now + limits.maxSkewMs) {
    return {
      reason: 'future_capture',
      message: `captured ${Math.round((capturedAt - now) / 1000)} s ahead of the hub clock (at most ${Math.round(limits.maxSkewMs / 1000)} s allowed)`,
    };
  }
  if (capturedAt < limits.cutoff) {
    return { reason: 'past_retention', message: 'captured before the retention cutoff: already expired' };
  }
  return undefined;
}
