// Events section: where plate-free operations events go (signed webhooks, an MQTT broker), how often one
// subject may speak, where undeliverable events are kept. The same section serves an edge and the hub;
// each process reads its own file. Secrets live in files named here, never in the config itself.
import path from 'node:path';
import { z } from 'zod';
import { EVENT_TYPES, type EventType } from '../events/event-catalog.js';
import { isLoopbackHost } from './hub.schema.js';

const MQTT_URL = /^mqtts?:\/\/[^/@\s]+(:\d+)?\/?$/;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const eventTypes = z
  .array(z.enum(EVENT_TYPES as [EventType, ...EventType[]]))
  .min(1)
  .optional()
  .describe('Event types sent here; unset: every type.');

const backoff = {
  backoffInitialMs: z
    .number()
    .int()
    .min(10)
    .max(3_600_000)
    .default(1000)
    .describe('First retry (or reconnect) waits this long; each next one twice as long, with ±20% jitter.'),
  backoffMaxMs: z
    .number()
    .int()
    .min(10)
    .max(3_600_000)
    .default(300_000)
    .describe('Longest wait between two attempts.'),
};

const queueSize = z
  .number()
  .int()
  .min(1)
  .max(100_000)
  .default(1000)
  .describe(
    'Events held in memory for this sink while it is slow or down; when full the oldest is dropped and counted.',
  );

const allowPlaintext = z
  .boolean()
  .default(false)
  .describe(
    'Allow an unencrypted URL (http://, mqtt://) to a host other than loopback; events are plate-free but readable on the wire.',
  );

const webhookSchema = z
  .strictObject({
    name: z
      .string()
      .regex(ID_PATTERN, 'must be 1-64 letters, digits, "_", "." or "-"')
      .describe('Names the endpoint in logs, metrics and dead letters (the URL is never logged).'),
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .describe('Receiver URL (POST).'),
    secretPath: z
      .string()
      .min(1)
      .describe(
        'File holding this endpoint’s signing secret (`whsec_` + base64 of 24-64 bytes, mode 0600); `alpr events secret FILE` makes one.',
      ),
    types: eventTypes,
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .max(120_000)
      .default(15_000)
      .describe('One attempt fails when the receiver has not answered within this time.'),
    retries: z
      .number()
      .int()
      .min(0)
      .max(30)
      .default(8)
      .describe(
        'Attempts after the first, on network errors, timeouts, 429 and 5xx; then the event is dead-lettered.',
      ),
    ...backoff,
    queueSize,
    allowPlaintext,
  })
  .describe('A receiver of signed webhooks (Standard Webhooks headers; docs/events.md).');

const mqttSchema = z
  .strictObject({
    url: z
      .string()
      .regex(MQTT_URL, 'must be mqtt://host[:port] or mqtts://host[:port], without credentials')
      .describe('Broker URL; credentials go in credentialsPath.'),
    topicPrefix: z
      .string()
      .regex(
        /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/,
        'topic levels of letters, digits, "_" or "-" (no wildcards)',
      )
      .default('alpr')
      .describe('Events are published on <topicPrefix>/<nodeId>/<eventType>.'),
    clientId: z
      .string()
      .regex(ID_PATTERN, 'must be 1-64 letters, digits, "_", "." or "-"')
      .optional()
      .describe('MQTT client id; unset: alpr-<nodeId>.'),
    credentialsPath: z
      .string()
      .min(1)
      .optional()
      .describe('File holding `username:password` for the broker (mode 0600); unset: connect anonymously.'),
    types: eventTypes,
    connectTimeoutMs: z
      .number()
      .int()
      .min(100)
      .max(120_000)
      .default(10_000)
      .describe('A connection attempt fails after this long.'),
    ...backoff,
    backoffMaxMs: backoff.backoffMaxMs.default(60_000),
    queueSize,
    allowPlaintext,
  })
  .describe('An MQTT broker events are published to (QoS 1).');

