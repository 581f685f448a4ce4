// Builds a process's event bus from the validated `events:` section: one webhook sink per endpoint (its
// secret read from its file now, so a missing or world-readable secret stops the start with the path),
// the MQTT sink when configured, the rate rule and the dead-letter file.
import path from 'node:path';
import { Registry } from 'prom-client';
import { type EventsConfig, redactQuery } from '../config/events.schema.js';
import type { Logger } from '../logging/logger.js';
import type { Clock } from '../runtime/clock.js';
import { EventBus } from './event-bus.js';
import type { EventSourceKind } from './event-catalog.js';
import { DeadLetterFile } from './sinks/dead-letter-file.js';
import { EventMetrics } from './sinks/event-metrics.js';
import type { EventSink } from './sinks/event-sink.js';
import { MqttSink } from './sinks/mqtt-sink.js';
import { loadMqttCredentials, loadWebhookKey } from './sinks/secret-files.js';
import { WebhookSink } from './sinks/webhook-sink.js';

export interface EventBusSetup {
  kind: EventSourceKind;
  /** node.id on an edge, `hub` on the hub; events.nodeId overrides it. */
  defaultNodeId: string;
  /** Where events-dead-letter.jsonl goes when events.deadLetterPath is unset. */
  defaultDir: string;
  /** The process's metrics registry (a fresh one when the process serves none). */
  registry?: Registry;
  clock: Clock;
  logger: Logger;
  declared?: { camera?: Iterable<string>; edge?: Iterable<string> };
  random?: () => number;
}

/** The dead-letter file of a process. */
export function deadLetterPathFor(events: EventsConfig, defaultDir: string): string {
  return events.deadLetterPath ?? path.join(defaultDir, 'events-dead-letter.jsonl');
}

/** Build (not start) the bus; throws EventSinkError naming the file when a secret cannot be used. */
export function createEventBus(events: EventsConfig, setup: EventBusSetup): EventBus {
  const nodeId = events.nodeId ?? setup.defaultNodeId;
  const registry = setup.registry ?? new Registry();
  const logger = setup.logger;
  const deadLetters = new DeadLetterFile(
    deadLetterPathFor(events, setup.defaultDir),
    events.deadLetterMaxBytes,
    logger.child({ component: 'events' }),
  );
  const metrics = new EventMetrics(registry);
  const sinks: EventSink[] = events.webhooks.map(
    (hook) =>
      new WebhookSink({
        name: hook.name,
        url: hook.url,
        displayUrl: redactQuery(hook.url),
        key: loadWebhookKey(hook.secretPath),
        types: hook.types,
        timeoutMs: hook.timeoutMs,
        retry: {
          retries: hook.retries,
          initialMs: hook.backoffInitialMs,
          maxMs: hook.backoffMaxMs,
          jitter: 0.2,
        },
        queueSize: hook.queueSize,
        deadLetters,
        metrics,
        clock: setup.clock,
        logger,
        random: setup.random,
      }),
  );
  if (events.mqtt) {
    const m = events.mqtt;
    sinks.push(
      new MqttSink({
        url: m.url,
        topicPrefix: m.topicPrefix,
        nodeId,
        clientId: m.clientId ?? `alpr-${nodeId}`,
        credentials: m.credentialsPath ? loadMqttCredentials(m.credentialsPath) : undefined,
        types: m.types,
        connectTimeoutMs: m.connectTimeoutMs,
        reconnect: { initialMs: m.backoffInitialMs, maxMs: m.backoffMaxMs, jitter: 0.2 },
        queueSize: m.queueSize,
        deadLetters,
        metrics,
        clock: setup.clock,
        logger,
        random: setup.random,
      }),
    );
  }
  const bus = new EventBus({
    source: { kind: setup.kind, nodeId },
    sinks,
    rule: { windowMs: events.rateLimit.windowS * 1000, maxPerWindow: events.rateLimit.maxPerWindow },
    metrics,
    clock: setup.clock,
    logger,
    declared: setup.declared,
    flushMs: events.shutdownFlushMs,
  });
  return bus;
}
