// Request and response schemas of the search routes, for validation and for /api/openapi.json. The
// search body lists its fields but does not refuse others here: an unknown field (a widened scope) is
// refused by the search rules, so the attempt is recorded and audited like every other refusal.
import { ERROR_SCHEMA, nullable, OPEN_OBJECT, USER_ERRORS } from '../http/api-schemas.js';

const time = {
  anyOf: [{ type: 'string' }, { type: 'integer' }],
  description: 'ISO 8601 with a zone, or ms since epoch',
} as const;

export const SEARCH_BODY = {
  type: 'object',
  required: ['plate', 'from', 'to', 'crimeType', 'caseNumber', 'justification'],
  properties: {
    plate: { type: 'string', description: 'exact plate, or partial with ? (one character) and * (any run)' },
    from: time,
    to: time,
    cameras: { type: 'array', items: { type: 'string' }, description: 'limit to these cameras' },
    area: { ...OPEN_OBJECT, description: 'limit to a GeoJSON Polygon' },
    crimeType: { type: 'string', description: 'a code from the crime-type list (docs/search.md)' },
    caseNumber: { type: 'string', description: 'matches access.caseNumberPattern' },
    justification: { type: 'string', minLength: 1, description: 'at least 20 characters, specific' },
  },
} as const;

const SEARCH_RECORD = {
  type: 'object',
  required: ['id', 'outcome', 'createdAt'],
  properties: {
    id: { type: 'integer' },
    plate: nullable('string'),
    plateMode: nullable('string'),
    partial: { type: 'boolean' },
    from: nullable('string'),
    to: nullable('string'),
    cameras: { type: ['array', 'null'], items: { type: 'string' } },
    crimeType: nullable('string'),
    caseNumber: nullable('string'),
    justification: nullable('string'),
    outcome: { type: 'string', enum: ['allowed', 'refused', 'blocked', 'pending', 'denied'] },
    category: nullable('string'),
    lexiconVersion: { type: 'string' },
    sensitiveState: { type: 'string' },
    createdAt: { type: 'string' },
  },
  additionalProperties: false,
} as const;

export const SUBMIT_RESPONSES = {
  ...USER_ERRORS,
  201: {
    type: 'object',
    required: ['id', 'outcome', 'partial', 'results'],
    properties: {
      id: { type: 'integer' },
      outcome: { const: 'allowed' },
      partial: { type: 'boolean', description: 'a partial-plate search (flagged, Q-08)' },
      results: { type: 'string' },
    },
    additionalProperties: false,
  },
  202: {
    type: 'object',
    required: ['id', 'outcome', 'message', 'sites'],
    properties: {
      id: { type: 'integer' },
      outcome: { const: 'pending' },
      message: { type: 'string' },
      sites: {
        type: 'array',
        items: {
          type: 'object',
          required: ['siteId', 'category', 'via'],
          properties: {
            siteId: { type: 'string' },
            category: { type: 'string' },
            via: { type: 'string' },
            cameraId: { type: 'string' },
          },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  },
  422: ERROR_SCHEMA,
} as const;

export const HISTORY_RESPONSES = {
  ...USER_ERRORS,
  200: {
    type: 'object',
    required: ['searches'],
    properties: { searches: { type: 'array', items: SEARCH_RECORD } },
    additionalProperties: false,
  },
} as const;

export const RESULTS_RESPONSES = {
  ...USER_ERRORS,
  200: {
    type: 'object',
    required: ['search', 'reads', 'truncated'],
    properties: {
      search: SEARCH_RECORD,
      truncated: {
        type: 'boolean',
        description: 'more reads match than are shown (an export needs approval)',
      },
      reads: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'edgeId', 'readId', 'cameraId', 'capturedAt', 'plate', 'confidence'],
          properties: {
            id: { type: 'string' },
            edgeId: { type: 'string' },
            readId: { type: 'integer' },
            cameraId: { type: 'string' },
            capturedAt: { type: 'string' },
            plate: { type: 'string' },
            confidence: { type: 'number' },
          },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  },
  409: ERROR_SCHEMA,
} as const;

export const DECISION_BODY = {
  type: 'object',
  required: ['approve', 'reason'],
  properties: { approve: { type: 'boolean' }, reason: { type: 'string', minLength: 1, maxLength: 2000 } },
  additionalProperties: false,
} as const;

export const DECISION_RESPONSES = {
  ...USER_ERRORS,
  200: {
    type: 'object',
    required: ['id', 'outcome'],
    properties: { id: { type: 'integer' }, outcome: { type: 'string', enum: ['allowed', 'denied'] } },
    additionalProperties: false,
  },
  409: ERROR_SCHEMA,
} as const;
