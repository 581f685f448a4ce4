// The operations events the system emits and the exact shape of each payload. Every field is an enum, a
// number, a time, a UUID or the id of something this process has declared (a camera, an edge, itself):
// there is no free-text field anywhere, so no plate, raw read, crop, user name or case number has a place
// to travel in (HIT-01, MIN-01/02). Adding a field means adding it here, where the validator sees it.
import { z } from 'zod';
import { GATE_REFUSAL_REASONS } from '../geofence/gate-decision.js';

/** Why a camera is down, as the edge's supervisor classifies ffmpeg failures (edge/ingest/ffmpeg-failure.ts). */
export const CAMERA_DOWN_REASONS = [
  'auth_failed',
  'not_found',
  'unreachable',
  'bad_stream',
  'stream_ended',
  'stalled',
  'ffmpeg_missing',
  'ffmpeg_failed',
  'pipeline_failed',
  'unknown',
] as const;
export type CameraDownReason = (typeof CAMERA_DOWN_REASONS)[number];

/** The gate's refusal reasons, as the pure gate rule defines them. */
export { GATE_REFUSAL_REASONS };

/** Kinds of id an event may carry; each must have been declared to the validator (plate-free.ts). */
export type DeclaredIdKind = 'node' | 'camera' | 'edge';

/** Longest id, as the config and the hub schema allow. */
const ID = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'not an id');
/** ISO-8601 UTC with milliseconds, exactly as Date#toISOString writes it. */
export const ISO_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const TIME = z.string().regex(ISO_TIME_PATTERN, 'not an ISO-8601 UTC time');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const COUNT = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const SECONDS = z
  .number()
  .int()
  .min(0)
  .max(10 * 365 * 86_400);
const ROW_ID = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

const gateReason = z.enum(GATE_REFUSAL_REASONS);

/** The data schema of every event type, and which of its fields are declared ids. */
export const EVENT_CATALOG = {
  'camera.offline': {
    summary: 'A camera has had no frames for ingest.offlineAfterS (edge).',
    data: z.strictObject({
      cameraId: ID,
      reason: z.enum(CAMERA_DOWN_REASONS),
      /** Seconds since the last frame (or since the camera started, if it never sent one). */
      downForS: SECONDS,
      lastFrameAt: TIME.nullable(),
    }),
    ids: { cameraId: 'camera' },
  },
  'camera.back': {
    summary: 'A camera that was offline sends frames again (edge).',
    data: z.strictObject({ cameraId: ID, offlineForS: SECONDS }),
    ids: { cameraId: 'camera' },
  },
  'gate.refusing': {
    summary: 'The compliance gate stopped storing a camera’s reads, with the reason (edge).',
    data: z.strictObject({
      cameraId: ID,
      reason: gateReason,
      previous: z.enum(['started', 'storing', 'refusing']),
      previousReason: gateReason.optional(),
    }),
    ids: { cameraId: 'camera' },
  },
  'gate.storing': {
    summary: 'The compliance gate stores a camera’s reads again (or for the first time) (edge).',
    data: z.strictObject({
      cameraId: ID,
      previous: z.enum(['started', 'refusing']),
      previousReason: gateReason.optional(),
    }),
    ids: { cameraId: 'camera' },
  },
  'retention.missed': {
    summary: 'Reads (edge) or day partitions (hub) are older than retention and still there.',
    data: z.strictObject({
      scope: z.enum(['edge', 'hub']),
      retentionDays: z.number().int().min(1).max(3650),
      overdue: COUNT,
      unit: z.enum(['reads', 'partitions']),
      /** How far past the retention limit the oldest overdue item is. */
      overdueByS: SECONDS,
      edgeId: ID.optional(),
    }),
    ids: { edgeId: 'edge' },
  },
  'forwarding.lag': {
    summary: 'Reads wait longer than the threshold to reach the hub (edge, or hub about an edge).',
    data: z.strictObject({
      edgeId: ID.optional(),
      lagS: SECONDS,
      pendingReads: COUNT,
      thresholdS: SECONDS,
      lastForwardedAt: TIME.nullable(),
    }),
    ids: { edgeId: 'edge' },
  },
  'forwarding.caught_up': {
    summary: 'Forwarding is back under its lag threshold.',
    data: z.strictObject({ edgeId: ID.optional(), lagS: SECONDS, pendingReads: COUNT }),
    ids: { edgeId: 'edge' },
  },
  'hit.unverified_waiting': {
    summary:
      'A hotlist hit waits for a person to verify it; it carries no plate, entry, reason or case (hub).',
    data: z.strictObject({
      hitId: ROW_ID,
      agencyId: ROW_ID,
      waitingS: SECONDS,
      thresholdS: SECONDS,
      /** The list the hit came from had not been refreshed within 24 h (HIT-04). */
      stale: z.boolean(),
      edgeId: ID.optional(),
      cameraId: ID.optional(),
    }),
    ids: { edgeId: 'edge', cameraId: 'camera' },
  },
  'events.test': {
    summary: '`alpr events test`: an operator checks that a receiver gets and verifies events.',
    data: z.strictObject({ requestedBy: z.enum(['cli']) }),
    ids: {},
  },
} as const satisfies Record<
  string,
  { summary: string; data: z.ZodType; ids: Partial<Record<string, DeclaredIdKind>> }
>;

export type EventType = keyof typeof EVENT_CATALOG;
export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as EventType[];
export type EventData<T extends EventType> = z.output<(typeof EVENT_CATALOG)[T]['data']>;

export const EVENT_SOURCE_KINDS = ['edge', 'hub'] as const;
export type EventSourceKind = (typeof EVENT_SOURCE_KINDS)[number];

/** What goes on the wire (webhook body, MQTT payload, dead-letter line). */
export interface AlprEvent<T extends EventType = EventType> {
  /** UUID, given by the caller; the same on every delivery attempt (receivers de-duplicate on it). */
  id: string;
  type: T;
  /** When it happened (ISO-8601 UTC), not when it was delivered. */
  timestamp: string;
  source: { kind: EventSourceKind; nodeId: string };
  /** Events of the same subject the rate rule held back since the previous one sent (omitted when 0). */
  suppressed?: number;
  data: EventData<T>;
}

export const envelopeSchema = z.strictObject({
  id: z.string().regex(UUID, 'not a lower-case UUID'),
  type: z.enum(EVENT_TYPES as [EventType, ...EventType[]]),
  timestamp: TIME,
  source: z.strictObject({ kind: z.enum(EVENT_SOURCE_KINDS), nodeId: ID }),
  suppressed: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  data: z.unknown(),
});

/**
 * Build an event; `id` and `now` come from the caller (an adapter draws the UUID and reads the clock).
 * The result is not yet validated: the bus runs checkEvent() before anything is sent.
 * @example makeEvent('camera.back', { cameraId: 'gate-north', offlineForS: 95 },
 *   { id: '6f1c…', now: 1767225600000, source: { kind: 'edge', nodeId: 'edge-01' } })
 */
export function makeEvent<T extends EventType>(
  type: T,
  data: EventData<T>,
  meta: { id: string; now: number; source: AlprEvent['source'] },
): AlprEvent<T> {
  return { id: meta.id, type, timestamp: new Date(meta.now).toISOString(), source: meta.source, data };
}