export const eventsSchema = z
  .strictObject({
    nodeId: z
      .string()
      .regex(ID_PATTERN, 'must be 1-64 letters, digits, "_", "." or "-"')
      .optional()
      .describe(
        'Who this process is in events and MQTT topics; unset: node.id on an edge, `hub` on the hub.',
      ),
    webhooks: z.array(webhookSchema).max(16).default([]).describe('Webhook receivers.'),
    mqtt: mqttSchema.optional(),
    rateLimit: z
      .strictObject({
        windowS: z
          .number()
          .int()
          .min(1)
          .max(86_400)
          .default(300)
          .describe(
            'Per subject (a camera’s state, a camera’s gate, forwarding, one hit): the window length.',
          ),
        maxPerWindow: z
          .number()
          .int()
          .min(1)
          .max(100)
          .default(2)
          .describe(
            'Events per subject and window (2: one offline/back pair); the rest are counted, the latest sent when the window ends.',
          ),
      })
      .prefault({})
      .describe('De-duplication and rate rule, so a flapping camera does not flood receivers.'),
    deadLetterPath: z
      .string()
      .min(1)
      .optional()
      .describe(
        'JSON-lines file of events no sink could deliver; unset: events-dead-letter.jsonl beside the store (edge) or in hub.dataDir (hub).',
      ),
    deadLetterMaxBytes: z
      .number()
      .int()
      .min(4096)
      .max(1024 ** 3)
      .default(16 * 1024 ** 2)
      .describe('The dead-letter file stops growing at this size (further dead letters are only counted).'),
    shutdownFlushMs: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(5000)
      .describe('At shutdown, sinks get this long to deliver what they hold; the rest is dead-lettered.'),
  })
  .superRefine((events, ctx) => {
    const seen = new Map<string, number>();
    events.webhooks.forEach((hook, index) => {
      const first = seen.get(hook.name);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['webhooks', index, 'name'],
          message: `duplicate webhook name "${hook.name}" (also webhooks[${first}])`,
        });
      } else seen.set(hook.name, index);
      let url: URL;
      try {
        url = new URL(hook.url);
      } catch {
        return; // already reported by the url check
      }
      if (url.username || url.password) {
        ctx.addIssue({
          code: 'custom',
          path: ['webhooks', index, 'url'],
          message: 'must not carry a user name or password; receivers verify the signature instead',
        });
      }
      if (
        url.protocol === 'http:' &&
        !hook.allowPlaintext &&
        !isLoopbackHost(url.hostname.replace(/^\[|\]$/g, ''))
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['webhooks', index, 'url'],
          message:
            'http:// to a host other than loopback sends events in clear text: use https:// or set allowPlaintext',
        });
      }
      checkBackoff(hook, ['webhooks', index], ctx);
    });
    const mqtt = events.mqtt;
    if (mqtt && MQTT_URL.test(mqtt.url)) {
      const host = mqtt.url
        .replace(/^mqtts?:\/\//, '')
        .replace(/(:\d+)?\/?$/, '')
        .replace(/^\[|\]$/g, '');
      if (mqtt.url.startsWith('mqtt://') && !mqtt.allowPlaintext && !isLoopbackHost(host)) {
        ctx.addIssue({
          code: 'custom',
          path: ['mqtt', 'url'],
          message:
            'mqtt:// to a host other than loopback sends events and the broker password in clear text: use mqtts:// or set allowPlaintext',
        });
      }
      checkBackoff(mqtt, ['mqtt'], ctx);
    }
  })
  .describe('Plate-free operations events: signed webhooks and MQTT (docs/events.md).');

function checkBackoff(
  sink: { backoffInitialMs: number; backoffMaxMs: number },
  at: Array<string | number>,
  ctx: z.RefinementCtx,
): void {
  if (sink.backoffInitialMs > sink.backoffMaxMs) {
    ctx.addIssue({
      code: 'custom',
      path: [...at, 'backoffInitialMs'],
      message: `must not exceed backoffMaxMs (${sink.backoffMaxMs})`,
    });
  }
}

export type EventsConfig = z.output<typeof eventsSchema>;
export type WebhookConfig = EventsConfig['webhooks'][number];
export type MqttConfig = NonNullable<EventsConfig['mqtt']>;

/**
 * The section with every file path made absolute against `baseDir` (the config file's directory).
 * @example resolveEventPaths(events, '/etc/alpr').webhooks[0].secretPath // '/etc/alpr/secrets/ops.whsec'
 */
export function resolveEventPaths(events: EventsConfig, baseDir: string): EventsConfig {
  const abs = (p: string) => path.resolve(baseDir, p);
  return {
    ...events,
    webhooks: events.webhooks.map((w) => ({ ...w, secretPath: abs(w.secretPath) })),
    mqtt: events.mqtt && {
      ...events.mqtt,
      ...(events.mqtt.credentialsPath ? { credentialsPath: abs(events.mqtt.credentialsPath) } : {}),
    },
    ...(events.deadLetterPath ? { deadLetterPath: abs(events.deadLetterPath) } : {}),
  };
}

/**
 * The section as `alpr config show` prints it: a webhook URL's query string (receivers often put a token
 * there) is replaced by `?***`; secrets are only ever file paths.
 * @example redactEventsConfig(events).webhooks[0].url // 'https://ops.example/hook?***'
 */
export function redactEventsConfig(events: EventsConfig): EventsConfig {
  return { ...events, webhooks: events.webhooks.map((w) => ({ ...w, url: redactQuery(w.url) })) };
}

/**
 * A URL fit for logs and command output: origin and path only.
 * @example redactQuery('https://h.example/x?token=abc') // 'https://h.example/x?***'
 */
export function redactQuery(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? '?***' : ''}`;
  } catch {
    return '***';
  }
}
