// Hub retention as a hub feature: at start, before the hub listens, one run (a restored backup never
// serves an expired read, RET-07); then the BullMQ schedule on the hub's Redis with a local timer.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AlprConfig } from '../../shared/config/schema.js';
import { anchorHubHead } from '../audit/hub-anchor.js';
import type { HubContext, HubFeature } from '../hub-context.js';
import { type HubRetentionOutcome, HubRetentionService } from './retention.service.js';
import { HubRetentionWorker } from './retention-worker.js';

/** The retention service of a hub process, from the one config (retention.days is the edge's value). */
export function hubRetentionService(ctx: HubContext): HubRetentionService {
  const { config } = ctx;
  return new HubRetentionService({
    db: ctx.db,
    audit: ctx.audit,
    clock: ctx.clock,
    logger: ctx.logger.child({ component: 'hub-retention' }),
    retentionDays: config.retention.days,
    partitionsAheadDays: config.hub.retention.partitionsAheadDays,
    leaseMs: config.hub.retention.leaseSeconds * 1000,
    lockTimeoutMs: config.hub.retention.lockTimeoutMs,
    // Every receipt is pinned outside the database at once, not at the next anchoring tick.
    afterReceipt: async () => {
      await anchorHubHead(ctx, 'retention receipt');
    },
  });
}

export function hubRedisUrl(config: AlprConfig): string {
  return config.hub.redisUrl ?? config.redis.url;
}

/**
 * Run retention now, waiting out another hub process that holds the lease (it is doing the same work);
 * throws when it is still held after the lease period, so a hub never starts on an unpurged database.
 */
export async function runRetentionBeforeServing(
  service: HubRetentionService,
  ctx: HubContext,
  pollMs = 500,
): Promise<HubRetentionOutcome & { kind: 'completed' }> {
  const deadline = Date.now() + ctx.config.hub.retention.leaseSeconds * 1000 + 5000;
  for (;;) {
    const outcome = await service.run(`start:${ctx.clock()}:${process.pid}`, 'start');
    if (outcome.kind === 'completed') return outcome;
    if (Date.now() > deadline) {
      throw new Error(
        `hub retention is held by ${outcome.holder.owner} (run ${outcome.holder.runId}) for too long; not serving until retention has run`,
      );
    }
    ctx.logger.info({ holder: outcome.holder.owner }, 'another hub process is running retention; waiting');
    await sleep(pollMs);
  }
}

export const retentionFeature: HubFeature = {
  name: 'retention',
  async start(ctx) {
    const service = hubRetentionService(ctx);
    const first = await runRetentionBeforeServing(service, ctx);
    ctx.logger.info(
      { retentionMet: first.receipt.retentionMet, daysDropped: first.receipt.daysDropped },
      'hub retention ran before serving',
    );
    const settings = ctx.config.hub.retention;
    const worker = new HubRetentionWorker({
      service,
      redisUrl: hubRedisUrl(ctx.config),
      queuePrefix: settings.queuePrefix,
      everyMs: settings.everyMinutes * 60_000,
      localFallbackMs: settings.localFallbackMinutes * 60_000,
      clock: ctx.clock,
      logger: ctx.logger,
    });
    worker.start();
    return () => worker.stop();
  },
};
