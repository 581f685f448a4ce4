// The real Mosquitto for MQTT tests: a subscriber that records what arrives, a unique topic prefix per
// test, and a TCP relay in front of the broker that a test can hold down (nothing listening) and bring up.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import mqtt from 'mqtt';
import { ALLOW_SKIP, portAnswers } from './services.js';

export const MQTT_HOST = '127.0.0.1';
export const MQTT_PORT = Number(process.env.ALPR_TEST_MQTT_PORT ?? 1883);
export const MQTT_URL = `mqtt://${MQTT_HOST}:${MQTT_PORT}`;

/** undefined when the broker answers; otherwise throws (CI) or returns why (ALPR_TEST_ALLOW_SKIP=1). */
export async function mqttSkipReason(): Promise<string | undefined> {
  if (await portAnswers(MQTT_HOST, MQTT_PORT)) return undefined;
  const reason = `no MQTT broker on ${MQTT_URL} (npm run test:setup starts Mosquitto)`;
  if (!ALLOW_SKIP) throw new Error(`${reason}; set ALPR_TEST_ALLOW_SKIP=1 to skip locally`);
  return reason;
}

export function uniquePrefix(): string {
  return `alpr-test-${randomBytes(6).toString('hex')}`;
}

export interface Subscriber {
  messages: Array<{ topic: string; payload: string; qos: number }>;
  close(): Promise<void>;
}

/** A second client, subscribed to `<prefix>/#` at QoS 1 before this resolves. */
export async function subscribe(prefix: string): Promise<Subscriber> {
  const client = await mqtt.connectAsync(MQTT_URL, { clientId: `sub-${prefix}`, reconnectPeriod: 0 });
  const messages: Subscriber['messages'] = [];
  client.on('message', (topic, payload, packet) =>
    messages.push({ topic, payload: payload.toString('utf8'), qos: packet.qos }),
  );
  await client.subscribeAsync(`${prefix}/#`, { qos: 1 });
  return { messages, close: () => client.endAsync(true) };
}

export interface Relay {
  port: number;
  /** Start listening (and relaying to the broker). */
  up(): Promise<void>;
  /** Stop listening and cut every relayed connection. */
  down(): Promise<void>;
}

/** A TCP relay to the broker on `port`, initially down (nothing listens on the port). */
export function brokerRelay(port: number): Relay {
  let server: net.Server | undefined;
  const sockets = new Set<net.Socket>();
  return {
    port,
    up: () =>
      new Promise((resolve, reject) => {
        server = net.createServer((client) => {
          const upstream = net.connect(MQTT_PORT, MQTT_HOST);
          for (const s of [client, upstream]) {
            sockets.add(s);
            s.on('close', () => sockets.delete(s));
            s.on('error', () => s.destroy());
          }
          client.pipe(upstream).pipe(client);
          client.on('close', () => upstream.destroy());
          upstream.on('close', () => client.destroy());
        });
        server.once('error', reject);
        server.listen(port, MQTT_HOST, () => resolve());
      }),
    down: async () => {
      for (const s of sockets) s.destroy();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
    },
  };
}
