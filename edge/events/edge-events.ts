// The edge's event bus: built from `events:` at start, with this box's cameras declared, camera state
// changes and gate state changes wired in, and closed after the cameras and the gate have stopped.
// retention.missed is watched here too (retention-events.ts); the forwarder publishes forwarding lag.

import path from 'node:path';
import type { Registry } from 'prom-client';
import type { LoadedConfig } from '../../shared/config/load-config.js';
import type { EventBus } from '../../shared/events/event-bus.js';
import { createEventBus } from '../../shared/events/events-from-config.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { Clock } from '../../shared/runtime/clock.js';
import { type Shutdown, ShutdownLayer } from '../../shared/runtime/shutdown.js';
import { type CameraStateListener, cameraStateEvents } from './camera-events.js';
import { isWatchableGate, watchGateStates } from './gate-events.js';
import type { RetentionFigures } from './retention-events.js';
import { watchEdgeRetention } from './retention-events.js';

export interface EdgeEvents {
  bus: EventBus;
  onCameraState: CameraStateListener;
}

/** Build and start the edge's bus; throws EventSinkError (naming the file) when a secret is unusable. */
export function startEdgeEvents(
  loaded: LoadedConfig,
  deps: {
    gate: unknown;
    registry: Registry;
    clock: Clock;
    logger: Logger;
    shutdown: Shutdown;
    /** the store's retention figures (retention.missed); absent: not watched */
    retention?: RetentionFigures;
  },
): EdgeEvents {
  const { config } = loaded;
  const bus = createEventBus(config.events, {
    kind: 'edge',
    defaultNodeId: config.node.id,
    defaultDir: path.dirname(config.store.path),
    registry: deps.registry,
    clock: deps.clock,
    logger: deps.logger,
    declared: { camera: loaded.cameras.map((c) => c.id) },
  });
  bus.start();
  let stopGate: () => void = () => undefined;
  if (isWatchableGate(deps.gate)) {
    stopGate = watchGateStates(deps.gate, bus, {
      clock: deps.clock,
      everyMs: 1000,
      pendingGraceMs: Math.max(30_000, config.sites.reevaluateEveryS * 3000),
    });
  }
  const stopRetention = deps.retention
    ? watchEdgeRetention(deps.retention, bus, {
        clock: deps.clock,
        retentionDays: config.retention.days,
        everyMs: 60_000,
        onError: (error) => deps.logger.warn({ err: error }, 'retention check for events failed'),
      })
    : () => undefined;
  // After cameras (ingest) and the gate (services), so their last changes still go out; within the
  // flush bound, before the store closes.
  deps.shutdown.add('events', ShutdownLayer.audit, async () => {
    stopGate();
    stopRetention();
    await bus.close();
  });
  return { bus, onCameraState: cameraStateEvents(bus, deps.clock) };
}
