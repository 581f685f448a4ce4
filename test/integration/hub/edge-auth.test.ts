// The edge authenticator on both engines: only a request signed by an enrolled, enabled edge over the
// exact path and body, inside the 300 s window, with a nonce never seen before gets through. Every other
// request is a 401 with its reason, counted, and leaves nothing stored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disableEnrolledEdge, rotateEdgeSecret } from '../../../hub/edges/edge-enrolment.service.js';
import { buildHubServer } from '../../../hub/http/hub-server.js';
import { edgeAuthenticator, pruneNonces } from '../../../hub/ingest/edge-authenticator.js';
import { parseEdgeSecret, signRequest } from '../../../shared/forward/request-signature.js';
import { INGEST_PATHS } from '../../../shared/forward/wire.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import {
  edgePost,
  enrolTestEdge,
  metricValue,
  openTestHub,
  type TestHub,
  wireCamera,
  wireRead,
  wireVerdict,
} from '../../support/hub-ingest.js';

const CAMERAS = { cameras: [wireCamera()], verdicts: [wireVerdict()] };

describe.each(HUB_ENGINES)('edge authentication on %s', (engine) => {
  let hub: TestHub;
  let secret: string;
  let other: string;
  beforeEach(async () => {
    hub = await openTestHub(engine);
    secret = await enrolTestEdge(hub, 'edge-01');
    other = await enrolTestEdge(hub, 'edge-02');
  });
  afterEach(() => hub.close());

  const stored = async () => ({
    cameras: (await hub.ctx.db.query('SELECT 1 FROM cameras')).length,
    nonces: (await hub.ctx.db.query('SELECT 1 FROM edge_nonces')).length,
  });

  async function expectRefused(res: Awaited<ReturnType<typeof edgePost>>, reason: string, message: RegExp) {
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({
      error: 'unauthorized',
      reason,
      message: expect.stringMatching(message),
    });
    expect(await metricValue(hub, 'alpr_hub_auth_failures_total', { reason })).toBe(1);
    expect(await stored()).toEqual({ cameras: 0, nonces: 0 });
    expect(res.body).not.toContain(secret);
  }

  it('lets a correctly signed request through and records its nonce', async () => {
    const res = await edgePost(hub, INGEST_PATHS.cameras, CAMERAS, { edgeId: 'edge-01', secret });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ verdictCursor: 1 });
    expect(await stored()).toEqual({ cameras: 1, nonces: 1 });
  });

  it('refuses a request without the edge headers', async () => {
    const res = await hub.app.inject({
      method: 'POST',
      url: INGEST_PATHS.cameras,
      payload: CAMERAS,
    });
    await expectRefused(
      res,
      'missing_header',
      /missing x-alpr-edge, x-alpr-timestamp, x-alpr-nonce, x-alpr-signature/,
    );
  });

  it('refuses a malformed signature header', async () => {
    const res = await edgePost(hub, INGEST_PATHS.cameras, CAMERAS, {
      edgeId: 'edge-01',
      secret,
      headers: { 'x-alpr-signature': 'sha1=abc' },
    });
    await expectRefused(res, 'malformed_header', /x-alpr-signature must be v1=/);
  });

  it('refuses an edge the hub never enrolled', async () => {
    const res = await edgePost(hub, INGEST_PATHS.cameras, CAMERAS, { edgeId: 'edge-99', secret });
    await expectRefused(res, 'unknown_edge', /edge-99 is not enrolled/);
  });

  it('refuses the wrong key', async () => {
    const res = await edgePost(hub, INGEST_PATHS.cameras, CAMERAS, { edgeId: 'edge-01', secret: other });
    await expectRefused(res, 'bad_signature', /does not match/);
  });

  it('refuses a body signed for another edge (its signature presented under this edge’s id)', async () => {
    const bytes = JSON.stringify(CAMERAS);
    const signedForOther = signRequest(parseEdgeSecret(other), {
      method: 'POST',
      path: INGEST_PATHS.cameras,
      edgeId: 'edge-02',
      timestamp: hub.clock(),
      body: Buffer.from(bytes),
    });
    const res = await hub.app.inject({
      method: 'POST',
      url: INGEST_PATHS.cameras,
      payload: bytes,
      headers: { 'content-type': 'application/json', ...signedForOther, 'x-alpr-edge': 'edge-01' },
    });
    await expectRefused(res, 'bad_signature', /does not match/);
  });

  it('refuses a body changed after signing', async () => {
    const res = await edgePost(hub, INGEST_PATHS.cameras, CAMERAS, {
      edgeId: 'edge-01',
      secret,
      signedBody: JSON.stringify({ cameras: [], verdicts: [] }),
    });
    await expectRefused(res, 'bad_signature', /path and body/);
  });

  it('refuses a replayed request, even within the window', async () => {
    const nonce = '0123456789abcdef0123456789abcdef';
    const first = await edgePost(hub, INGEST_PATHS.cameras, CAMERAS, { edgeId: 'edge-01', secret, nonce });
    expect(first.statusCode).toBe(200);
    const again = await edgePost(hub, INGEST_PATHS.cameras, CAMERAS, { edgeId: 'edge-01', secret, nonce });
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ reason: 'replay', message: expect.stringMatching(/already used/) });
    // Reads take the one-statement path: a replay there is refused too, and writes nothing.
    const readsNonce = '11112222333344445555666677778888';
    const reads = { reads: [wireRead({ capturedAt: hub.clock() - 1000 })] };
    expect(
      (await edgePost(hub, INGEST_PATHS.reads, reads, { edgeId: 'edge-01', secret, nonce: readsNonce }))
        .statusCode,
    ).toBe(200);
    const replayedReads = await edgePost(hub, INGEST_PATHS.reads, reads, {
      edgeId: 'edge-01',
      secret,
      nonce: readsNonce,
    });
    expect(replayedReads.json()).toMatchObject({ reason: 'replay' });
    const [fwd] = await hub.ctx.db.query<{ reads_accepted: number; reads_duplicate: number }>(
      'SELECT reads_accepted, reads_duplicate FROM edge_forwarding WHERE edge_id = $1',
      ['edge-01'],
    );
    expect(fwd).toEqual({ reads_accepted: 1, reads_duplicate: 0 });
    expect(await metricValue(hub, 'alpr_hub_auth_failures_total', { reason: 'replay' })).toBe(2);
    // The same nonce from another edge is that edge's business.
    const otherEdge = await edgePost(hub, INGEST_PATHS.cameras, CAMERAS, {
      edgeId: 'edge-02',
      secret: other,
      nonce,
    });
    expect(otherEdge.statusCode).toBe(200);
  });

  it.each([
    ['behind', -301_000],
    ['ahead of', 301_000],
  ])('refuses a timestamp more than 300 s %s the hub clock', async (word, offset) => {
    const res = await edgePost(hub, INGEST_PATHS.cameras, CAMERAS, {
      edgeId: 'edge-01',
      secret,
      timestamp: hub.clock() + offset,
    });
    await expectRefused(res, 'clock_skew', new RegExp(`301 s ${word} the hub clock`));
  });

  it('accepts a timestamp 299 s off, and forgets nonces only once they cannot be replayed', async () => {
    const nonce = 'abcdefabcdefabcdefabcdefabcdefab';
    const res = await edgePost(hub, INGEST_PATHS.cameras, CAMERAS, {
      edgeId: 'edge-01',
      secret,
      nonce,
      timestamp: hub.clock() - 299_000,
    });
    expect(res.statusCode).toBe(200);
    hub.clock.advance(600_000);
    expect(await pruneNonces(hub.ctx.db, hub.clock())).toBe(0);
    hub.clock.advance(301_000);
    expect(await pruneNonces(hub.ctx.db, hub.clock())).toBe(1);
  });

  it('refuses a disabled edge, and the old secret once it was rotated', async () => {
    const rotated = await rotateEdgeSecret(hub.ctx, 'edge-01', 'test');
    const old = await edgePost(hub, INGEST_PATHS.cameras, CAMERAS, { edgeId: 'edge-01', secret });
    expect(old.json()).toMatchObject({ reason: 'bad_signature' });
    const fresh = await edgePost(hub, INGEST_PATHS.cameras, CAMERAS, {
      edgeId: 'edge-01',
      secret: rotated.secret,
    });
    expect(fresh.statusCode).toBe(200);
    await disableEnrolledEdge(hub.ctx, 'edge-01', 'test', 'box stolen');
    const disabled = await edgePost(hub, INGEST_PATHS.cameras, CAMERAS, {
      edgeId: 'edge-01',
      secret: rotated.secret,
    });
    expect(disabled.statusCode).toBe(401);
    expect(disabled.json()).toMatchObject({ reason: 'disabled_edge' });
  });

  it('records the nonce before the handler on edge routes that do not claim it themselves (e.g. GET)', async () => {
    let nonces = -1;
    const app = await buildHubServer({
      routes: [
        {
          method: 'GET',
          url: '/api/v1/probe',
          auth: { kind: 'edge' },
          summary: 'probe',
          handler: async () => {
            nonces = (await hub.ctx.db.query('SELECT 1 FROM edge_nonces')).length;
            return { ok: true };
          },
        },
      ],
      authenticators: [edgeAuthenticator(hub.ctx)],
      logger: hub.ctx.logger,
      version: 'test',
      bodyLimitBytes: 1024,
    });
    const headers = signRequest(parseEdgeSecret(secret), {
      method: 'GET',
      path: '/api/v1/probe',
      edgeId: 'edge-01',
      timestamp: hub.clock(),
      body: Buffer.alloc(0),
    });
    expect((await app.inject({ method: 'GET', url: '/api/v1/probe', headers })).statusCode).toBe(200);
    expect(nonces).toBe(1);
    const again = await app.inject({ method: 'GET', url: '/api/v1/probe', headers });
    expect(again.json()).toMatchObject({ reason: 'replay' });
    await app.close();
  });
});
