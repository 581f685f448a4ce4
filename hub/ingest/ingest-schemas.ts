// JSON Schemas of the ingest request envelopes (docs/hub-protocol.md). Unknown members are refused (400).
// Reads are only required to be objects here: each read is checked on its own (shared/forward/wire.ts) so
// one malformed read is refused by itself instead of failing the batch.
import { MAX_ITEMS_PER_REQUEST } from '../../shared/forward/wire.js';

const ID = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } as const;
const MS = { type: 'integer', minimum: 0, maximum: 8_640_000_000_000 } as const;

export const camerasBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['cameras', 'verdicts'],
  properties: {
    cameras: {
      type: 'array',
      maxItems: MAX_ITEMS_PER_REQUEST,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['cameraId', 'position', 'bearingDeg', 'fovDeg', 'rangeM', 'cameraHash', 'config'],
        properties: {
          cameraId: ID,
          label: { type: ['string', 'null'], maxLength: 200 },
          position: {
            type: 'object',
            additionalProperties: false,
            required: ['lng', 'lat'],
            properties: {
              lng: { type: 'number', minimum: -180, maximum: 180 },
              lat: { type: 'number', minimum: -90, maximum: 90 },
            },
          },
          bearingDeg: { type: 'number', minimum: -3600, maximum: 3600 },
          fovDeg: { type: 'number', exclusiveMinimum: 0, maximum: 360 },
          rangeM: { type: 'number', exclusiveMinimum: 0, maximum: 100_000 },
          cameraHash: { type: 'string', minLength: 1, maxLength: 128 },
          config: { type: 'object' },
        },
      },
    },
    verdicts: {
      type: 'array',
      maxItems: MAX_ITEMS_PER_REQUEST,
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'edgeVerdictId',
          'cameraId',
          'cameraHash',
          'registryVersion',
          'compliant',
          'violations',
          'evaluatedAt',
        ],
        properties: {
          edgeVerdictId: { type: 'integer', minimum: 1 },
          cameraId: ID,
          cameraHash: { type: 'string', minLength: 1, maxLength: 128 },
          registryVersion: { type: 'string', minLength: 1, maxLength: 200 },
          compliant: { type: 'boolean' },
          violations: { type: 'array', maxItems: 1000 },
          evaluatedAt: MS,
        },
      },
    },
  },
} as const;

export const readsBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['reads'],
  properties: {
    reads: { type: 'array' },
    status: {
      type: 'object',
      additionalProperties: false,
      required: ['backlogReads', 'oldestUnforwardedAt'],
      properties: {
        backlogReads: { type: 'integer', minimum: 0 },
        oldestUnforwardedAt: { anyOf: [MS, { type: 'null' }] },
      },
    },
  },
} as const;

export const receiptsBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['receipts'],
  properties: {
    receipts: {
      type: 'array',
      maxItems: MAX_ITEMS_PER_REQUEST,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['auditSeq', 'receipt'],
        properties: { auditSeq: { type: 'integer', minimum: 1 }, receipt: { type: 'object' } },
      },
    },
  },
} as const;

export const headsBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['publicKey', 'heads'],
  properties: {
    publicKey: { type: 'string', minLength: 1, maxLength: 1000 },
    heads: { type: 'array', maxItems: MAX_ITEMS_PER_REQUEST, items: { type: 'object' } },
  },
} as const;
