// Wires the purge worker process: its own store connection, the purge service, the BullMQ worker with its
// local fallback, the /health + /metrics endpoint, and a layered shutdown (worker and HTTP, then the store).
import { type AuditAnchorer, createAnchorer } from '../shared/audit/anchorer.js';
import type { AlprConfig } from '../shared/config/schema.js';
import { type StatusServer, startStatusServer } from '../shared/http/status-server.js';
import type { Logger } from '../shared/logging/logger.js';
import { type Clock, systemClock } from '../shared/runtime/clock.js';
import { Shutdown, ShutdownLayer } from '../shared/runtime/shutdown.js';
import { openStore, type Store } from '../shared/store/store.js';
import { PurgeService, purgeSettingsFrom } from './purge.service.js';
import { PurgeWorker } from './purge-worker.js';
import { DEFAULT_WAL_RETRY } from './wal-truncator.js';
import { createWorkerStatusRoutes } from './worker-health.js';

export interface WorkerProcess {
  store: Store;
  anchorer: AuditAnchorer;
  service: PurgeService;
  worker: PurgeWorker;
  http: StatusServer | undefined;
  shutdown: Shutdown;
}

export async function startWorkerProcess(options: {
  config: AlprConfig;
  logger: Logger;
  /** Overrides store.path (the CLI's --db). */
  dbFile?: string;
  clock?: Clock;
}): Promise<WorkerProcess> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const storeFile = options.dbFile ?? config.store.path;
  const store = openStore(storeFile, {
    retentionDays: config.retention.days,
    busyTimeoutMs: config.store.busyTimeoutMs,
  });
  const shutdown = new Shutdown(logger);
  shutdown.add('store', ShutdownLayer.store, () => store.close());
  try {
    const anchorer = createAnchorer({
      audit: config.audit,
      nodeId: config.node.id,
      storeFile,
      db: store.db,
      auditLog: store.audit,
      clock,
      logger,
    });
    anchorer.anchor('start');
    anchorer.start(config.audit.anchorEveryS * 1000);
    shutdown.add('audit anchor', ShutdownLayer.audit, () => {
      anchorer.stop();
      anchorer.anchor('shutdown');
    });
    const service = new PurgeService({
      ...purgeSettingsFrom(config),
      store,
      clock,
      logger: logger.child({ component: 'purge' }),
      // Every receipt is pinned outside the database at once, not at the next timer tick.
      afterReceipt: () => anchorer.anchor('purge receipt'),
      walRetry: DEFAULT_WAL_RETRY,
    });
    const worker = new PurgeWorker({
      service,
      nodeId: config.node.id,
      redisUrl: config.redis.url,
      queuePrefix: config.worker.queuePrefix,
      purgeEveryMs: config.retention.purgeEveryMinutes * 60_000,
      attempts: config.worker.attempts,
      backoffMs: config.worker.backoffMs,
      localFallbackMs: config.worker.localFallbackMinutes * 60_000,
      clock,
      logger,
    });
    shutdown.add('purge worker', ShutdownLayer.services, () => worker.stop());
    worker.start();
    let http: StatusServer | undefined;
    if (config.worker.httpEnabled) {
      http = await startStatusServer({
        host: config.worker.httpHost,
        port: config.worker.httpPort,
        routes: createWorkerStatusRoutes({
          purge: service.records,
          holds: store.holds,
          retention: store.retention,
          maxClockSkewMs: config.ingest.maxClockSkewS * 1000,
          clock,
          worker,
          anchor: () => anchorer.status(),
          wal: () => service.walStatus(),
        }),
      });
      const server = http;
      shutdown.add('worker http', ShutdownLayer.services, () => server.close());
    }
    return { store, anchorer, service, worker, http, shutdown };
  } catch (error) {
    await shutdown.run('start failed');
    throw error;
  }
}
