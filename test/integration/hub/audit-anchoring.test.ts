// The audit side of ingest on both engines: an edge's signed heads (its key pinned on first use and
// audited; another key, a fork or a head going back refused with 409 and audited), the hub's own head
// signed into its anchor file, and `verify` catching a rewritten hub chain, a cut one, or an altered edge head.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anchorHubHead, hubAnchorFile } from '../../../hub/audit/hub-anchor.js';
import { verifyHubAudit } from '../../../hub/audit/hub-audit-verify.js';
import { pinEdgeHeadKey } from '../../../hub/edges/edge-enrolment.service.js';
import { readAnchors } from '../../../shared/audit/anchor-file.js';
import { rawPublicKey, type SignedHead, signHead } from '../../../shared/audit/signed-head.js';
import { sha256Hex } from '../../../shared/canonical-json.js';
import { INGEST_PATHS } from '../../../shared/forward/wire.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import { edgePost, enrolTestEdge, HUB_T0, openTestHub, type TestHub } from '../../support/hub-ingest.js';

const keyPair = () => generateKeyPairSync('ed25519').privateKey;
const pub = (k: KeyObject) => rawPublicKey(k).toString('base64');
const h = (n: number) => sha256Hex(`row-${n}`);
const head = (key: KeyObject, seq: number, at = HUB_T0 + seq, hash = h(seq)): SignedHead =>
  signHead({ chain: 'edge-01', seq, hash, at }, key);

