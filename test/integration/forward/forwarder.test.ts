// The forwarder against a real hub (HTTP on a port) on both engines, over a real SQLite edge store:
// everything the edge stored arrives once, the cursor moves only on the hub's 200, a hub that is down or
// refuses the key costs only delay, a batch too large is halved, refused reads are passed over, and the
// backlog shows in /health and /metrics.
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEdgeHealth } from '../../../edge/http/edge-health.js';
import { pinEdgeHeadKey } from '../../../hub/edges/edge-enrolment.service.js';
import { appendAnchor } from '../../../shared/audit/anchor-file.js';
import { AuditKind } from '../../../shared/audit/audit-log.js';
import { rawPublicKey, signHead } from '../../../shared/audit/signed-head.js';
import { loadSigningKey } from '../../../shared/audit/signing-key.js';
import { generateEdgeSecret } from '../../../shared/forward/request-signature.js';
import { DAY_MS } from '../../../shared/runtime/clock.js';
import { openStore, type Store } from '../../../shared/store/store.js';
import {
  type InProcessHub,
  makeForwarder,
  seedGateCamera,
  seedReads,
  startInProcessHub,
} from '../../support/forward-fixtures.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import { tempDir } from '../../support/temp-dir.js';

async function drain(forwarder: { runOnce(): Promise<number> }, rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const next = await forwarder.runOnce();
    if (next > 0) return;
  }
}

async function waitUntil(check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function gauge(registry: import('prom-client').Registry, name: string): Promise<number> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  return m?.values[0]?.value ?? Number.NaN;
}

