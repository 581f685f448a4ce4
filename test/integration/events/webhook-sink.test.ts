import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type EventsConfig, eventsSchema } from '../../../shared/config/events.schema.js';
import type { EventBus } from '../../../shared/events/event-bus.js';
import { createEventBus } from '../../../shared/events/events-from-config.js';
import { systemClock } from '../../../shared/runtime/clock.js';
import { eventually } from '../../support/eventually.js';
import { captureLogs } from '../../support/log-capture.js';
import { tempDir } from '../../support/temp-dir.js';
import { type Answer, metricValue, startReceiver, writeSecretFile } from '../../support/webhook-receiver.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setUp(
  answer: (n: number) => Answer,
  hook: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  const dir = tempDir('alpr-webhook-');
  const receiver = await startReceiver(answer);
  open.push(receiver);
  const events: EventsConfig = eventsSchema.parse({
    webhooks: [
      {
        name: 'ops',
        url: receiver.url,
        secretPath: writeSecretFile(dir, 'ops.whsec', receiver.secret),
        timeoutMs: 2000,
        retries: 3,
        backoffInitialMs: 20,
        backoffMaxMs: 100,
        ...hook,
      },
    ],
    deadLetterPath: path.join(dir, 'dead.jsonl'),
    shutdownFlushMs: 500,
    ...extra,
  });
  const registry = new Registry();
  const logs = captureLogs();
  const bus = createEventBus(events, {
    kind: 'edge',
    defaultNodeId: 'edge-01',
    defaultDir: dir,
    registry,
    clock: systemClock,
    logger: logs.logger,
    declared: { camera: ['gate-north', 'gate-south'] },
  });
  bus.start();
  open.push({ close: () => bus.close() });
  return { dir, receiver, registry, bus, logs, deadLetters: () => readLines(path.join(dir, 'dead.jsonl')) };
}

