import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { eventsSchema } from '../../../shared/config/events.schema.js';
import type { EventBus } from '../../../shared/events/event-bus.js';
import { createEventBus } from '../../../shared/events/events-from-config.js';
import { systemClock } from '../../../shared/runtime/clock.js';
import { freePort } from '../../../shared/runtime/processes.js';
import { eventually } from '../../support/eventually.js';
import { captureLogs } from '../../support/log-capture.js';
import {
  brokerRelay,
  MQTT_URL,
  mqttSkipReason,
  type Relay,
  subscribe,
  uniquePrefix,
} from '../../support/mqtt.js';
import { tempDir } from '../../support/temp-dir.js';
import { metricValue } from '../../support/webhook-receiver.js';

const skip = await mqttSkipReason();
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function setUp(
  url: string,
  mqttOverrides: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  const dir = tempDir('alpr-mqtt-');
  const prefix = uniquePrefix();
  const registry = new Registry();
  const logs = captureLogs();
  const events = eventsSchema.parse({
    mqtt: {
      url,
      topicPrefix: prefix,
      clientId: `pub-${prefix}`,
      backoffInitialMs: 50,
      backoffMaxMs: 200,
      connectTimeoutMs: 2000,
      ...mqttOverrides,
    },
    deadLetterPath: path.join(dir, 'dead.jsonl'),
    shutdownFlushMs: 500,
    ...extra,
  });
  const bus = createEventBus(events, {
    kind: 'edge',
    defaultNodeId: 'edge-01',
    defaultDir: dir,
    registry,
    clock: systemClock,
    logger: logs.logger,
    declared: { camera: ['gate-north', 'gate-south', 'gate-east'] },
  });
  bus.start();
  cleanup.push(() => bus.close());
  const deadLetters = () => {
    try {
      return readFileSync(path.join(dir, 'dead.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    } catch {
      return [];
    }
  };
  return { prefix, registry, bus, logs, deadLetters };
}

const offline = (bus: EventBus, cameraId: string) =>
  bus.publish('camera.offline', {
    cameraId,
    reason: 'stalled',
    downForS: 12,
    lastFrameAt: '2026-01-15T07:59:48.000Z',
  });

describe.skipIf(skip)('MQTT sink (the real Mosquitto; a second client checks what arrives)', () => {
  it('publishes at QoS 1 on <prefix>/<nodeId>/<eventType> the exact event JSON', async () => {
    const probe = setUp(MQTT_URL);
    const sub = await subscribe(probe.prefix);
    cleanup.push(() => sub.close());
    await eventually(
      'alpr_events_endpoint_up = 1',
      async () => (await metricValue(probe.registry, 'alpr_events_endpoint_up', { endpoint: 'mqtt' })) === 1,
    );
    expect(offline(probe.bus, 'gate-north')).toBe('queued');
    await eventually('the message', () => sub.messages.length === 1, { timeoutMs: 10_000 });
    const [message] = sub.messages;
    expect(message!.topic).toBe(`${probe.prefix}/edge-01/camera.offline`);
    expect(message!.qos).toBe(1);
    expect(JSON.parse(message!.payload)).toMatchObject({
      type: 'camera.offline',
      source: { kind: 'edge', nodeId: 'edge-01' },
      data: { cameraId: 'gate-north', reason: 'stalled', downForS: 12 },
    });
    await eventually(
      'alpr_events_sent_total = 1',
      async () => (await metricValue(probe.registry, 'alpr_events_sent_total', { endpoint: 'mqtt' })) === 1,
    );
  });

  it('queues while nothing listens, reconnects with back-off, then delivers in order; drops the oldest past the bound', async () => {
    const relay: Relay = brokerRelay(await freePort());
    cleanup.push(() => relay.down());
    const { prefix, registry, bus, logs } = setUp(`mqtt://127.0.0.1:${relay.port}`, { queueSize: 3 });
    const sub = await subscribe(prefix);
    cleanup.push(() => sub.close());
    for (const camera of ['gate-north', 'gate-south', 'gate-east']) offline(bus, camera);
    bus.publish('camera.back', { cameraId: 'gate-north', offlineForS: 3 });
    await new Promise((r) => setTimeout(r, 400));
    expect(sub.messages).toEqual([]);
    expect(await metricValue(registry, 'alpr_events_queue_depth', { endpoint: 'mqtt' })).toBe(3);
    expect(await metricValue(registry, 'alpr_events_dropped_total', { endpoint: 'mqtt' })).toBe(1);
    expect(await metricValue(registry, 'alpr_events_endpoint_up', { endpoint: 'mqtt' })).toBe(0);
    expect(logs.entries('MQTT broker connection failed')).toHaveLength(1); // not one per reconnect
    await relay.up();
    await eventually('the queued messages', () => sub.messages.length === 3, { timeoutMs: 10_000 });
    expect(sub.messages.map((m) => [m.topic.split('/').pop(), JSON.parse(m.payload).data.cameraId])).toEqual([
      ['camera.offline', 'gate-south'],
      ['camera.offline', 'gate-east'],
      ['camera.back', 'gate-north'],
    ]);

    // The connection is cut while running: the next event waits, and arrives after the reconnect.
    await relay.down();
    await eventually(
      'alpr_events_endpoint_up = 0',
      async () => (await metricValue(registry, 'alpr_events_endpoint_up', { endpoint: 'mqtt' })) === 0,
    );
    bus.publish('camera.back', { cameraId: 'gate-south', offlineForS: 9 });
    await relay.up();
    await eventually('the message after a reconnect', () => sub.messages.length === 4, { timeoutMs: 10_000 });
    expect(JSON.parse(sub.messages[3]!.payload).data).toEqual({ cameraId: 'gate-south', offlineForS: 9 });
  });

  it('dead-letters what is still queued at shutdown when the broker never answered, within the bound', async () => {
    const dir = tempDir('alpr-mqtt-cred-');
    const credentialsPath = path.join(dir, 'mqtt.cred');
    writeFileSync(credentialsPath, 'alpr-edge:pw-do-not-log\n', { mode: 0o600 });
    const { registry, bus, deadLetters, logs } = setUp(`mqtt://127.0.0.1:${await freePort()}`, {
      credentialsPath,
    });
    offline(bus, 'gate-north');
    offline(bus, 'gate-south');
    const started = Date.now();
    await bus.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await metricValue(registry, 'alpr_events_dead_letter_total', { endpoint: 'mqtt' })).toBe(2);
    expect(deadLetters().map((l: { endpoint: string; reason: string }) => [l.endpoint, l.reason])).toEqual([
      ['mqtt', 'shutdown'],
      ['mqtt', 'shutdown'],
    ]);
    expect(logs.entries('MQTT broker connection failed').length).toBeGreaterThan(0);
    expect(logs.text()).not.toContain('pw-do-not-log');
  });

  it('answers a probe with the PUBACK, or with why the broker cannot be reached', async () => {
    const ok = setUp(MQTT_URL);
    const [result] = await ok.bus.probe();
    expect(result).toMatchObject({ endpoint: 'mqtt', ok: true, outcome: 'puback' });
    expect(result!.target).toBe(`${MQTT_URL} ${ok.prefix}/edge-01/events.test`);
    const down = setUp(`mqtt://127.0.0.1:${await freePort()}`, { connectTimeoutMs: 500 });
    const [failed] = await down.bus.probe();
    expect(failed).toMatchObject({ ok: false, outcome: 'network_ECONNREFUSED' });
  });
});
