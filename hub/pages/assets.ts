// The pages' static files (one stylesheet, small scripts), read once at start from hub/pages/assets and
// served by name from an allowlist: no path from the URL ever reaches the file system.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { notFound } from '../http/http-errors.js';
import type { HubRoute } from '../http/hub-route.js';
import { securityHeaders } from './page-route.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
const TYPES: Record<string, string> = {
  'hub.css': 'text/css; charset=utf-8',
  'csv-file.js': 'text/javascript; charset=utf-8',
};

export function assetRoutes(): HubRoute[] {
  const files = new Map(Object.keys(TYPES).map((name) => [name, readFileSync(path.join(DIR, name))]));
  return [
    {
      method: 'GET',
      url: '/assets/:name',
      auth: { kind: 'public' },
      summary: "The pages' stylesheet and scripts",
      tag: 'pages',
      produces: 'text/css',
      async handler(request, reply) {
        const name = (request.params as { name: string }).name;
        const body = files.get(name);
        if (!body) throw notFound(`no asset ${name}`);
        securityHeaders(reply);
        // Assets hold no data: they may be cached (unlike pages, which are no-store).
        reply.header('cache-control', 'public, max-age=300');
        return reply.type(TYPES[name]!).send(body);
      },
    },
  ];
}
