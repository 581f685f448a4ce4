// Wiring for the edge service: a compliance gate configured from the validated config, and a camera
// source that re-reads the config file when it changes, so re-aiming a camera in the file is picked
// up by the gate's next re-check without a restart.
import { statSync } from 'node:fs';
import { type ResolvedCamera, resolveCamera } from '../../shared/config/camera.schema.js';
import { issuesToLines } from '../../shared/config/format-issues.js';
import { loadConfigFile } from '../../shared/config/load-config.js';
import type { AlprConfig } from '../../shared/config/schema.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { Clock } from '../../shared/runtime/clock.js';
import type { Store } from '../../shared/store/store.js';
import { RegistryComplianceGate } from './compliance-gate.js';

/**
 * The gate for the enabled cameras of a validated config (not started: call start(), and stop() at
 * shutdown). With `configFile`, cameras re-aimed in that file are picked up on each re-check.
 * @example const gate = createComplianceGate(config, store, { logger, configFile }); gate.start();
 */
export function createComplianceGate(
  config: AlprConfig,
  store: Store,
  options: { logger?: Logger; clock?: Clock; configFile?: string } = {},
): RegistryComplianceGate {
  const enabled = (cameras: readonly ResolvedCamera[]) => cameras.filter((c) => c.enabled);
  const source = options.configFile ? configFileCameraSource(options.configFile, options.logger) : undefined;
  return new RegistryComplianceGate({
    store,
    registryPath: config.sites.registryPath,
    buffers: { ...config.sites.bufferM },
    cameras: enabled(config.cameras.map((c) => resolveCamera(c, config.cameraDefaults))),
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
