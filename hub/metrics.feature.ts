// GET /metrics: this hub process's Prometheus metrics (ingest outcomes, request latency, auth failures,
// anchoring). Public like /health and on loopback by default; it holds counts, never plates or secrets.
import type { HubFeature } from './hub-context.js';

export const metricsFeature: HubFeature = {
  name: 'metrics',
  routes: (ctx) => [
    {
      method: 'GET',
      url: '/metrics',
      auth: { kind: 'public' },
      summary: 'Prometheus metrics of this hub process',
      tag: 'operations',
      produces: 'text/plain',
      async handler(_request, reply) {
        const { contentType, body } = await ctx.metrics.render();
        return reply.type(contentType).send(body);
      },
    },
  ],
};
