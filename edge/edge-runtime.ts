// Starts a whole edge box from a validated config: ffmpeg located, store opened, stages built, cameras
// running, /health and /metrics served, and a layered shutdown (cameras → HTTP → store) ready for signals.
import { type AuditAnchorer, createAnchorer } from '../shared/audit/anchorer.js';
import type { LoadedConfig } from '../shared/config/load-config.js';
import type { EventBus } from '../shared/events/event-bus.js';
import { type StatusServer, startStatusServer } from '../shared/http/status-server.js';
import type { Logger } from '../shared/logging/logger.js';
import { type Clock, systemClock } from '../shared/runtime/clock.js';
import { Shutdown, ShutdownLayer } from '../shared/runtime/shutdown.js';
import { PurgeRepository } from '../shared/store/purge.repository.js';
import { openStore, type Store } from '../shared/store/store.js';
import { EdgeService, type EdgeStages, ffmpegSources } from './edge-service.js';
import { createEdgeStages } from './edge-wiring.js';
import { startEdgeEvents } from './events/edge-events.js';
import { createForwarder } from './forward/forward-from-config.js';
import type { Forwarder } from './forward/forwarder.js';
import { edgeStatusRoutes } from './http/edge-health.js';
import { EdgeMetrics } from './http/edge-metrics.js';
import { type FfmpegLocation, locateFfmpeg } from './ingest/ffmpeg-locator.js';

export interface EdgeRuntime {
  service: EdgeService;
  /** The stages the cameras run through (benchmarks read the recognizer's timings). */
  stages: EdgeStages;
  metrics: EdgeMetrics;
  store: Store;
  /** Signs the audit head into the anchor file (docs/audit.md). */
  anchorer: AuditAnchorer;
  /** undefined when forward.enabled is false */
  forwarder: Forwarder | undefined;
  ffmpeg: FfmpegLocation;
  /** Plate-free operations events (docs/events.md); other edge sources publish here. */
  events: EventBus;
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
    metrics: EdgeMetrics,
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
  let anchorer: AuditAnchorer;
  try {
    anchorer = createAnchorer({
      audit: config.audit,
      nodeId: config.node.id,
      storeFile: config.store.path,
      db: store.db,
      auditLog: store.audit,
      clock,
      logger,
    });
  } catch (error) {
    await shutdown.run('audit signing key unusable');
    throw error;
  }
  anchorer.anchor('start');
  anchorer.start(config.audit.anchorEveryS * 1000);
  // After cameras and the gate (whose stop appends refused counts), before the store closes.
  shutdown.add('audit anchor', ShutdownLayer.audit, () => {
    anchorer.stop();
    anchorer.anchor('shutdown');
  });
  // Gauges read the service at scrape time; it exists before the first scrape.
  let stages: EdgeStages | undefined;
  const metrics = new EdgeMetrics(() => service.statuses(), {
    anchor: () => anchorer.status(),
    discarded: () => [...(stages?.recognizer.discarded?.() ?? []), ...(stages?.tracker.discarded?.() ?? [])],
  });
  try {
    stages = await (deps.createStages ?? createEdgeStages)(loaded, store, logger, shutdown, metrics);
  } catch (error) {
    await shutdown.run('edge stages failed to start');
    throw error;
  }

  let events: ReturnType<typeof startEdgeEvents>;
  try {
    events = startEdgeEvents(loaded, {
      gate: stages.gate,
      registry: metrics.registry,
      clock,
      logger,
      shutdown,
      retention: new PurgeRepository(store.db),
    });
  } catch (error) {
    await shutdown.run('events failed to start');
    throw error;
  }
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
    onCameraState: events.onCameraState,
  });
  shutdown.add('cameras', ShutdownLayer.ingest, () => service.stop());

  // Forwarding runs on its own timer; it stops with the services, before the store closes.
  let forwarder: Forwarder | undefined;
  try {
    forwarder = createForwarder(config, store, {
      registry: metrics.registry,
      logger,
      clock,
      events: events.bus,
    });
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
          anchor: () => anchorer.status(),
          gate: stages.gate,
          clockSkew: () => service.clockSkewStatus(),
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
  return {
    service,
    stages,
    metrics,
    store,
    anchorer,
    forwarder,
    ffmpeg,
    events: events.bus,
    server,
    shutdown,
  };
}
