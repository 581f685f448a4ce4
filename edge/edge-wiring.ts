// The one place that picks the concrete pipeline stages for `alpr edge`: the ONNX plate pipeline and
// pass tracker (recognition), the registry-backed compliance gate (geofence) and the store sink.
import type { LoadedConfig } from '../shared/config/load-config.js';
import type { AlprConfig } from '../shared/config/schema.js';
import type { Logger } from '../shared/logging/logger.js';
import { type Shutdown, ShutdownLayer } from '../shared/runtime/shutdown.js';
import type { Store } from '../shared/store/store.js';
import { createComplianceGate } from './compliance/gate-from-config.js';
import type { EdgeStages } from './edge-service.js';
import type { EdgeMetrics } from './http/edge-metrics.js';
import { openPassTracker, openPlatePipeline } from './recognition/open-pipeline.js';
import { StoreReadSink } from './store-read-sink.js';

/** The real read sink (store + crops), with crops left by a crash repaired first. */
export function createReadSink(config: AlprConfig, store: Store, logger: Logger): StoreReadSink {
  const sink = new StoreReadSink(store, {
    cropsDir: config.store.cropsDir,
    storeCrops: config.recognition.storeCrops,
    maxClockSkewMs: config.ingest.maxClockSkewS * 1000,
    logger,
  });
  sink.recoverStagedCrops();
  return sink;
}

/**
 * Build recognizer, tracker, gate and sink for `alpr edge`. Model files are verified against the
 * manifest before a session opens; the gate evaluates every camera before the first frame is read and
 * keeps re-checking the registry (and the config file's camera geometry) until shutdown.
 */
export async function createEdgeStages(
  loaded: LoadedConfig,
  store: Store,
  logger: Logger,
  shutdown: Shutdown,
  metrics?: EdgeMetrics,
): Promise<EdgeStages> {
  const { config } = loaded;
  const cameras = loaded.cameras.filter((c) => c.enabled);
  const recognizer = await openPlatePipeline({
    models: config.models,
    recognition: config.recognition,
    mode: 'frames',
    cameras,
  });
  const gate = createComplianceGate(config, store, {
    logger,
    configFile: loaded.source,
    configBaseline: loaded.raw,
    onConfigReload: (result) => metrics?.configReloads.inc({ result }),
  });
  gate.start();
  // The gate flushes its refused-read counts to the audit chain on stop: after cameras, before the store.
  shutdown.add('compliance-gate', ShutdownLayer.services, () => gate.stop());
  return {
    recognizer,
    tracker: openPassTracker(config.recognition),
    gate,
    sink: createReadSink(config, store, logger),
  };
}
