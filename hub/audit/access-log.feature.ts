// GET /api/v1/audit: the access log for auditors (AUD-01, AC-03), their own agency's entries only,
// filtered by kind (exact, or a prefix like "search."), user and time. Auditors read; nobody edits.

import type { AccessProblem } from '../../shared/access/problems.js';
import { parseTimeValue } from '../../shared/access/search-fields.js';
import { OPEN_OBJECT, USER_ERRORS } from '../http/api-schemas.js';
import { badRequest } from '../http/http-errors.js';
import type { HubRoute } from '../http/hub-route.js';
import type { HubContext, HubFeature } from '../hub-context.js';
import { accessActor } from '../search/access-actor.js';
import { userPrincipal } from '../search/search.feature.js';
import { listAccessLog } from './access-log.service.js';

interface AuditQuery {
  kind?: string;
  user?: string;
  from?: string;
  to?: string;
  before?: string;
  limit?: string;
}

export function accessLogRoutes(ctx: HubContext): HubRoute[] {
  return [
    {
      method: 'GET',
      url: '/api/v1/audit',
      auth: { kind: 'user', permission: 'audit.read', acknowledged: true },
      summary: "Your agency's access log, newest first (filters: kind, user, from, to; page with before)",
      tag: 'audit',
      schema: {
        querystring: {
          type: 'object',
          properties: {
            kind: { type: 'string', pattern: '^[a-z][a-z_.]{0,63}$' },
            user: { type: 'string', maxLength: 200 },
            from: { type: 'string', maxLength: 64 },
            to: { type: 'string', maxLength: 64 },
            before: { type: 'string', pattern: '^[1-9][0-9]{0,15}$' },
            limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' },
          },
          additionalProperties: false,
        },
        response: {
          ...USER_ERRORS,
          200: {
            type: 'object',
            required: ['entries'],
            properties: {
              entries: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['seq', 'at', 'kind', 'actor', 'payload', 'hash'],
                  properties: {
                    seq: { type: 'integer' },
                    at: { type: 'string' },
                    kind: { type: 'string' },
                    actor: { type: 'string' },
                    payload: OPEN_OBJECT,
                    hash: { type: 'string' },
                  },
                  additionalProperties: false,
                },
              },
            },
            additionalProperties: false,
          },
        },
      },
      async handler(request) {
        const q = request.query as AuditQuery;
        const problems: AccessProblem[] = [];
        const time = (v: string | undefined, field: string) =>
          v === undefined ? undefined : parseTimeValue(/^\d+$/.test(v) ? Number(v) : v, field, problems);
        const from = time(q.from, 'from');
        const to = time(q.to, 'to');
        if (problems.length > 0) throw badRequest('bad audit filter', { problems });
        const actor = await accessActor(ctx.db, userPrincipal(request), request.ip);
        const entries = await listAccessLog(ctx.db, actor.agencyOri, {
          kind: q.kind,
          user: q.user,
          from,
          to,
          beforeSeq: q.before ? Number(q.before) : undefined,
          limit: Math.min(Number(q.limit ?? 100), 1000),
        });
        return { entries };
      },
    },
  ];
}

export const accessLogFeature: HubFeature = { name: 'access-log', routes: accessLogRoutes };
