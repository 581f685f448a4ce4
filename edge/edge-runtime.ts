// Starts a whole edge box from a validated config: ffmpeg located, store opened, stages built, cameras
// running, /health and /metrics served, and a layered shutdown (cameras → HTTP → store) ready for signals.
import type { LoadedConfig } from '../shared/config/load-config.js';
import { type StatusServer, startStatusServer } from '../shared/http/status-server.js';
import type { Logger } from '../shared/logging/logger.js';
import { type Clock, systemClock } from '../shared/runtime/clock.js';
import { Shutdown, ShutdownLayer } from '../shared/runtime/shutdown.js';
import { openStore, type Store } from '../shared/store/store.js';
import { EdgeService, type EdgeStages, ffmpegSources } from './edge-service.js';
import { createEdgeStages } from './edge-wiring.js';
import { createForwarder } from './forward/forward-from-config.js';
import type { Forwarder } from './forward/forwarder.js';
import { edgeStatusRoutes } from './http/edge-health.js';
import { EdgeMetrics } from './http/edge-metrics.js';
import { type FfmpegLocation, locateFfmpeg } from './ingest/ffmpeg-locator.js';

export interface EdgeRuntime {
  service: EdgeService;
  metrics: EdgeMetrics;
  store: Store;
  /** undefined when forward.enabled is false */
  forwarder: Forwarder | undefined;
  ffmpeg: FfmpegLocation;
  /** undefined when http.enabled is false. */
  server: StatusServer | undefined;
  shutdown: Shutdown;
}

export interface EdgeRuntimeDeps {
  logger: Logger;
  clock?: Clock;
  /** Defaults to edge-wiring's createEdgeStages; tests pass their own. */
  createStages?: (
    loaded: LoadedConfig,
    store: Store,
    logger: Logger,
    shutdown: Shutdown,
  ) => Promise<EdgeStages>;
  /** Overrides http.port (e.g. 0 in tests). */
  httpPort?: number;
}

export async function startEdge(loaded: LoadedConfig, deps: EdgeRuntimeDeps): Promise<EdgeRuntime> {
  const { config } = loaded;
  const { logger } = deps;
  const clock = deps.clock ?? systemClock;
  const ffmpeg = locateFfmpeg(config.ingest.ffmpegPath);
  logger.info({ ffmpeg: ffmpeg.path, origin: ffmpeg.origin }, 'using ffmpeg');

  const store = openStore(config.store.path, {
    retentionDays: config.retention.days,
    busyTimeoutMs: config.store.busyTimeoutMs,
  });
  const shutdown = new Shutdown(logger, Math.max(15_000, config.ingest.stopGraceMs * 3 + 5000));
  shutdown.add('store', ShutdownLayer.store, () => store.close());
  let stages: EdgeStages;
  try {
    stages = await (deps.createStages ?? createEdgeStages)(loaded, store, logger, shutdown);
  } catch (error) {
    await shutdown.run('edge stages failed to start');
    throw error;
  }

  const metrics = new EdgeMetrics(() => service.statuses());
  const service: EdgeService = new EdgeService({
    cameras: loaded.cameras,
    stages,
    sourceFor: ffmpegSources({
      ffmpegPath: ffmpeg.path,
      stopGraceMs: config.ingest.stopGraceMs,
      loopFiles: config.ingest.loopFiles,
      clock,
    }),
    ingest: config.ingest,
    trackWindowMs: config.recognition.trackWindowMs,
    metrics,
    clock,
    logger,
  });
  shutdown.add('cameras', ShutdownLayer.ingest, () => service.stop());

  // Forwarding runs on its own timer; it stops with the services, before the store closes.
  let forwarder: Forwarder | undefined;
  try {
    forwarder = createForwarder(config, store, { registry: metrics.registry, logger, clock });
  } catch (error) {
    await shutdown.run('forwarder failed to start');
    throw error;
  }
  if (forwarder) {
    const running = forwarder;
    // After the cameras (whose last passes it then forwards, for up to 5 s), before the store closes.
    shutdown.add('forwarder', ShutdownLayer.services, () => running.stop({ flushMs: 5000 }));
  }

  let server: StatusServer | undefined;
  if (config.http.enabled) {
    try {
      server = await startStatusServer({
        host: config.http.host,
        port: deps.httpPort ?? config.http.port,
        routes: edgeStatusRoutes({
          metrics,
          statuses: () => service.statuses(),
          clock,
          unhealthyAfterOfflineMs: config.http.unhealthyAfterOfflineS * 1000,
          forward: () => forwarder?.health(),
        }),
      });
    } catch (error) {
      await shutdown.run('http endpoint failed to start');
      throw new Error(
        `cannot serve /health and /metrics on ${config.http.host}:${deps.httpPort ?? config.http.port}: ${(error as Error).message}`,
      );
    }
    const running = server;
    shutdown.add('http', ShutdownLayer.services, () => running.close());
    logger.info({ endpoint: running.url }, 'serving /health and /metrics');
  }
  service.start();
  forwarder?.start();
  return { service, metrics, store, forwarder, ffmpeg, server, shutdown };
}
