// TEST ONLY: an `edge` authenticator that checks the request signature of docs/hub-protocol.md with its
// own code (string to sign, HMAC-SHA-256, 300 s window, constant-time compare), for the registry route's
// tests until the hub's real edge authenticator (enrolment, issue 11 ingest part) is merged.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { unauthorized } from '../../hub/http/http-errors.js';
import type { Authenticator } from '../../hub/http/hub-route.js';
import type { HubFeature } from '../../hub/hub-context.js';

export function testEdgeAuthenticator(
  secrets: Record<string, Buffer>,
  clock = () => Date.now(),
): Authenticator {
  return {
    kind: 'edge',
    async authenticate(request: FastifyRequest) {
      const h = (name: string) => {
        const v = request.headers[name];
        return typeof v === 'string' ? v : undefined;
      };
      const edgeId = h('x-alpr-edge');
      const timestamp = Number(h('x-alpr-timestamp'));
      const nonce = h('x-alpr-nonce');
      const signature = h('x-alpr-signature');
      if (!edgeId || !nonce || !signature || !Number.isSafeInteger(timestamp))
        throw unauthorized('missing signature headers');
      const secret = secrets[edgeId];
      if (!secret) throw unauthorized('unknown edge');
      if (Math.abs(clock() - timestamp) > 300_000) throw unauthorized('timestamp outside the window');
      const body = request.rawBody ?? Buffer.alloc(0);
      const text = `ALPR-HMAC-SHA256-v1\n${request.method}\n${request.url}\n${edgeId}\n${timestamp}\n${nonce}\n${createHash('sha256').update(body).digest('hex')}`;
      const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(text).digest('hex')}`);
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw unauthorized('bad signature');
      return { kind: 'edge', edgeId, agencyId: 1 };
    },
  };
}

/** A hub feature providing only that authenticator, for startHub({ features }) in tests. */
export function testEdgeAuthFeature(secrets: Record<string, Buffer>, clock?: () => number): HubFeature {
  return { name: 'test-edge-auth', authenticators: () => [testEdgeAuthenticator(secrets, clock)] };
}
