import { describe, expect, it } from 'vitest';
import {
  newWebhookSecret,
  signWebhook,
  verifyWebhook,
  WebhookSecretError,
  webhookHeaders,
  webhookKey,
} from '../../../shared/events/webhook-signature.js';

// The published Standard Webhooks vector (the specification's reference libraries test against it).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const at = VECTOR.timestamp * 1000;
const headers = {
  'webhook-id': VECTOR.id,
  'webhook-timestamp': String(VECTOR.timestamp),
  'webhook-signature': VECTOR.signature,
};

describe('Standard Webhooks signatures', () => {
  it('reproduces the specification’s published vector', () => {
    expect(signWebhook(webhookKey(VECTOR.secret), VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(
      VECTOR.signature,
    );
    expect(webhookHeaders(webhookKey(VECTOR.secret), VECTOR.id, at + 999, VECTOR.body)).toEqual(headers);
  });

  it('verifies the vector, and a signature list where one of several matches (secret rotation)', () => {
    expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, at)).toEqual({ ok: true });
    const list = { ...headers, 'webhook-signature': `v1,bm9wZQ== v1a,xyz ${VECTOR.signature}` };
    expect(verifyWebhook(VECTOR.secret, list, VECTOR.body, at)).toEqual({ ok: true });
  });

  it('rejects a changed body, id, timestamp, secret or a truncated signature', () => {
    expect(verifyWebhook(VECTOR.secret, headers, '{"test":2432232314}', at)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyWebhook(VECTOR.secret, { ...headers, 'webhook-id': 'msg_other' }, VECTOR.body, at).ok).toBe(
      false,
    );
    const later = { ...headers, 'webhook-timestamp': String(VECTOR.timestamp + 1) };
    expect(verifyWebhook(VECTOR.secret, later, VECTOR.body, at)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyWebhook(newWebhookSecret(), headers, VECTOR.body, at)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const cut = { ...headers, 'webhook-signature': VECTOR.signature.slice(0, 10) };
    expect(verifyWebhook(VECTOR.secret, cut, VECTOR.body, at)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('rejects replays outside the tolerance, and missing or malformed headers', () => {
    expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, at + 301_000)).toEqual({
      ok: false,
      reason: 'too_old',
    });
    expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, at - 301_000)).toEqual({
      ok: false,
      reason: 'too_new',
    });
    expect(verifyWebhook(VECTOR.secret, { ...headers, 'webhook-id': undefined }, VECTOR.body, at)).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    expect(
      verifyWebhook(VECTOR.secret, { ...headers, 'webhook-timestamp': 'soon' }, VECTOR.body, at),
    ).toEqual({
      ok: false,
      reason: 'bad_timestamp',
    });
  });

  it('reads whsec_ secrets of 24-64 bytes and refuses others without echoing them', () => {
    expect(webhookKey(`${newWebhookSecret()}\n`)).toHaveLength(32);
    for (const bad of [
      'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'whsec_c2hvcnQ=',
      'whsec_not base64!',
      `whsec_${'A'.repeat(100)}`,
    ]) {
      try {
        webhookKey(bad);
        expect.unreachable(bad);
      } catch (error) {
        expect(error).toBeInstanceOf(WebhookSecretError);
        expect((error as Error).message).not.toContain(bad.slice(6, 14));
      }
    }
  });

  it('refuses to sign an id containing "." (it would make the signed string ambiguous)', () => {
    expect(() => signWebhook(webhookKey(VECTOR.secret), 'a.b', 1, '')).toThrow(TypeError);
  });
});
