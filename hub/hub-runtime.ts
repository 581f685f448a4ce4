// Starts a hub process: open and migrate the database, start every feature, listen; and stops it in
// layers (stop taking requests, stop background work, close the database), each step even if one fails.
import type { AddressInfo } from 'node:net';
import type { LoadedConfig } from '../shared/config/load-config.js';
import { createEventBus } from '../shared/events/events-from-config.js';
import type { Logger } from '../shared/logging/logger.js';
import { type Clock, systemClock } from '../shared/runtime/clock.js';
import { Shutdown, ShutdownLayer } from '../shared/runtime/shutdown.js';
import { ALPR_VERSION } from '../shared/runtime/version.js';
import { HubAuditLog } from './audit/hub-audit-log.js';
import type { HubDb } from './db/hub-db.js';
import { openHubDb } from './db/open-hub-db.js';
import { HubMetrics } from './http/hub-metrics.js';
import { buildHubServer } from './http/hub-server.js';
import type { HubContext, HubFeature } from './hub-context.js';
import { HUB_FEATURES } from './hub-features.js';
import { loadHubKeys } from './hub-keys.js';

export interface HubRuntime {
  readonly url: string;
  readonly port: number;
  readonly db: HubDb;
  readonly context: HubContext;
  /** run(reason) stops the hub; safe to call twice */
  readonly shutdown: Shutdown;
}

export interface StartHubOptions {
  logger: Logger;
  /** overrides hub.port (0: any free port) */
  port?: number;
  clock?: Clock;
  features?: readonly HubFeature[];
  /** tests running several hubs in one process pass registries without process metrics */
  metrics?: HubMetrics;
}

export async function startHub(loaded: LoadedConfig, options: StartHubOptions): Promise<HubRuntime> {
  const { config } = loaded;
  const logger = options.logger.child({ component: 'hub' });
  const shutdown = new Shutdown(logger);
  const keys = loadHubKeys(config.hub.keysDir!);
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? new HubMetrics();
  // Built before the database opens, so a missing or readable-by-others secret stops the start first.
  const events = createEventBus(config.events, {
    kind: 'hub',
    defaultNodeId: 'hub',
    defaultDir: config.hub.dataDir,
    clock,
    logger,
    registry: metrics.registry,
  });
  const db = await openHubDb(config.hub);
  shutdown.add('database', ShutdownLayer.store, () => db.close());
  events.start();
  // After features stop publishing, before the database closes.
  shutdown.add('events', ShutdownLayer.audit, () => events.close());
  const context: HubContext = {
    db,
    audit: new HubAuditLog(),
    config,
    logger,
    clock,
    keys,
    events,
    metrics,
  };
  try {
    const features = options.features ?? HUB_FEATURES;
    for (const feature of features) {
      if (!feature.start) continue;
      const stop = await feature.start(context);
      shutdown.add(`feature ${feature.name}`, ShutdownLayer.services, stop);
    }
    const app = await buildHubServer({
      routes: features.flatMap((f) => f.routes?.(context) ?? []),
      authenticators: features.flatMap((f) => f.authenticators?.(context) ?? []),
      logger,
      version: ALPR_VERSION,
      bodyLimitBytes: config.hub.bodyLimitBytes,
      tls: config.hub.tls,
      metrics: context.metrics,
    });
    // Stop taking requests before background work and the database go away.
    shutdown.add('http server', ShutdownLayer.ingest, () => app.close());
    await app.listen({ host: config.hub.host, port: options.port ?? config.hub.port });
    const port = (app.server.address() as AddressInfo).port;
    const scheme = config.hub.tls ? 'https' : 'http';
    const host = config.hub.host.includes(':') ? `[${config.hub.host}]` : config.hub.host;
    const url = `${scheme}://${host}:${port}`;
    logger.info({ url, engine: db.engine, location: db.location, version: ALPR_VERSION }, 'hub listening');
    return { url, port, db, context, shutdown };
  } catch (error) {
    await shutdown.run('start failed');
    throw error;
  }
}
