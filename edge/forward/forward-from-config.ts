// The forwarder as `alpr edge` runs it: from the forward section, this node's id, its key file and the
// edge's anchor file. Undefined when forwarding is off. A missing or exposed key fails the start loudly.
import type { Registry } from 'prom-client';
import type { AlprConfig } from '../../shared/config/schema.js';
import type { EventBus } from '../../shared/events/event-bus.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { Clock } from '../../shared/runtime/clock.js';
import type { Store } from '../../shared/store/store.js';
import { loadEdgeKey } from './edge-key.js';
import { Forwarder } from './forwarder.js';
import { anchorFileHeadSource, defaultHeadPaths } from './head-source.js';

export function createForwarder(
  config: AlprConfig,
  store: Pick<Store, 'db' | 'file'>,
  deps: { registry: Registry; logger: Logger; clock: Clock; events?: Pick<EventBus, 'publish'> },
): Forwarder | undefined {
  const { forward } = config;
  if (!forward.enabled || !forward.hubUrl) return undefined;
  return new Forwarder({
    store,
    config: { ...forward, hubUrl: forward.hubUrl },
    edgeId: config.node.id,
    secret: loadEdgeKey(forward.edgeKeyPath),
    heads: anchorFileHeadSource({ ...defaultHeadPaths(store.file), chain: config.node.id }),
    registry: deps.registry,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'forwarder' }),
    events: deps.events,
  });
}
