// The demo's edge run: `alpr edge` in this process on the demo config, printing each read as it is
// stored, until the clip has played once; then a clean stop, which flushes the open passes into the store
// and lets the forwarder do its last cycle to the hub.
import { startEdge } from '../../edge/edge-runtime.js';
import type { LoadedConfig } from '../../shared/config/load-config.js';
import type { Logger } from '../../shared/logging/logger.js';
import { DEMO_CAMERAS, DEMO_CLIP } from './demo-scenario.js';
import { sleep, waitFor } from './demo-util.js';

export interface EdgeRun {
  /** reads refused before storage, per camera */
  refused: Map<string, number>;
  /** ids of the reads printed while the edge ran */
  seen: Set<number>;
}

export async function runDemoEdge(
  loaded: LoadedConfig,
  logger: Logger,
  log: (line: string) => void,
): Promise<EdgeRun> {
  const runtime = await startEdge(loaded, { logger });
  const refused = new Map<string, number>();
  const seen = new Set<number>();
  const printNewReads = () => {
    for (const read of runtime.store.reads.search({}, Date.now()).reverse()) {
      if (seen.has(read.id)) continue;
      seen.add(read.id);
      log(`      stored  ${read.cameraId}  ${read.plate}  confidence ${read.confidence.toFixed(2)}`);
    }
  };
  try {
    const online = () => runtime.service.statuses().filter((s) => s.state === 'online').length;
    await waitFor(
      () => online() === DEMO_CAMERAS.length,
      30_000,
      'both cameras online',
      () =>
        runtime.service
          .statuses()
          .filter((s) => s.state !== 'online')
          .map(
            (s) =>
              `${s.id} is ${s.state}${s.lastFailure ? ` (last error: ${s.lastFailure.reason}${s.lastFailure.detail ? `: ${s.lastFailure.detail}` : ''})` : ' (no error reported yet)'}, ${s.reconnects} reconnect(s)`,
          )
          .join('; '),
    );
    // The clip plays once: when its stream ends the cameras leave 'online' (and would replay it).
    const deadline = Date.now() + (DEMO_CLIP.seconds + 5) * 1000;
    while (online() === DEMO_CAMERAS.length && Date.now() < deadline) {
      await sleep(100);
      printNewReads();
    }
  } finally {
    // Stopping flushes the passes still open through the gate into the store, then forwards them.
    await runtime.shutdown.run('demo clip finished');
    for (const { labels, value } of (await runtime.metrics.readsRefused.get()).values) {
      refused.set(String(labels.camera), (refused.get(String(labels.camera)) ?? 0) + value);
    }
  }
  return { refused, seen };
}
