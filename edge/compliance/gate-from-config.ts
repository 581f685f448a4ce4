// Wiring for the edge service: a compliance gate configured from the validated config, re-reading the
// config file when it changes, so re-aiming a camera (or changing a buffer) in the file is picked up by
// the gate's next re-check without a restart, and an invalid edit closes the cameras it touches.

import { parsePublicKey } from '../../shared/audit/signed-head.js';
import type { ResolvedCamera } from '../../shared/config/camera.schema.js';
import { resolveCamera } from '../../shared/config/camera.schema.js';
import { loadConfigFile } from '../../shared/config/load-config.js';
import type { AlprConfig } from '../../shared/config/schema.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { Clock } from '../../shared/runtime/clock.js';
import type { Store } from '../../shared/store/store.js';
import { loadEdgeKey } from '../forward/edge-key.js';
import { RegistryComplianceGate } from './compliance-gate.js';
import { configFileReloader } from './config-reload.js';
import { edgeRequestSigner } from './hub-request-signer.js';
import { HubRegistrySource } from './registry-hub.js';

export interface GateFromConfigOptions {
  logger?: Logger;
  clock?: Clock;
  /** The config file to follow; its raw document at start is `configBaseline` (read now if absent). */
  configFile?: string;
  configBaseline?: unknown;
  onConfigReload?: (result: 'valid' | 'invalid') => void;
}

/**
 * The gate for the enabled cameras of a validated config (not started: call start(), and stop() at
 * shutdown). With `configFile`, edits to that file are picked up on each re-check.
 * @example const gate = createComplianceGate(config, store, { logger, configFile, configBaseline: loaded.raw }); gate.start();
 */
export function createComplianceGate(
  config: AlprConfig,
  store: Store,
  options: GateFromConfigOptions = {},
): RegistryComplianceGate {
  const enabled = (cameras: readonly ResolvedCamera[]) => cameras.filter((c) => c.enabled);
  const logger = options.logger?.child({ component: 'compliance-gate' });
  let configSource: ReturnType<typeof configFileReloader> | undefined;
  if (options.configFile) {
    const baseline = options.configBaseline ?? baselineOf(options.configFile);
    configSource = configFileReloader(options.configFile, baseline, logger);
  }
  const registry = config.sites.hub ? hubRegistrySource(config, options) : undefined;
  const gate = new RegistryComplianceGate({
    store,
    registryPath: config.sites.registryPath,
    buffers: { ...config.sites.bufferM },
    cameras: enabled(config.cameras.map((c) => resolveCamera(c, config.cameraDefaults))),
    reevaluateEveryMs: config.sites.reevaluateEveryS * 1000,
    refusedAuditEveryMs: config.sites.refusedAuditEveryS * 1000,
    maxSiteCameraDistanceKm: config.sites.maxSiteCameraDistanceKm,
    actor: `edge:${config.node.id}`,
    clock: options.clock,
    logger,
    configSource,
    onConfigReload: options.onConfigReload,
    ...(registry && {
      registry,
      staleAfterMs: config.sites.hub!.maxStaleS * 1000,
      watchRegistry: false, // the file is this source's own copy
    }),
  });
  // A fetched registry is applied at once, not at the next re-check.
  if (registry) registry.onUpdate = () => gate.refresh();
  return gate;
}

/** The city registry from the hub (sites.hub): signed requests as node.id, verified with the hub's key. */
export function hubRegistrySource(
  config: AlprConfig,
  options: { logger?: Logger; clock?: Clock } = {},
): HubRegistrySource {
  const hub = config.sites.hub!;
  return new HubRegistrySource({
    hubUrl: (hub.url ?? config.forward.hubUrl)!,
    publicKey: parsePublicKey(hub.publicKey),
    cacheFile: config.sites.registryPath,
    sign: edgeRequestSigner(
      config.node.id,
      loadEdgeKey(hub.edgeKeyPath ?? config.forward.edgeKeyPath),
      options.clock,
    ),
    refreshEveryMs: config.sites.reevaluateEveryS * 1000,
    timeoutMs: hub.timeoutMs,
    clock: options.clock,
    logger: options.logger?.child({ component: 'hub-registry' }),
  });
}

function baselineOf(file: string): unknown {
  const result = loadConfigFile(file);
  return result.ok ? result.value.raw : result.raw;
}
