// Wiring for the edge service: a compliance gate configured from the validated config, and a camera
// source that re-reads the config file when it changes, so re-aiming a camera in the file is picked
// up by the gate's next re-check without a restart.
import { statSync } from 'node:fs';
import type { ResolvedCamera } from '../../shared/config/camera.schema.js';
import { issuesToLines } from '../../shared/config/format-issues.js';
import { type LoadedConfig, loadConfigFile } from '../../shared/config/load-config.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { Clock } from '../../shared/runtime/clock.js';
import type { Store } from '../../shared/store/store.js';
import { RegistryComplianceGate } from './compliance-gate.js';

/**
 * The gate for the enabled cameras of a loaded config (not started: call start()).
 * @example const gate = complianceGateFromConfig(loaded, store, { logger }); gate.start();
 */
export function complianceGateFromConfig(
  loaded: LoadedConfig,
  store: Store,
  options: { logger?: Logger; clock?: Clock; watchConfig?: boolean } = {},
): RegistryComplianceGate {
  const { config } = loaded;
  const enabled = (cameras: readonly ResolvedCamera[]) => cameras.filter((c) => c.enabled);
  const source =
    options.watchConfig !== false && loaded.source
      ? configFileCameraSource(loaded.source, options.logger)
      : undefined;
  return new RegistryComplianceGate({
    store,
    registryPath: config.sites.registryPath,
    buffers: { ...config.sites.bufferM },
    cameras: enabled(loaded.cameras),
    reevaluateEveryMs: config.sites.reevaluateEveryS * 1000,
    refusedAuditEveryMs: config.sites.refusedAuditEveryS * 1000,
    actor: `edge:${config.node.id}`,
    clock: options.clock,
    logger: options.logger?.child({ component: 'compliance-gate' }),
    cameraSource: source && (() => source()?.filter((c) => c.enabled)),
  });
}

/**
 * Returns the config file's cameras when the file changed since the last call, else undefined.
 * An invalid edit is logged and ignored: the cameras keep the geometry they were evaluated with.
 */
export function configFileCameraSource(file: string, logger?: Logger): () => ResolvedCamera[] | undefined {
  let lastStamp = stamp(file);
  return () => {
    const now = stamp(file);
    if (now === lastStamp) return undefined;
    lastStamp = now;
    const result = loadConfigFile(file);
    if (!result.ok) {
      logger?.error(
        { issues: issuesToLines(result.issues) },
        'config file changed but is invalid; cameras unchanged',
      );
      return undefined;
    }
    return result.value.cameras;
  };
}

function stamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}
