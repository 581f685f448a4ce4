// Publishes events to an MQTT broker at QoS 1 on <topicPrefix>/<nodeId>/<eventType>, one at a time in
// publish order. While the broker is unreachable, events wait in a bounded queue (oldest dropped and
// counted) and the client reconnects with capped, jittered back-off; a publish cut off by a dropped
// connection is resent by the client on reconnect (at-least-once, as QoS 1 promises). The broker
// password comes from a file and is never logged.
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../../logging/logger.js';
import type { Clock } from '../../runtime/clock.js';
import { type RetryPolicy, retryDelay } from '../delivery-policy.js';
import type { AlprEvent, EventType } from '../event-catalog.js';
import { BoundedQueue } from './bounded-queue.js';
import type { DeadLetterFile } from './dead-letter-file.js';
import type { EventMetrics } from './event-metrics.js';
import type { EventSink, ProbeResult } from './event-sink.js';

export interface MqttSinkOptions {
  url: string;
  topicPrefix: string;
  nodeId: string;
  clientId: string;
  credentials?: { username: string; password: string };
  types?: readonly EventType[];
  connectTimeoutMs: number;
  /** Reconnect back-off (`retries` is unused: the client reconnects for as long as it runs). */
  reconnect: Omit<RetryPolicy, 'retries'>;
  queueSize: number;
  deadLetters: DeadLetterFile;
  metrics: EventMetrics;
  clock: Clock;
  logger: Logger;
  random?: () => number;
}

interface Item {
  event: AlprEvent;
  body: string;
}

export const MQTT_ENDPOINT = 'mqtt';

/**
 * The topic of an event: `<prefix>/<nodeId>/<eventType>`.
 * @example mqttTopic('alpr', 'edge-01', 'camera.offline') // 'alpr/edge-01/camera.offline'
 */
export function mqttTopic(prefix: string, nodeId: string, type: EventType): string {
  return `${prefix}/${nodeId}/${type}`;
}

export class MqttSink implements EventSink {
  readonly name = MQTT_ENDPOINT;
  private readonly queue: BoundedQueue<Item>;
  private readonly types: ReadonlySet<EventType> | undefined;
  private readonly log: Logger;
  private client: MqttClient | undefined;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;
  private warnedDrop = false;
  private lastError: string | undefined;

  constructor(private readonly options: MqttSinkOptions) {
    this.queue = new BoundedQueue(options.queueSize);
    this.types = options.types && new Set(options.types);
    this.log = options.logger.child({ component: 'events', endpoint: this.name });
  }

  accepts(type: EventType): boolean {
    return !this.types || this.types.has(type);
  }

  depth(): number {
    return this.queue.size;
  }

  up(): boolean {
    return this.client?.connected ?? false;
  }

  start(): void {
    if (this.client) return;
    const { url, clientId, credentials, connectTimeoutMs } = this.options;
    const client = mqtt.connect(url, {
      clientId,
      username: credentials?.username,
      password: credentials?.password,
      connectTimeout: connectTimeoutMs,
      // Reconnects are ours (capped, jittered back-off), not the client's fixed period.
      reconnectPeriod: 0,
      clean: true,
      protocolVersion: 4,
      queueQoSZero: false,
    });
    this.client = client;
    client.on('connect', () => {
      if (this.failures > 0)
        this.log.info({ afterAttempts: this.failures }, 'connected to the MQTT broker again');
      else this.log.info('connected to the MQTT broker');
      this.failures = 0;
      this.lastError = undefined;
      this.wake?.();
    });
    client.on('error', (error) => {
      const reason = errorReason(error);
      // One warning per kind of failure; repeats while reconnecting go to debug.
      if (reason !== this.lastError) this.log.warn({ reason }, 'MQTT broker connection failed');
      else this.log.debug({ reason }, 'MQTT broker connection failed again');
      this.lastError = reason;
    });
    client.on('close', () => this.scheduleReconnect());
    this.running = this.loop();
  }

  enqueue(event: AlprEvent, body: string): void {
    if (this.closed) {
      this.deadLetter([{ event, body }], 'shutdown');
      return;
    }
    const dropped = this.queue.push({ event, body });
    if (dropped) {
      this.options.metrics.dropped.inc({ endpoint: this.name });
      if (!this.warnedDrop) {
        this.log.warn({ queueSize: this.options.queueSize }, 'MQTT queue full; dropping the oldest events');
        this.warnedDrop = true;
      }
    }
    this.wake?.();
  }

