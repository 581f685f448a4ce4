// GET /health: is the hub up and can it reach its database. Public, and says nothing about reads.
import { ALPR_VERSION } from '../shared/runtime/version.js';
import { hubSchemaVersion } from './db/hub-migrations.js';
import type { HubContext, HubFeature } from './hub-context.js';

export const healthFeature: HubFeature = {
  name: 'health',
  routes: (ctx: HubContext) => [
    {
      method: 'GET',
      url: '/health',
      auth: { kind: 'public' },
      summary: 'Hub status: version, database engine and reachability',
      tag: 'operations',
      async handler(_request, reply) {
        try {
          const schemaVersion = await hubSchemaVersion(ctx.db);
          return { status: 'ok', version: ALPR_VERSION, database: { engine: ctx.db.engine, schemaVersion } };
        } catch (error) {
          ctx.logger.warn({ err: error }, 'health: database unreachable');
          return reply.status(503).send({
            status: 'unavailable',
            version: ALPR_VERSION,
            database: { engine: ctx.db.engine, reachable: false },
          });
        }
      },
    },
  ],
};
