// The one place that picks the concrete pipeline stages for `alpr edge`. The ONNX recognizer with its
// pass tracker and the compliance gate are built on other branches; until they are wired in here, the edge
// refuses to start and says what is missing, rather than running a fake recognizer or an always-allow gate.
import type { AlprConfig } from '../shared/config/schema.js';
import type { Logger } from '../shared/logging/logger.js';
import type { Store } from '../shared/store/store.js';
import type { EdgeStages } from './edge-service.js';
import { StoreReadSink } from './store-read-sink.js';

export class EdgeWiringError extends Error {
  constructor(readonly missing: string[]) {
    super(
      `the edge pipeline is incomplete in this build: missing ${missing.join('; ')}. ` +
        'Frames would have nowhere safe to go, so no camera was started.',
    );
    this.name = 'EdgeWiringError';
  }
}

/** The real read sink (store + crops), with crops left by a crash repaired first. */
export function createReadSink(config: AlprConfig, store: Store, logger: Logger): StoreReadSink {
  const sink = new StoreReadSink(store, {
    cropsDir: config.store.cropsDir,
    storeCrops: config.recognition.storeCrops,
    logger,
  });
  sink.recoverStagedCrops();
  return sink;
}

/**
 * Build recognizer, tracker, gate and sink for `alpr edge`.
 * Merge note: replace the throw with the real stages, e.g.
 *   return { recognizer: await createOnnxRecognizer(config), tracker: createPassTracker(config),
 *            gate: createComplianceGate(config, store), sink: createReadSink(config, store, logger) };
 */
export async function createEdgeStages(
  config: AlprConfig,
  store: Store,
  logger: Logger,
): Promise<EdgeStages> {
  void config;
  void store;
  void logger;
  throw new EdgeWiringError([
    'the ONNX plate recognizer and vehicle-pass tracker (recognition issue)',
    'the compliance gate (geofence issue)',
  ]);
}