  async probe(event: AlprEvent, body: string): Promise<ProbeResult> {
    const started = performance.now();
    const topic = mqttTopic(this.options.topicPrefix, this.options.nodeId, event.type);
    const result = (ok: boolean, outcome: string): ProbeResult => ({
      endpoint: this.name,
      target: `${this.options.url} ${topic}`,
      ok,
      outcome,
      ms: Math.round(performance.now() - started),
    });
    this.start();
    const client = this.client!;
    // The first answer counts: connected, or the first connection error (an operator wants it now).
    const deadline = this.options.clock() + this.options.connectTimeoutMs;
    await this.until(() => client.connected || this.lastError !== undefined, deadline);
    if (!client.connected) return result(false, this.lastError ?? 'timeout');
    try {
      await withTimeout(client.publishAsync(topic, body, { qos: 1 }), this.options.connectTimeoutMs);
      return result(true, 'puback');
    } catch (error) {
      return result(false, errorReason(error));
    }
  }

  close(deadline: number): Promise<void> {
    this.closing ??= this.closeOnce(deadline);
    return this.closing;
  }

  private async closeOnce(deadline: number): Promise<void> {
    this.closed = true;
    const timer = setTimeout(() => this.abort.abort(), Math.max(0, deadline - this.options.clock()));
    this.wake?.();
    try {
      await (this.running ?? Promise.resolve());
    } finally {
      clearTimeout(timer);
      clearTimeout(this.reconnectTimer);
    }
    this.deadLetter(this.queue.drain(), 'shutdown');
    await this.client?.endAsync(true).catch(() => undefined);
  }

  private async loop(): Promise<void> {
    const client = this.client!;
    for (;;) {
      if (this.abort.signal.aborted) return;
      const item = this.queue.shift();
      if (!item) {
        if (this.closed) return;
        await this.waitForWork();
        continue;
      }
      if (!client.connected) {
        this.queue.unshift(item);
        if (this.closed && this.abort.signal.aborted) return;
        await this.waitForWork();
        continue;
      }
      const topic = mqttTopic(this.options.topicPrefix, this.options.nodeId, item.event.type);
      // Resolves on PUBACK; across a dropped connection the client resends it after reconnecting.
      const published = client.publishAsync(topic, item.body, { qos: 1 }).then(
        () => 'ok' as const,
        (error: unknown) => error as Error,
      );
      const outcome = await Promise.race([published, this.aborted()]);
      if (outcome === 'ok') {
        this.options.metrics.sent.inc({ endpoint: this.name });
      } else if (outcome === 'aborted') {
        this.deadLetter([item], 'shutdown');
        return;
      } else {
        this.options.metrics.attemptsFailed.inc({ endpoint: this.name });
        this.log.debug(
          { reason: errorReason(outcome), eventId: item.event.id },
          'MQTT publish failed; will retry',
        );
        this.queue.unshift(item);
        await this.waitForWork();
      }
    }
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer !== undefined) return;
    this.failures += 1;
    const delay = retryDelay(
      this.failures,
      { ...this.options.reconnect, retries: 0 },
      this.options.random ?? Math.random,
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.closed && this.client && !this.client.connected) this.client.reconnect();
    }, delay);
  }

  private waitForWork(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.abort.signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      this.abort.signal.addEventListener('abort', done, { once: true });
    });
  }

  private aborted(): Promise<'aborted'> {
    return new Promise((resolve) => {
      if (this.abort.signal.aborted) resolve('aborted');
      else this.abort.signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
  }

  private async until(condition: () => boolean, deadline: number): Promise<boolean> {
    while (!condition()) {
      if (this.options.clock() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }

  private deadLetter(items: Item[], reason: string): void {
    if (items.length === 0) return;
    const at = new Date(this.options.clock()).toISOString();
    for (const { event } of items) {
      this.options.metrics.deadLetter.inc({ endpoint: this.name });
      this.options.deadLetters.append({ at, endpoint: this.name, reason, attempts: 0, event });
    }
    this.log.warn({ reason, events: items.length }, 'MQTT events dead-lettered');
  }
}

function errorReason(error: unknown): string {
  const e = error as { code?: string | number; name?: string };
  if (typeof e?.code === 'string') return `network_${e.code.replace(/[^A-Za-z0-9_]/g, '')}`;
  if (typeof e?.code === 'number') return `connack_${e.code}`;
  return (e?.name ?? 'error').replace(/[^A-Za-z0-9_]/g, '');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { name: 'timeout' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
