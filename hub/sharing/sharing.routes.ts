// The sharing API: inquiries from other California agencies and their command decision, access grants
// (list, renew, approve, deny, revoke), capped and approved CSV exports, and agency administration. Every
// route names its one permission and runs only after the session accepted the notice (AC-01, ACK-01);
// handlers translate HTTP to the services, which hold the rules and write the audit.
import type { FastifyRequest } from 'fastify';
import { AgencyError, addAgency, listAgencies } from '../agencies/agencies.service.js';
import { badRequest, conflict, unprocessable } from '../http/http-errors.js';
import type { HubRoute } from '../http/hub-route.js';
import type { HubContext } from '../hub-context.js';
import { decideExport, downloadExport, listExports, requestExport } from './export.service.js';
import { decideRenewal, listGrants, requestRenewal, revokeGrant } from './grant.service.js';
import { decideInquiry, getInquiry, listInquiries, submitInquiry } from './inquiry.service.js';
import { actorOf } from './sharing-context.js';

const ID = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,15}$' } },
} as const;
const OBJECT_BODY = { type: 'object' } as const;
const REASON_BODY = {
  type: 'object',
  properties: { reason: { type: 'string', maxLength: 2000 } },
  additionalProperties: false,
} as const;
const STATUS_QUERY = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['pending', 'approved', 'denied'] } },
  additionalProperties: false,
} as const;

const idOf = (request: FastifyRequest) => Number((request.params as { id: string }).id);
const body = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;
type Permission =
  | 'inquiry.submit'
  | 'inquiry.approve'
  | 'grant.approve'
  | 'export.request'
  | 'export.approve'
  | 'agencies.manage';
const user = (permission: Permission) => ({ kind: 'user' as const, permission, acknowledged: true });

