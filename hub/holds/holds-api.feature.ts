// The hold API (RET-03, AC-02): ask for a hold on reads of an own search, approve it as another person
// (which creates the hold), release it, and list the agency's requests. The services write the one
// audit entry of each step in the step's transaction.
import { ERROR_SCHEMA, ID_PARAMS, nullable, USER_ERRORS } from '../http/api-schemas.js';
import { HttpError } from '../http/http-errors.js';
import type { HubRoute } from '../http/hub-route.js';
import type { HubContext, HubFeature } from '../hub-context.js';
import { requestId, userPrincipal } from '../search/search.feature.js';
import {
  type HoldRequestAnswer,
  type HoldRequestRecord,
  HoldRequestsService,
} from './hold-requests.service.js';
import { HubHoldService } from './hub-hold.service.js';

const HOLD_REQUEST = {
  type: 'object',
  required: ['id', 'searchId', 'state', 'edgeId', 'readIds'],
  properties: {
    id: { type: 'integer' },
    searchId: { type: 'integer' },
    requestedBy: { type: 'string' },
    caseNumber: { type: 'string' },
    crimeType: { type: 'string' },
    reason: { type: 'string' },
    edgeId: { type: 'string' },
    readIds: { type: 'array', items: { type: 'integer' } },
    state: { type: 'string', enum: ['pending', 'approved', 'denied'] },
    decidedBy: nullable('string'),
    decidedAt: nullable('string'),
    holdId: nullable('integer'),
    releasedAt: nullable('string'),
    createdAt: { type: 'string' },
  },
  additionalProperties: false,
} as const;

const ONE = {
  ...USER_ERRORS,
  200: HOLD_REQUEST,
  201: HOLD_REQUEST,
  409: ERROR_SCHEMA,
  422: ERROR_SCHEMA,
} as const;

const STATUS: Record<string, number> = {
  invalid: 400,
  not_found: 404,
  same_person: 403,
  not_pending: 409,
  released: 409,
  no_reads: 422,
};

function answer(result: HoldRequestAnswer<HoldRequestRecord>): HoldRequestRecord {
  if (result.ok) return result.value;
  throw new HttpError(
    STATUS[result.code] ?? 400,
    result.code,
    result.message,
    result.problems ? { problems: result.problems } : undefined,
  );
}

export function holdRoutes(ctx: HubContext): HubRoute[] {
  const { retention } = ctx.config;
  const holds = new HubHoldService(ctx.db, ctx.audit, retention.days, {
    maxCameraRangeHours: retention.holdMaxCameraRangeHours,
  });
  const requests = new HoldRequestsService(ctx.db, ctx.audit, holds, retention.days);
  const opts = (ip: string) => ({ now: ctx.clock(), clientAddress: ip });
  return [
    {
      method: 'POST',
      url: '/api/v1/holds',
      auth: { kind: 'user', permission: 'hold.request', acknowledged: true },
      summary:
        'Ask for an evidentiary hold on reads of one of your searches (its case number and crime type)',
      tag: 'holds',
      schema: {
        body: {
          type: 'object',
          required: ['searchId', 'reason'],
          properties: {
            searchId: { type: 'integer' },
            reason: { type: 'string' },
            readIds: {
              type: 'array',
              items: { type: 'string' },
              description: '"edge/readId" from the results; default all',
            },
          },
          additionalProperties: false,
        },
        response: ONE,
      },
      async handler(request, reply) {
        const made = answer(
          await requests.request(
            userPrincipal(request),
            request.body as Record<string, unknown>,
            opts(request.ip),
          ),
        );
        return reply.code(201).send(made);
      },
    },
    {
      method: 'POST',
      url: '/api/v1/holds/:id/approval',
      auth: { kind: 'user', permission: 'hold.approve', acknowledged: true },
      summary: "Approve another person's hold request; the hold is created",
      tag: 'holds',
      schema: { params: ID_PARAMS, response: ONE },
      async handler(request) {
        return answer(await requests.approve(userPrincipal(request), requestId(request), opts(request.ip)));
      },
    },
    {
      method: 'POST',
      url: '/api/v1/holds/:id/release',
      auth: { kind: 'user', permission: 'hold.approve', acknowledged: true },
      summary: 'Release an approved hold (its reads past retention are deleted)',
      tag: 'holds',
      schema: {
        params: ID_PARAMS,
        body: {
          type: 'object',
          required: ['reason'],
          properties: { reason: { type: 'string' } },
          additionalProperties: false,
        },
        response: ONE,
      },
      async handler(request) {
        return answer(
          await requests.release(
            userPrincipal(request),
            requestId(request),
            request.body as { reason?: unknown },
            opts(request.ip),
          ),
        );
      },
    },
    {
      method: 'GET',
      url: '/api/v1/holds',
      auth: { kind: 'user', permission: 'hold.request', acknowledged: true },
      summary: "Your agency's hold requests and holds, newest first",
      tag: 'holds',
      schema: {
        response: {
          ...USER_ERRORS,
          200: {
            type: 'object',
            required: ['holds'],
            properties: { holds: { type: 'array', items: HOLD_REQUEST } },
            additionalProperties: false,
          },
        },
      },
      async handler(request) {
        return { holds: await requests.list(userPrincipal(request)) };
      },
    },
  ];
}

export const holdsApiFeature: HubFeature = { name: 'holds-api', routes: holdRoutes };