describe.each(HUB_ENGINES)('audit heads and anchoring on %s', (engine) => {
  let hub: TestHub;
  let secret: string;
  const send = (key: KeyObject, heads: SignedHead[]) =>
    edgePost(hub, INGEST_PATHS.heads, { publicKey: pub(key), heads }, { edgeId: 'edge-01', secret });
  const events = async (kind: string) =>
    (await hub.ctx.audit.list(hub.ctx.db, { kind })).map(
      (r) => JSON.parse(r.payload) as Record<string, unknown>,
    );
  const verify = (expected?: { seq: number; hash: string }[]) =>
    verifyHubAudit(hub.ctx.db, hub.ctx.audit, {
      anchorFile: hubAnchorFile(hub.ctx.config),
      signing: hub.ctx.keys.signing,
      expected,
    });

  beforeEach(async () => {
    hub = await openTestHub(engine);
    secret = await enrolTestEdge(hub);
  });
  afterEach(() => hub.close());

  it('pins the edge key on first use (audited) and keeps heads in order, a resend changing nothing', async () => {
    const key = keyPair();
    const res = await send(key, [head(key, 3), head(key, 1)]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ latest: { seq: 3, hash: h(3) } });
    expect((await send(key, [head(key, 3), head(key, 5)])).json()).toEqual({
      latest: { seq: 5, hash: h(5) },
    });
    expect(await events('edge.key_pinned')).toEqual([
      expect.objectContaining({ edgeId: 'edge-01', how: 'first_use' }),
    ]);
    const seqs = await hub.ctx.db.query<{ seq: number }>('SELECT seq FROM edge_audit_heads ORDER BY seq');
    expect(seqs.map((r) => r.seq)).toEqual([1, 3, 5]);
    const report = await verify();
    expect(report.edges).toEqual([
      { edgeId: 'edge-01', heads: 3, latest: { seq: 5, hash: h(5), at: HUB_T0 + 5 }, ok: true },
    ]);
    expect(report.ok).toBe(true);
  });

  it('refuses heads under another key (409, audited) until an admin re-pins it', async () => {
    const key = keyPair();
    await send(key, [head(key, 1)]);
    const stranger = keyPair();
    const refused = await send(stranger, [head(stranger, 2)]);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/is pinned for this edge: an admin must re-pin it/);
    expect(await events('edge.heads_refused')).toEqual([expect.objectContaining({ reason: 'key_mismatch' })]);
    await pinEdgeHeadKey(hub.ctx, 'edge-01', pub(stranger), 'admin');
    expect((await send(stranger, [head(stranger, 2)])).statusCode).toBe(200);
    // Heads under the earlier key stay verifiable after the re-pin.
    expect((await verify()).edges[0]).toMatchObject({ ok: true, heads: 2 });
  });

  it.each([
    ['a fork (a held seq with another hash)', [{ seq: 2, hash: h(99) }], /forked or was rewritten/],
    ['a head going back in seq', [{ seq: 1, hash: h(1) }], /goes back from head 2/],
    [
      'a head signed earlier than the latest',
      [{ seq: 3, hash: h(3), at: HUB_T0 - 1 }],
      /was signed at .* before head 2/,
    ],
  ] as [string, { seq: number; hash: string; at?: number }[], RegExp][])(
    'refuses %s with 409, audited, storing nothing of the request',
    async (_what, bad, message) => {
      const key = keyPair();
      await send(key, [head(key, 2)]);
      const heads = [head(key, 4), ...bad.map((b) => head(key, b.seq, b.at ?? HUB_T0 + b.seq, b.hash))];
      const res = await send(key, heads);
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toMatch(message);
      expect(await hub.ctx.db.query('SELECT seq FROM edge_audit_heads')).toEqual([{ seq: 2 }]);
      expect(await events('edge.heads_refused')).toHaveLength(1);
    },
  );

  it('refuses a head that is not signed by the key sent, or is of another chain (400)', async () => {
    const key = keyPair();
    const forged = { ...head(key, 1), hash: h(2) };
    expect((await send(key, [forged])).json().message).toMatch(/heads\[0\]: signature does not verify/);
    const otherChain = signHead({ chain: 'edge-02', seq: 1, hash: h(1), at: HUB_T0 }, key);
    expect((await send(key, [otherChain])).json().message).toMatch(/of chain "edge-02", not of this edge/);
  });

  it('verify fails when a stored edge head was altered behind the append-only trigger', async () => {
    const key = keyPair();
    await send(key, [head(key, 1), head(key, 2)]);
    await expect(hub.ctx.db.query('UPDATE edge_audit_heads SET hash = $1', [h(7)])).rejects.toThrow(
      /append-only/,
    );
    await hub.ctx.db.exec(
      `ALTER TABLE edge_audit_heads DISABLE TRIGGER USER; UPDATE edge_audit_heads SET hash = '${h(7)}' WHERE seq = 2;`,
    );
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.edges[0]).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/head 2: signature does not verify/),
    });
  });

  it('anchors the hub head once per change, and verify holds the chain to it', async () => {
    expect((await anchorHubHead(hub.ctx)).kind).toBe('anchored');
    expect((await anchorHubHead(hub.ctx)).kind).toBe('unchanged');
    await pinEdgeHeadKey(hub.ctx, 'edge-01', pub(keyPair()), 'admin');
    const second = await anchorHubHead(hub.ctx, 'after a receipt');
    expect(second.kind).toBe('anchored');
    const anchors = readAnchors(hubAnchorFile(hub.ctx.config)).anchors;
    expect(anchors.map((a) => [a.chain, a.seq])).toEqual([
      ['hub', 2],
      ['hub', 3],
    ]);
    const report = await verify();
    expect(report).toMatchObject({
      ok: true,
      chain: { ok: true, rows: 3 },
      anchors: { ok: true, checked: 2 },
    });
    const wrong = await verify([{ seq: 2, hash: h(1) }]);
    expect(wrong.anchors).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/expected head says row 2/),
    });
  });

  it('refuses to anchor, and verify fails, once the hub chain was cut below an anchored head', async () => {
    await pinEdgeHeadKey(hub.ctx, 'edge-01', pub(keyPair()), 'admin');
    await anchorHubHead(hub.ctx);
    await hub.ctx.db.exec(
      'ALTER TABLE audit_events DISABLE TRIGGER USER; DELETE FROM audit_events WHERE seq = 3;',
    );
    const outcome = await anchorHubHead(hub.ctx);
    expect(outcome).toEqual({
      kind: 'refused',
      reason: expect.stringMatching(/ends at row 2 but row 3 was anchored: rows were cut/),
    });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.anchors).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/rows were cut below a head signed earlier/),
    });
  });
});
