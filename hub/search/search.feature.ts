// The governed-search API (Q-01..09): submit a search, list one's own, view its results, and the command
// decision on a search that touches a sensitive site. Every route needs a signed-in user with the route's
// permission who accepted the current notice in this session (ACK-01); the handlers only translate
// between HTTP and the services, which hold the rules and write the audit.
import type { FastifyRequest } from 'fastify';
import { actingUser } from '../accounts/acting-user.js';
import { hitRateLimit } from '../accounts/rate-limit.js';
import { ID_PARAMS } from '../http/api-schemas.js';
import { HttpError, tooManyRequests, unauthorized } from '../http/http-errors.js';
import type { HubRoute } from '../http/hub-route.js';
import type { HubContext, HubFeature } from '../hub-context.js';
import type { UserPrincipal } from './access-actor.js';
import { SearchService } from './search.service.js';
import { SearchResultsService } from './search-results.js';
import { searchRuleSet } from './search-rules.js';
import {
  DECISION_BODY,
  DECISION_RESPONSES,
  HISTORY_RESPONSES,
  RESULTS_RESPONSES,
  SEARCH_BODY,
  SUBMIT_RESPONSES,
} from './search-schemas.js';

/** The signed-in user of a request (the user authenticator set it; anything else is a 401). */
export function userPrincipal(request: FastifyRequest): UserPrincipal {
  const p = request.principal;
  if (p?.kind !== 'user') throw unauthorized();
  return { userId: p.userId, username: p.username, agencyId: p.agencyId, role: p.role };
}

export const requestId = (request: FastifyRequest) => Number((request.params as { id: string }).id);

const MINUTE = 60_000;

export function searchRoutes(ctx: HubContext): HubRoute[] {
  const ruleSet = searchRuleSet(ctx.config);
  const searches = new SearchService(ctx.db, ctx.audit, ruleSet);
  const results = new SearchResultsService(
    ctx.db,
    ctx.audit,
    ruleSet.retentionDays,
    ctx.config.access.export.approvalAboveRows,
  );
  const limits = ctx.config.access.searchRateLimit;
  return [
    {
      method: 'POST',
      url: '/api/v1/searches',
      auth: { kind: 'user', permission: 'plates.search', acknowledged: true },
      summary: 'Submit a search: plate, time range, optional cameras, crime type, case number, justification',
      tag: 'searches',
      schema: { body: SEARCH_BODY, response: SUBMIT_RESPONSES },
      async handler(request, reply) {
        const user = userPrincipal(request);
        const now = ctx.clock();
        const byUser = await hitRateLimit(
          ctx.db,
          `search:user:${user.userId}`,
          { limit: limits.perUserPerMinute, windowMs: MINUTE },
          now,
        );
        const byAddress = await hitRateLimit(
          ctx.db,
          `search:ip:${request.ip}`,
          { limit: limits.perAddressPerMinute, windowMs: MINUTE },
          now,
        );
        if (!byUser.allowed || !byAddress.allowed) {
          const wait = Math.max(byUser.retryAfterMs, byAddress.retryAfterMs);
          reply.header('retry-after', String(Math.ceil(wait / 1000)));
          throw tooManyRequests(
            `too many searches from ${byUser.allowed ? 'this address' : 'your account'}; at most ${byUser.allowed ? limits.perAddressPerMinute : limits.perUserPerMinute} a minute`,
          );
        }
        const acting = actingUser(request);
        const answer = await searches.submit(user, request.body, {
          now,
          clientAddress: request.ip,
          account: acting.account,
          noticeHash: acting.noticeHash,
        });
        switch (answer.kind) {
          case 'allowed':
            return reply.code(201).send({
              id: answer.searchId,
              outcome: 'allowed',
              partial: answer.partial,
              results: `/api/v1/searches/${answer.searchId}/results`,
            });
          case 'pending':
            return reply.code(202).send({
              id: answer.searchId,
              outcome: 'pending',
              message: 'the search touches a sensitive site and waits for a command approval (Q-06)',
              sites: answer.sites.map((s) => ({
                siteId: s.siteId,
                category: s.category,
                via: s.via,
                ...(s.cameraId ? { cameraId: s.cameraId } : {}),
              })),
            });
          case 'blocked':
            throw new HttpError(
              422,
              'prohibited_purpose',
              `search blocked: it names a prohibited purpose (${answer.categoryLabel}); ${answer.basis}. The attempt is recorded.`,
              { category: answer.category, searchId: answer.searchId, problems: answer.problems },
            );
          default:
            throw new HttpError(422, 'search_refused', 'search refused: see problems', {
              searchId: answer.searchId,
              problems: answer.problems,
            });
        }
      },
    },
    {
      method: 'GET',
      url: '/api/v1/searches',
      auth: { kind: 'user', permission: 'plates.search', acknowledged: true },
      summary: 'Your own searches, newest first',
      tag: 'searches',
      schema: { response: HISTORY_RESPONSES },
      async handler(request) {
        const list = await searches.history(userPrincipal(request));
        return { searches: list };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/searches/:id/results',
      auth: { kind: 'user', permission: 'results.view', acknowledged: true },
      summary:
        'The reads of one of your allowed searches, computed now (retention, compliant cameras, scope)',
      tag: 'searches',
      schema: { params: ID_PARAMS, response: RESULTS_RESPONSES },
      async handler(request) {
        const answer = await results.view(userPrincipal(request), requestId(request), {
          now: ctx.clock(),
          clientAddress: request.ip,
        });
        if (!answer.ok)
          throw new HttpError(answer.code === 'not_found' ? 404 : 409, answer.code, answer.message);
        return { search: answer.search, reads: answer.reads, truncated: answer.truncated };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/searches/:id/approval',
      auth: { kind: 'user', permission: 'sensitive_search.approve', acknowledged: true },
      summary: 'Approve or deny a search that touches a sensitive site (command)',
      tag: 'searches',
      schema: { params: ID_PARAMS, body: DECISION_BODY, response: DECISION_RESPONSES },
      async handler(request) {
        const answer = await searches.decide(
          userPrincipal(request),
          requestId(request),
          request.body as { approve: boolean; reason: string },
          { now: ctx.clock(), clientAddress: request.ip },
        );
        if (!answer.ok) {
          const status = answer.code === 'not_found' ? 404 : answer.code === 'invalid' ? 400 : 409;
          throw new HttpError(status, answer.code, answer.message);
        }
        return { id: answer.searchId, outcome: answer.outcome };
      },
    },
  ];
}

export const searchFeature: HubFeature = { name: 'search', routes: searchRoutes };