export function sharingRoutes(ctx: HubContext): HubRoute[] {
  const actor = (request: FastifyRequest) => actorOf(ctx.db, request.principal, request.ip);
  const decide = (approve: boolean) => (request: FastifyRequest) => ({
    decision: approve ? ('approve' as const) : ('deny' as const),
    reason: body(request).reason,
  });
  return [
    {
      method: 'POST',
      url: '/api/v1/inquiries',
      auth: user('inquiry.submit'),
      summary:
        'Submit an inquiry for an agency without access: agency ORI, officer, and a complete search (SH-04)',
      tag: 'sharing',
      schema: { body: OBJECT_BODY },
      async handler(request, reply) {
        return reply.code(201).send(await submitInquiry(ctx, await actor(request), body(request)));
      },
    },
    {
      method: 'GET',
      url: '/api/v1/inquiries',
      auth: user('inquiry.submit'),
      summary: 'Inquiries your agency is party to (asked, owns the data, or entered)',
      tag: 'sharing',
      schema: { querystring: STATUS_QUERY },
      async handler(request) {
        const { status } = request.query as { status?: string };
        return { inquiries: await listInquiries(ctx.db, await actor(request), { status }) };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/inquiries/queue',
      auth: user('inquiry.approve'),
      summary: "Inquiries for your agency's data waiting for a command decision",
      tag: 'sharing',
      async handler(request) {
        return {
          inquiries: await listInquiries(ctx.db, await actor(request), { status: 'pending', owned: true }),
        };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/inquiries/:id',
      auth: user('inquiry.submit'),
      summary: 'One inquiry your agency is party to',
      tag: 'sharing',
      schema: { params: ID },
      async handler(request) {
        return getInquiry(ctx.db, await actor(request), idOf(request));
      },
    },
    ...([true, false] as const).map(
      (approve): HubRoute => ({
        method: 'POST',
        url: `/api/v1/inquiries/:id/${approve ? 'approve' : 'deny'}`,
        auth: user('inquiry.approve'),
        summary: `${approve ? 'Approve' : 'Deny'} an inquiry (command of the data-owning agency, not the requester; SH-03)`,
        tag: 'sharing',
        schema: { params: ID, body: REASON_BODY },
        async handler(request) {
          return decideInquiry(ctx, await actor(request), idOf(request), decide(approve)(request));
        },
      }),
    ),
    {
      method: 'GET',
      url: '/api/v1/grants',
      auth: user('grant.approve'),
      summary: 'Access grants your agency gives or holds, with their state',
      tag: 'sharing',
      async handler(request) {
        return { grants: await listGrants(ctx, await actor(request)) };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/grants/:id/renew',
      auth: user('inquiry.submit'),
      summary: 'Ask to renew a grant your agency holds, with a fresh justification (SH-05)',
      tag: 'sharing',
      schema: {
        params: ID,
        body: {
          type: 'object',
          required: ['justification'],
          properties: { justification: { type: 'string', maxLength: 2000 } },
          additionalProperties: false,
        },
      },
      async handler(request, reply) {
        return reply
          .code(201)
          .send(await requestRenewal(ctx, await actor(request), idOf(request), body(request)));
      },
    },
    ...([true, false] as const).map(
      (approve): HubRoute => ({
        method: 'POST',
        url: `/api/v1/grants/:id/${approve ? 'approve' : 'deny'}`,
        auth: user('grant.approve'),
        summary: `${approve ? 'Approve' : 'Deny'} a pending grant renewal (command of the owning agency, not the requester)`,
        tag: 'sharing',
        schema: { params: ID, body: REASON_BODY },
        async handler(request) {
          return decideRenewal(ctx, await actor(request), idOf(request), decide(approve)(request));
        },
      }),
    ),
    {
      method: 'POST',
      url: '/api/v1/grants/:id/revoke',
      auth: user('grant.approve'),
      summary: 'Revoke a grant of your agency at once, with a reason',
      tag: 'sharing',
      schema: { params: ID, body: { ...REASON_BODY, required: ['reason'] } },
      async handler(request) {
        return revokeGrant(ctx, await actor(request), idOf(request), body(request));
      },
    },
    {
      method: 'POST',
      url: '/api/v1/exports',
      auth: user('export.request'),
      summary: 'Ask to export an own search as CSV: capped, and only after a supervisor approves (Q-07)',
      tag: 'exports',
      schema: {
        body: {
          type: 'object',
          required: ['searchId', 'reason'],
          properties: {
            searchId: { type: 'integer', minimum: 1 },
            reason: { type: 'string', maxLength: 2000 },
            format: { type: 'string', enum: ['csv'] },
          },
          additionalProperties: false,
        },
      },
      async handler(request, reply) {
        return reply.code(201).send(await requestExport(ctx, await actor(request), body(request)));
      },
    },
    {
      method: 'GET',
      url: '/api/v1/exports',
      auth: user('export.request'),
      summary: 'Your export requests',
      tag: 'exports',
      async handler(request) {
        return { exports: await listExports(ctx.db, await actor(request)) };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/exports/queue',
      auth: user('export.approve'),
      summary: "Your agency's export requests waiting for a supervisor",
      tag: 'exports',
      async handler(request) {
        return { exports: await listExports(ctx.db, await actor(request), { pending: true }) };
      },
    },
    ...([true, false] as const).map(
      (approve): HubRoute => ({
        method: 'POST',
        url: `/api/v1/exports/:id/${approve ? 'approve' : 'deny'}`,
        auth: user('export.approve'),
        summary: `${approve ? 'Approve' : 'Deny'} an export (a supervisor of the same agency, not the requester)`,
        tag: 'exports',
        schema: { params: ID, body: REASON_BODY },
        async handler(request) {
          return decideExport(ctx, await actor(request), idOf(request), decide(approve)(request));
        },
      }),
    ),
    {
      method: 'GET',
      url: '/api/v1/exports/:id/download',
      auth: user('export.request'),
      summary: 'Download an approved export: CSV, watermarked with user and case, at most the approved rows',
      tag: 'exports',
      produces: 'text/csv',
      schema: { params: ID },
      async handler(request, reply) {
        const file = await downloadExport(ctx, await actor(request), idOf(request));
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .send(file.csv);
      },
    },
    {
      method: 'GET',
      url: '/api/v1/agencies',
      auth: user('agencies.manage'),
      summary: 'Registered agencies (California state and local law enforcement only)',
      tag: 'agencies',
      async handler() {
        return { agencies: await listAgencies(ctx.db) };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/agencies',
      auth: user('agencies.manage'),
      summary: 'Add a California state or local law-enforcement agency (SH-01)',
      tag: 'agencies',
      schema: { body: OBJECT_BODY },
      async handler(request, reply) {
        const input = body(request);
        if ('home' in input)
          throw badRequest('the home agency is set once, by `alpr hub agencies add --home`');
        const who = await actor(request);
        try {
          const agency = await addAgency(
            ctx,
            input as { ori: string; name: string; type: string },
            who.username,
          );
          return reply.code(201).send(agency);
        } catch (error) {
          if (!(error instanceof AgencyError)) throw error;
          if (error.problems.length === 0) throw conflict(error.message);
          throw unprocessable(
            'agency_refused',
            'agency refused: only California state or local law enforcement (SH-01)',
            {
              problems: error.problems,
            },
          );
        }
      },
    },
  ];
}
