// Sharing as a hub feature: the inquiries, grants, exports and agencies API (sharing.routes.ts), and the
// daily drift check (SH-07) on the hub's Redis with a local timer when Redis is away.
import type { HubContext, HubFeature } from '../hub-context.js';
import { hubRedisUrl } from '../retention/retention.feature.js';
import { SharingDriftService } from './drift.service.js';
import { SharingDriftWorker } from './drift-worker.js';
import { sharingRoutes } from './sharing.routes.js';

/** The drift worker of a hub process, from the one config. */
export function sharingDriftWorker(ctx: HubContext, service = sharingDriftService(ctx)): SharingDriftWorker {
  const settings = ctx.config.hub.sharingDrift;
  return new SharingDriftWorker({
    service,
    redisUrl: hubRedisUrl(ctx.config),
    queuePrefix: ctx.config.hub.retention.queuePrefix,
    everyMs: settings.everyHours * 3_600_000,
    localFallbackMs: settings.localFallbackMinutes * 60_000,
    clock: ctx.clock,
    logger: ctx.logger,
  });
}

export function sharingDriftService(ctx: HubContext): SharingDriftService {
  return new SharingDriftService(ctx, ctx.logger.child({ component: 'sharing-drift' }));
}

export const sharingFeature: HubFeature = {
  name: 'sharing',
  routes: sharingRoutes,
  async start(ctx) {
    const worker = sharingDriftWorker(ctx);
    worker.start();
    return () => worker.stop();
  },
};