function readLines(file: string): Array<Record<string, unknown>> {
  try {
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

const offline = (bus: EventBus, cameraId = 'gate-north') =>
  bus.publish('camera.offline', { cameraId, reason: 'unreachable', downForS: 30, lastFrameAt: null });

describe('webhook sink (a real HTTP receiver checks every signature)', () => {
  it('retries 503s with back-off, then delivers: same webhook-id, a fresh valid signature per attempt', async () => {
    const { receiver, registry, bus, deadLetters } = await setUp((n) => (n <= 2 ? 503 : 204));
    expect(offline(bus)).toBe('queued');
    await eventually('three attempts', () => receiver.requests.length === 3, { timeoutMs: 10_000 });
    await eventually(
      'alpr_events_sent_total = 1',
      async () => (await metricValue(registry, 'alpr_events_sent_total', { endpoint: 'ops' })) === 1,
    );
    expect(receiver.requests.map((r) => r.verification)).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    const ids = new Set(receiver.requests.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    expect(receiver.requests[0]!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(receiver.requests[0]!.headers['content-type']).toBe('application/json');
    const [event] = receiver.accepted();
    expect(event).toMatchObject({
      id: [...ids][0],
      type: 'camera.offline',
      source: { kind: 'edge', nodeId: 'edge-01' },
      data: { cameraId: 'gate-north', reason: 'unreachable', downForS: 30, lastFrameAt: null },
    });
    expect(await metricValue(registry, 'alpr_events_attempts_failed_total', { endpoint: 'ops' })).toBe(2);
    expect(await metricValue(registry, 'alpr_events_dead_letter_total', { endpoint: 'ops' })).toBe(0);
    expect(deadLetters()).toEqual([]);
  });

  it('dead-letters an event after the last attempt against a receiver that always fails', async () => {
    const { dir, receiver, registry, bus, deadLetters, logs } = await setUp(() => 500, { retries: 2 });
    offline(bus);
    await eventually(
      'alpr_events_dead_letter_total = 1',
      async () => (await metricValue(registry, 'alpr_events_dead_letter_total', { endpoint: 'ops' })) === 1,
    );
    expect(receiver.requests).toHaveLength(3);
    const [letter] = deadLetters();
    expect(letter).toMatchObject({
      endpoint: 'ops',
      reason: 'http_500',
      attempts: 3,
      event: { type: 'camera.offline' },
    });
    expect(statSync(path.join(dir, 'dead.jsonl')).mode & 0o777).toBe(0o600);
    // Logs name the endpoint, never its URL (whose query holds a token) or the secret.
    expect(logs.text()).not.toContain('do-not-log');
    expect(logs.text()).not.toContain(receiver.secret.slice(6));
    expect(logs.entries('webhook delivery failed')).toHaveLength(1);
  });

  it('does not retry a 4xx other than 429', async () => {
    const { receiver, registry, bus, deadLetters } = await setUp(() => 410);
    offline(bus);
    await eventually(
      'alpr_events_dead_letter_total = 1',
      async () => (await metricValue(registry, 'alpr_events_dead_letter_total', { endpoint: 'ops' })) === 1,
    );
    expect(receiver.requests).toHaveLength(1);
    expect(deadLetters()[0]).toMatchObject({ reason: 'http_410', attempts: 1 });
  });

  it('retries a 429 after the Retry-After the receiver asks for', async () => {
    const { receiver, bus } = await setUp(
      (n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : 200),
      {
        backoffMaxMs: 5000,
      },
    );
    offline(bus);
    await eventually('receiver.requests.length === 2', () => receiver.requests.length === 2, {
      timeoutMs: 10_000,
    });
    expect(receiver.requests[1]!.at - receiver.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('times out a stalled receiver, retries, and dead-letters with reason timeout', async () => {
    const { receiver, registry, bus, deadLetters } = await setUp(() => 'stall', {
      timeoutMs: 200,
      retries: 1,
    });
    offline(bus);
    await eventually(
      'alpr_events_dead_letter_total = 1',
      async () => (await metricValue(registry, 'alpr_events_dead_letter_total', { endpoint: 'ops' })) === 1,
    );
    expect(receiver.requests).toHaveLength(2);
    expect(deadLetters()[0]).toMatchObject({ reason: 'timeout', attempts: 2 });
  });

  it('retries when nothing listens, and does not follow redirects with a signed body', async () => {
    const closed = await startReceiver(() => 204);
    const url = closed.url;
    await closed.close();
    const { registry, bus, deadLetters } = await setUp(() => 204, { url, retries: 1 });
    offline(bus);
    await eventually(
      'alpr_events_dead_letter_total = 1',
      async () => (await metricValue(registry, 'alpr_events_dead_letter_total', { endpoint: 'ops' })) === 1,
    );
    expect(deadLetters()[0]).toMatchObject({ reason: 'network_ECONNREFUSED', attempts: 2 });

    const redirect = await setUp(() => ({ status: 307, headers: { location: 'http://127.0.0.1:9/' } }));
    offline(redirect.bus);
    await eventually(
      'alpr_events_dead_letter_total = 1',
      async () =>
        (await metricValue(redirect.registry, 'alpr_events_dead_letter_total', { endpoint: 'ops' })) === 1,
    );
    expect(redirect.receiver.requests).toHaveLength(1);
    expect(redirect.deadLetters()[0]).toMatchObject({ reason: 'http_307' });
  });

  it('delivers in publish order, holds a bounded queue and drops (and counts) the oldest when full', async () => {
    const { receiver, registry, bus } = await setUp(() => 204, { queueSize: 2 });
    offline(bus, 'gate-north');
    await eventually('receiver.requests.length === 1', () => receiver.requests.length === 1);
    // Published in one tick: the queue of 2 overflows before the sink can take the next event.
    bus.publish('camera.back', { cameraId: 'gate-north', offlineForS: 1 });
    bus.publish('camera.back', { cameraId: 'gate-south', offlineForS: 1 });
    offline(bus, 'gate-south');
    bus.publish('gate.refusing', { cameraId: 'gate-south', reason: 'stale', previous: 'storing' });
    await eventually(
      'alpr_events_sent_total = 3',
      async () => (await metricValue(registry, 'alpr_events_sent_total', { endpoint: 'ops' })) === 3,
    );
    expect(await metricValue(registry, 'alpr_events_dropped_total', { endpoint: 'ops' })).toBe(2);
    expect(receiver.accepted().map((e) => e.type)).toEqual([
      'camera.offline',
      'camera.offline',
      'gate.refusing',
    ]);
  });

  it('sends only the types an endpoint asked for', async () => {
    const { receiver, registry, bus } = await setUp(() => 204, { types: ['gate.refusing'] });
    offline(bus);
    bus.publish('gate.refusing', { cameraId: 'gate-north', reason: 'non_compliant', previous: 'storing' });
    await eventually(
      'alpr_events_sent_total = 1',
      async () => (await metricValue(registry, 'alpr_events_sent_total', { endpoint: 'ops' })) === 1,
    );
    expect(receiver.accepted().map((e) => e.type)).toEqual(['gate.refusing']);
  });

  it('shuts down within the flush bound, dead-lettering what a stalled receiver did not take', async () => {
    const { registry, bus, deadLetters } = await setUp(
      () => 'stall',
      { timeoutMs: 60_000 },
      { shutdownFlushMs: 300 },
    );
    offline(bus, 'gate-north');
    offline(bus, 'gate-south');
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await bus.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await metricValue(registry, 'alpr_events_dead_letter_total', { endpoint: 'ops' })).toBe(2);
    expect(deadLetters().map((l) => l.reason)).toEqual(['shutdown', 'shutdown']);
    await bus.close(); // twice is safe
  });
});
