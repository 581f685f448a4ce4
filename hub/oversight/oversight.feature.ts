// Oversight as hub features. `oversightFeature`: the public transparency portal and the quarterly report
// schedule (BullMQ with a local timer). `oversightAuditorFeature`: the auditors' routes, which need the
// `user` authenticator of the identity feature, so it is listed after it in hub-features.ts.
import type { HubFeature } from '../hub-context.js';
import { hubRedisUrl } from '../retention/retention.feature.js';
import { auditorRoutes, portalRoutes } from './oversight.routes.js';
import { QuarterlyReportWorker } from './quarterly-worker.js';

export const oversightFeature: HubFeature = {
  name: 'oversight',
  routes: portalRoutes,
  async start(ctx) {
    const worker = new QuarterlyReportWorker(ctx, {
      redisUrl: hubRedisUrl(ctx.config),
      queuePrefix: ctx.config.hub.retention.queuePrefix,
    });
    worker.start();
    return () => worker.stop();
  },
};

export const oversightAuditorFeature: HubFeature = {
  name: 'oversight-auditor',
  routes: auditorRoutes,
};
