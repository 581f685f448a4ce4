// The edge store as the outbox, on a real SQLite file: cursors only go forward and reset for another hub,
// the outbox describes cameras from their stored geometry (and leaves out one it cannot describe), the
// edge key file is refused when others can read it, and the anchor file is read as it grows.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EdgeKeyError, loadEdgeKey } from '../../../edge/forward/edge-key.js';
import { ForwardCursors } from '../../../edge/forward/forward-cursors.js';
import { anchorFileHeadSource } from '../../../edge/forward/head-source.js';
import { ForwardOutbox, wireCameraOf } from '../../../edge/forward/outbox.js';
import { appendAnchor } from '../../../shared/audit/anchor-file.js';
import { signHead } from '../../../shared/audit/signed-head.js';
import { loadSigningKey } from '../../../shared/audit/signing-key.js';
import { sha256Hex } from '../../../shared/canonical-json.js';
import { generateEdgeSecret } from '../../../shared/forward/request-signature.js';
import { deriveRangeM } from '../../../shared/geofence/sector.js';
import { openStore } from '../../../shared/store/store.js';
import { T0 } from '../../support/factories.js';
import { GEOMETRY, seedGateCamera, seedReads, writeEdgeKey } from '../../support/forward-fixtures.js';
import { tempDir } from '../../support/temp-dir.js';

describe('forward outbox', () => {
  it('keeps cursors monotonic across writers and resets them for another hub', () => {
    const store = openStore(path.join(tempDir(), 'edge.db'), { retentionDays: 30 });
    const cursors = new ForwardCursors(store.db);
    expect(cursors.bindTo('https://hub-a')).toBe(false);
    cursors.advance('reads', 500);
    cursors.advance('reads', 200); // a slower second process acknowledging an older batch
    expect(cursors.get('reads')).toBe(500);
    expect(new ForwardCursors(store.db).get('reads')).toBe(500);
    expect(cursors.bindTo('https://hub-a')).toBe(false);
    expect(cursors.bindTo('https://hub-b')).toBe(true);
    expect(cursors.all()).toEqual({ reads: 0, verdicts: 0, receipts: 0, heads: 0 });
    store.close();
  });

  it('reads bounded batches after the cursor and reports the backlog', () => {
    const store = openStore(path.join(tempDir(), 'edge.db'), { retentionDays: 30 });
    const v = seedGateCamera(store, 'cam-1', T0);
    const ids = seedReads(store, 30, { cameraId: 'cam-1', verdictId: v, from: T0 });
    const outbox = new ForwardOutbox(store.db);
    const batch = outbox.readsAfter(ids[9]!, 5);
    expect(batch.reads.map((r) => r.edgeReadId)).toEqual(ids.slice(10, 15));
    expect(batch.lastId).toBe(ids[14]);
    expect(batch.reads[0]).toMatchObject({
      cameraId: 'cam-1',
      edgeVerdictId: v,
      box: { x: 100, y: 200, w: 120, h: 60 },
    });
    expect(outbox.backlog(ids[19]!)).toEqual({ reads: 10, oldestStoredAt: T0 + 30_000 });
    expect(outbox.backlog(ids[29]!)).toEqual({ reads: 0, oldestStoredAt: null });
    store.close();
  });

  it('never hands out a read before its verdict: a batch stops at the first read under a verdict not yet sent', () => {
    const store = openStore(path.join(tempDir(), 'edge.db'), { retentionDays: 30 });
    const v1 = seedGateCamera(store, 'cam-1', T0);
    const first = seedReads(store, 2, { cameraId: 'cam-1', verdictId: v1, from: T0 });
    const v2 = seedGateCamera(store, 'cam-1', T0 + 10_000, { ...GEOMETRY, bearingDeg: 95 });
    const later = seedReads(store, 2, { cameraId: 'cam-1', verdictId: v2, from: T0 + 20_000 });
    const outbox = new ForwardOutbox(store.db);
    expect(outbox.readsAfter(0, 10, v1)).toMatchObject({ lastId: first[1], heldBack: true });
    expect(outbox.readsAfter(first[1]!, 10, v1)).toMatchObject({
      reads: [],
      lastId: first[1],
      heldBack: true,
    });
    expect(outbox.readsAfter(first[1]!, 10, v2)).toMatchObject({ lastId: later[1], heldBack: false });
    store.close();
  });

  it('describes a camera from its stored geometry, deriving the range when only optics are given', () => {
    const store = openStore(path.join(tempDir(), 'edge.db'), { retentionDays: 30 });
    seedGateCamera(store, 'cam-1', T0, { ...GEOMETRY, rangeM: undefined });
    store.cameras.upsert({ id: 'cam-bare', configHash: 'h', config: '{}' }, T0);
    store.verdicts.insert({
      cameraId: 'cam-bare',
      cameraHash: 'h',
      registryVersion: 'r',
      compliant: true,
      violations: [],
      evaluatedAt: T0,
    });
    const batch = new ForwardOutbox(store.db).verdictsAfter(0, 10);
    expect(batch.cameras).toEqual([
      expect.objectContaining({
        cameraId: 'cam-1',
        bearingDeg: 90,
        fovDeg: 60,
        rangeM: deriveRangeM({ fovDeg: 60, frameWidthPx: 1280, minPlateWidthPx: 40, plateWidthM: 0.305 }),
      }),
    ]);
    expect(batch.undescribed).toEqual(['cam-bare']);
    expect(batch.verdicts.map((x) => x.cameraId)).toEqual(['cam-1']);
    expect(batch.lastId).toBe(2);
    expect(wireCameraOf('x', 'not json', 'h')).toBeUndefined();
    store.close();
  });

  it('refuses an edge key file others can read, and a file that is not a secret', () => {
    const dir = tempDir();
    const file = writeEdgeKey(path.join(dir, 'k'), generateEdgeSecret());
    expect(loadEdgeKey(file)).toHaveLength(32);
    chmodSync(file, 0o640);
    expect(() => loadEdgeKey(file)).toThrow(/readable by others \(mode 640\); run chmod 600/);
    writeFileSync(path.join(dir, 'bad'), 'hello', { mode: 0o600 });
    expect(() => loadEdgeKey(path.join(dir, 'bad'))).toThrow(EdgeKeyError);
    expect(() => loadEdgeKey(path.join(dir, 'missing'))).toThrow(/not found \(forward.edgeKeyPath\)/);
  });

  it('reads signed heads of its own chain from the anchor file as it grows, never a half-written line', () => {
    const dir = tempDir();
    const keyFile = path.join(dir, 'keys', 'audit-head.key');
    const anchorFile = path.join(dir, 'audit-anchors.jsonl');
    const source = anchorFileHeadSource({ anchorFile, keyFile, chain: 'edge-01' });
    expect(source.publicKey()).toBeUndefined();
    expect(source.headsAfter(0, 10)).toEqual([]);
    const key = loadSigningKey(keyFile, { create: true });
    const head = (chain: string, seq: number) =>
      signHead({ chain, seq, hash: sha256Hex(String(seq)), at: T0 + seq }, key.privateKey);
    appendAnchor(anchorFile, head('edge-01', 1));
    appendAnchor(anchorFile, head('other', 2));
    appendAnchor(anchorFile, head('edge-01', 3));
    expect(source.publicKey()).toBe(key.publicKeyBase64);
    expect(source.headsAfter(0, 10).map((h) => h.seq)).toEqual([1, 3]);
    writeFileSync(anchorFile, JSON.stringify(head('edge-01', 4)).slice(0, 40), { flag: 'a' });
    expect(source.headsAfter(1, 10).map((h) => h.seq)).toEqual([3]);
  });
});
