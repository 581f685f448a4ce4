// A real HTTP receiver (node:http) for webhook tests: records every request with its raw body and
// whether its Standard Webhooks signature verifies, and answers what the test tells it to.
import { chmodSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Registry } from 'prom-client';
import {
  newWebhookSecret,
  verifyWebhook,
  type WebhookVerification,
} from '../../shared/events/webhook-signature.js';

export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
  verification: WebhookVerification;
  at: number;
}

/** `status` to answer, or 'stall' to never answer. */
export type Answer = number | 'stall' | { status: number; headers: Record<string, string> };

export interface WebhookReceiver {
  url: string;
  secret: string;
  requests: ReceivedRequest[];
  /** Parsed bodies of the requests that verified and were answered 2xx. */
  accepted(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startReceiver(
  answer: (n: number) => Answer,
  secret = newWebhookSecret(),
): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const answers: Answer[] = [];
  const stalled: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({
        headers: req.headers,
        body,
        verification: verifyWebhook(secret, req.headers, body, Date.now()),
        at: Date.now(),
      });
      const a = answer(requests.length);
      answers.push(a);
      if (a === 'stall') {
        stalled.push(res);
        return;
      }
      const { status, headers } = typeof a === 'number' ? { status: a, headers: {} } : a;
      res.writeHead(status, headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alpr-events?token=do-not-log`,
    secret,
    requests,
    accepted: () =>
      requests
        .filter((r, i) => r.verification.ok && typeof answers[i] !== 'string' && statusOf(answers[i]!) < 300)
        .map((r) => JSON.parse(r.body) as Record<string, unknown>),
    async close() {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function statusOf(a: Answer): number {
  return typeof a === 'number' ? a : typeof a === 'string' ? 0 : a.status;
}

/** Write a secret file with mode 0600 in `dir`. */
export function writeSecretFile(dir: string, name: string, secret: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** The value of one series of a counter or gauge in `registry` (0 when absent). */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const match = values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return match?.value ?? 0;
}