describe.each(HUB_ENGINES)('forwarder to a hub on %s', (engine) => {
  let dir: string;
  let store: Store;
  let hub: InProcessHub;
  let secret: string;
  const now = Date.now();
  beforeEach(async () => {
    dir = tempDir('alpr-forward-');
    store = openStore(path.join(dir, 'edge.db'), { retentionDays: 30 });
    hub = await startInProcessHub(engine, dir);
    secret = await hub.enrol('edge-01');
  });
  afterEach(async () => {
    store.close();
    await hub.drop();
  });

  it('forwards cameras, verdicts and every read exactly once, and the hub sees the edge caught up', async () => {
    const v1 = seedGateCamera(store, 'cam-1', now - 3_600_000);
    const v2 = seedGateCamera(store, 'cam-2', now - 3_600_000);
    const ids = [
      ...seedReads(store, 700, { cameraId: 'cam-1', verdictId: v1, from: now - 1_800_000 }),
      ...seedReads(store, 300, { cameraId: 'cam-2', verdictId: v2, from: now - 1_700_000 }),
    ];
    const { forwarder, registry } = makeForwarder(store, { hubUrl: hub.url, secret });
    expect(await gauge(registry, 'alpr_forward_queue_reads')).toBe(1000);
    await drain(forwarder);
    expect(await hub.count('SELECT count(*) AS n FROM reads')).toBe(1000);
    expect(await hub.count('SELECT count(DISTINCT edge_read_id) AS n FROM reads')).toBe(1000);
    expect(await hub.count('SELECT max(edge_read_id) AS n FROM reads')).toBe(Math.max(...ids));
    const cams = await hub.runtime.context.db.query(
      'SELECT camera_id, lng, lat, range_m, label FROM cameras ORDER BY 1',
    );
    expect(cams).toEqual([
      { camera_id: 'cam-1', lng: -121.89, lat: 37.33, range_m: 30, label: 'cam-1 label' },
      { camera_id: 'cam-2', lng: -121.89, lat: 37.33, range_m: 30, label: 'cam-2 label' },
    ]);
    expect(forwarder.health()).toMatchObject({
      state: 'ok',
      backlogReads: 0,
      degraded: false,
      cursors: { reads: Math.max(...ids), verdicts: v2 },
    });
    expect(await gauge(registry, 'alpr_forward_queue_reads')).toBe(0);
    const [status] = await hub.runtime.context.db.query<Record<string, unknown>>(
      'SELECT * FROM edge_forwarding',
    );
    expect(status).toMatchObject({ backlog_reads: 0, read_cursor: Math.max(...ids), reads_accepted: 1000 });
    // A second pass sends nothing new; the hub still has each read once.
    await drain(forwarder);
    expect(await hub.count('SELECT count(*) AS n FROM reads')).toBe(1000);
  });

  it('forwards what was stored up to a clean stop (bounded flush), and nothing after it', async () => {
    const v = seedGateCamera(store, 'cam-1', now - 3_600_000);
    seedReads(store, 10, { cameraId: 'cam-1', verdictId: v, from: now - 120_000 });
    const { forwarder } = makeForwarder(store, { hubUrl: hub.url, secret, forward: { everyMs: 600_000 } });
    forwarder.start();
    await waitUntil(() => forwarder.health().backlogReads === 0);
    // Stored while the forwarder waits out its interval (e.g. passes flushed as the cameras stop).
    seedReads(store, 5, { cameraId: 'cam-1', verdictId: v, from: now - 60_000 });
    await forwarder.stop({ flushMs: 5000 });
    expect(await hub.count('SELECT count(*) AS n FROM reads')).toBe(15);
    seedReads(store, 3, { cameraId: 'cam-1', verdictId: v, from: now - 30_000 });
    await forwarder.stop({ flushMs: 5000 });
    expect(await hub.count('SELECT count(*) AS n FROM reads')).toBe(15);
    expect(forwarder.health()).toMatchObject({ state: 'stopped', backlogReads: 3 });
  });

  it('loses nothing while the hub is down: backs off, keeps its cursor, and drains once the hub is back', async () => {
    const v = seedGateCamera(store, 'cam-1', now - 3_600_000);
    seedReads(store, 120, { cameraId: 'cam-1', verdictId: v, from: now - 1_800_000 });
    const { forwarder, registry } = makeForwarder(store, {
      hubUrl: hub.url,
      secret,
      forward: { backoffInitialMs: 1000, backoffMaxMs: 8000, maxLagS: 60 },
    });
    await hub.stop();
    const delays = [
      await forwarder.runOnce(),
      await forwarder.runOnce(),
      await forwarder.runOnce(),
      await forwarder.runOnce(),
      await forwarder.runOnce(),
    ];
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000]);
    const health = forwarder.health();
    expect(health).toMatchObject({
      state: 'backing_off',
      backlogReads: 120,
      cursors: { reads: 0 },
      lastError: { kind: 'network' },
    });
    // Stored half an hour ago, forward.maxLagS is a minute: /health says degraded.
    expect(health.degraded).toBe(true);
    expect(buildEdgeHealth([], Date.now(), 300_000, { forward: health }).body.status).toBe('degraded');
    const errors = (await registry.getMetricsAsJSON()).find(
      (m) => m.name === 'alpr_forward_send_errors_total',
    )!;
    expect(
      errors.values.find((x) => x.labels.kind === 'network' && x.labels.endpoint === 'verdicts')?.value,
    ).toBe(5);
    await hub.restart();
    await drain(forwarder);
    expect(await hub.count('SELECT count(*) AS n FROM reads')).toBe(120);
    expect(forwarder.health()).toMatchObject({ state: 'ok', backlogReads: 0, degraded: false });
  });

  it('backs off on a wrong key (401) without moving its cursor', async () => {
    const v = seedGateCamera(store, 'cam-1', now - 3_600_000);
    seedReads(store, 5, { cameraId: 'cam-1', verdictId: v, from: now - 60_000 });
    const { forwarder } = makeForwarder(store, { hubUrl: hub.url, secret: generateEdgeSecret() });
    expect(await forwarder.runOnce()).toBeGreaterThan(0);
    expect(forwarder.health()).toMatchObject({
      state: 'backing_off',
      lastError: { kind: 'auth', message: expect.stringMatching(/signature does not match/) },
      cursors: { reads: 0, verdicts: 0 },
    });
    expect(await hub.count('SELECT count(*) AS n FROM reads')).toBe(0);
  });

  it('halves batches the hub finds too large (413) until they fit, and still forwards every read', async () => {
    await hub.stop();
    await hub.drop();
    hub = await startInProcessHub(engine, tempDir('alpr-forward-small-'), {
      hub: { bodyLimitBytes: 16_384 },
    });
    secret = await hub.enrol('edge-01');
    const v = seedGateCamera(store, 'cam-1', now - 3_600_000);
    seedReads(store, 400, { cameraId: 'cam-1', verdictId: v, from: now - 1_800_000 });
    const { forwarder, registry } = makeForwarder(store, { hubUrl: hub.url, secret });
    await drain(forwarder, 200);
    expect(await hub.count('SELECT count(*) AS n FROM reads')).toBe(400);
    const errors = (await registry.getMetricsAsJSON()).find(
      (m) => m.name === 'alpr_forward_send_errors_total',
    )!;
    expect(errors.values.find((x) => x.labels.kind === 'too_large')?.value).toBeGreaterThan(0);
  });

  it('passes over reads the hub refuses (past its retention) and counts them', async () => {
    const v = seedGateCamera(store, 'cam-1', now - 40 * DAY_MS);
    seedReads(store, 3, { cameraId: 'cam-1', verdictId: v, from: now - 35 * DAY_MS });
    seedReads(store, 2, { cameraId: 'cam-1', verdictId: v, from: now - 60_000 });
    const { forwarder, registry } = makeForwarder(store, { hubUrl: hub.url, secret });
    await drain(forwarder);
    expect(await hub.count('SELECT count(*) AS n FROM reads')).toBe(2);
    const reads = (await registry.getMetricsAsJSON()).find((m) => m.name === 'alpr_forward_reads_total')!;
    expect(Object.fromEntries(reads.values.map((x) => [x.labels.outcome, x.value]))).toMatchObject({
      accepted: 2,
      refused: 3,
    });
    expect(forwarder.health().backlogReads).toBe(0);
  });

  it('forwards purge receipts and signed audit heads (pinning the edge key at the hub)', async () => {
    const v = seedGateCamera(store, 'cam-1', now - 3_600_000);
    seedReads(store, 1, { cameraId: 'cam-1', verdictId: v, from: now - 60_000 });
    const receipt = store.audit.append(
      { kind: AuditKind.purgeReceipt, actor: 'worker', payload: { runId: 'r1', deleted: 0 } },
      now,
    );
    const key = loadSigningKey(path.join(dir, 'keys', 'audit-head.key'), { create: true });
    const head = store.audit.list({ limit: 1 })[0]!;
    appendAnchor(
      path.join(dir, 'audit-anchors.jsonl'),
      signHead({ chain: 'edge-01', seq: head.seq, hash: head.hash, at: now }, key.privateKey),
    );
    const { forwarder } = makeForwarder(store, { hubUrl: hub.url, secret });
    await drain(forwarder);
    const db = hub.runtime.context.db;
    expect(await db.query('SELECT audit_seq, receipt FROM edge_receipts')).toEqual([
      { audit_seq: receipt.seq, receipt: { runId: 'r1', deleted: 0 } },
    ]);
    expect(await db.query('SELECT seq, hash FROM edge_audit_heads')).toEqual([
      { seq: head.seq, hash: head.hash },
    ]);
    expect(await db.query('SELECT head_key_id FROM edges')).toEqual([{ head_key_id: key.keyId }]);
    expect(forwarder.health().cursors).toMatchObject({ receipts: receipt.seq, heads: head.seq });
  });

  it('keeps forwarding reads when the hub refuses its heads (another key pinned: 409)', async () => {
    const v = seedGateCamera(store, 'cam-1', now - 3_600_000);
    const pinned = generateKeyPairSync('ed25519').publicKey;
    await pinEdgeHeadKey(hub.runtime.context, 'edge-01', rawPublicKey(pinned).toString('base64'), 'admin');
    const key = loadSigningKey(path.join(dir, 'keys', 'audit-head.key'), { create: true });
    const head = store.audit.append({ kind: 'test.event', actor: 'test', payload: {} }, now);
    appendAnchor(
      path.join(dir, 'audit-anchors.jsonl'),
      signHead({ chain: 'edge-01', seq: head.seq, hash: head.hash, at: now }, key.privateKey),
    );
    seedReads(store, 10, { cameraId: 'cam-1', verdictId: v, from: now - 60_000 });
    const { forwarder } = makeForwarder(store, { hubUrl: hub.url, secret });
    await drain(forwarder);
    expect(await hub.count('SELECT count(*) AS n FROM reads')).toBe(10);
    expect(await hub.count('SELECT count(*) AS n FROM edge_audit_heads')).toBe(0);
    expect(forwarder.health()).toMatchObject({
      cursors: { heads: 0 },
      lastError: { kind: 'conflict', message: expect.stringMatching(/is pinned for this edge/) },
    });
  });
});
