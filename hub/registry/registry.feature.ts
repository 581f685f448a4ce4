// GET /api/v1/registry: the city's sensitive-site registry, signed, for enrolled edges (docs/hub-protocol.md).
// The ETag is the registry version; an edge that already has it gets 304 and no body.
import { notFound } from '../http/http-errors.js';
import type { HubContext, HubFeature } from '../hub-context.js';
import { SiteRegistryService } from './site-registry.service.js';

/** Whether an If-None-Match header names `etag` (a list, weak validators and `*` included). */
export function ifNoneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const values = (Array.isArray(header) ? header.join(',') : header).split(',').map((v) => v.trim());
  return values.some((v) => v === '*' || v.replace(/^W\//, '') === etag);
}

export function siteRegistryService(ctx: HubContext): SiteRegistryService {
  return new SiteRegistryService(ctx.db, ctx.audit, ctx.keys.signing);
}

export const registryFeature: HubFeature = {
  name: 'registry',
  routes: (ctx) => {
    const service = siteRegistryService(ctx);
    return [
      {
        method: 'GET',
        url: '/api/v1/registry',
        auth: { kind: 'edge' },
        summary:
          'The sensitive-site registry, signed by the hub (ETag: its version; If-None-Match answers 304)',
        tag: 'edges',
        async handler(request, reply) {
          const current = await service.current();
          if (!current) {
            throw notFound(
              'the hub has no sensitive-site registry yet: import one with `alpr hub sites import FILE`',
            );
          }
          const etag = `"${current.version}"`;
          reply.header('etag', etag);
          if (ifNoneMatchHits(request.headers['if-none-match'], etag)) return reply.code(304).send();
          return reply.type('application/json; charset=utf-8').send(current.envelope);
        },
      },
    ];
  },
};
