// The /hits pages as routes: the list, one hit with its verification form, and the page's own style
// sheet and script (served by the hub, so the CSP can allow 'self' only). Same permissions as the API.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../http/http-errors.js';
import type { HubRoute } from '../http/hub-route.js';
import type { HubContext } from '../hub-context.js';
import type { HitsService, Verifier } from './hits.service.js';
import { HITS_CSS, HITS_JS, PAGE_CSP, renderHitDetail, renderHitList } from './hits-page.js';

const page = (reply: FastifyReply, html: string) =>
  reply
    .header('content-security-policy', PAGE_CSP)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);

export function pageRoutes(
  ctx: HubContext,
  hits: HitsService,
  h: {
    caller(ctx: HubContext, request: FastifyRequest): Promise<Verifier & { ori: string }>;
    hitId(request: FastifyRequest): number;
  },
): HubRoute[] {
  const { caller, hitId } = h;
  const view = { kind: 'user', permission: 'hits.view', acknowledged: true } as const;
  const idParams = {
    type: 'object',
    properties: { id: { type: 'string', pattern: '^[0-9]{1,15}$' } },
    required: ['id'],
  };
  const hours = ctx.config.access.hotlist.unverifiedReportHours;
  return [
    {
      method: 'GET',
      url: '/hits',
      auth: view,
      tag: 'pages',
      produces: 'text/html',
      summary: 'Page: your agency’s hotlist hits',
      handler: async (request, reply) => {
        const who = await caller(ctx, request);
        const now = ctx.clock();
        const list = await hits.list(ctx.db, who.agencyId, now);
        return page(reply, renderHitList(list, await hits.overdueCount(ctx.db, who.agencyId, now), hours));
      },
    },
    {
      method: 'GET',
      url: '/hits/:id',
      auth: view,
      tag: 'pages',
      produces: 'text/html',
      summary: 'Page: one hit, the read beside the entry, and the verification form',
      schema: { params: idParams },
      handler: async (request, reply) => {
        const who = await caller(ctx, request);
        const now = ctx.clock();
        const hit = await ctx.db.transaction((tx) => hits.get(tx, who, hitId(request), now));
        if (!hit) throw notFound('no such hit in your agency');
        return page(reply, renderHitDetail(hit));
      },
    },
    {
      method: 'GET',
      url: '/hits/assets/hits.css',
      auth: { kind: 'public' },
      tag: 'pages',
      produces: 'text/css',
      summary: 'The hits page’s style sheet',
      handler: async (_request, reply) =>
        reply.type('text/css; charset=utf-8').header('cache-control', 'max-age=300').send(HITS_CSS),
    },
    {
      method: 'GET',
      url: '/hits/assets/hits.js',
      auth: { kind: 'public' },
      tag: 'pages',
      produces: 'text/javascript',
      summary: 'The hits page’s script (sends the verification form as JSON)',
      handler: async (_request, reply) =>
        reply.type('text/javascript; charset=utf-8').header('cache-control', 'max-age=300').send(HITS_JS),
    },
  ];
}
