// Webhook signatures as the Standard Webhooks specification defines them, so any receiver library for
// that spec verifies ours: HMAC-SHA-256 under the endpoint's secret (`whsec_` + base64 of 24-64 random
// bytes) over `<webhook-id>.<webhook-timestamp>.<body>`, sent as `webhook-signature: v1,<base64>`.
// verifyWebhook() is what a receiver runs (and what our tests run): constant-time compare, timestamp
// tolerance against replays, several signatures allowed (secret rotation).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

export class WebhookSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSecretError';
  }
}

/**
 * The key bytes of a `whsec_…` secret; throws WebhookSecretError (without echoing the secret) when it
 * is not one.
 * @example webhookKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').length // 24
 */
export function webhookKey(secret: string): Buffer {
  const text = secret.trim();
  if (!text.startsWith(WEBHOOK_SECRET_PREFIX)) {
    throw new WebhookSecretError(`a webhook secret starts with "${WEBHOOK_SECRET_PREFIX}"`);
  }
  const b64 = text.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) {
    throw new WebhookSecretError(`a webhook secret is "${WEBHOOK_SECRET_PREFIX}" followed by base64`);
  }
  const key = Buffer.from(b64, 'base64');
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    throw new WebhookSecretError(
      `a webhook secret holds ${MIN_SECRET_BYTES}-${MAX_SECRET_BYTES} bytes (this one ${key.length})`,
    );
  }
  return key;
}

/**
 * A new random secret (32 bytes) in the `whsec_` form, for `alpr events secret`.
 * @example newWebhookSecret() // 'whsec_3q2+7w…'
 */
export function newWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/**
 * The `webhook-signature` value for one attempt: `v1,` + base64 HMAC-SHA-256 of `id.timestamp.body`.
 * @example signWebhook(webhookKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'), 'msg_p5jXN8AQM9LWM0D4loKWxJek',
 *   1614265330, '{"test": 2432232314}') // 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
 */
export function signWebhook(key: Buffer, id: string, timestampS: number, body: string): string {
  if (id.includes('.') || !Number.isInteger(timestampS)) {
    throw new TypeError('webhook id must not contain "." and the timestamp must be whole seconds');
  }
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampS}.${body}`).digest('base64')}`;
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The three Standard Webhooks headers for one delivery attempt at `nowMs` (a retry is signed afresh
 * with its own timestamp; the id stays the event's).
 * @example webhookHeaders(key, event.id, Date.now(), body)['webhook-signature'] // 'v1,…'
 */
export function webhookHeaders(key: Buffer, id: string, nowMs: number, body: string): WebhookHeaders {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(key, id, timestamp, body),
  };
}

export type WebhookVerification =
  | { ok: true }
  | { ok: false; reason: 'missing_headers' | 'bad_timestamp' | 'too_old' | 'too_new' | 'bad_signature' };

/**
 * What a receiver checks: the headers are there, the timestamp is within `toleranceS` of `nowMs`, and one
 * of the `v1` signatures matches the raw body (compared in constant time). Pass the body exactly as received.
 * @example verifyWebhook('whsec_…', headers, rawBody, Date.now()) // { ok: true }
 */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowMs: number,
  toleranceS = 300,
): WebhookVerification {
  const header = (name: string) => {
    const v = headers[name] ?? headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
  const id = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const ts = Number(timestamp);
  const nowS = Math.floor(nowMs / 1000);
  if (ts < nowS - toleranceS) return { ok: false, reason: 'too_old' };
  if (ts > nowS + toleranceS) return { ok: false, reason: 'too_new' };
  if (id.includes('.')) return { ok: false, reason: 'bad_signature' };
  const expected = Buffer.from(signWebhook(webhookKey(secret), id, ts, body).slice(3), 'base64');
  for (const candidate of signatures.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: 'bad_signature' };
}
