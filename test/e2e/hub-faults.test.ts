// Faults with the real parts: `alpr hub` SIGKILLed while batches stream in and started again, the edge's
// PostgreSQL stopped and started under a running hub, and `alpr edge` SIGKILLed mid-send and restarted.
// Every time: each read in the hub exactly once, nothing skipped, nothing lost.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEdgeSecret, signRequest } from '../../shared/forward/request-signature.js';
import { INGEST_PATHS } from '../../shared/forward/wire.js';
import { freePort } from '../../shared/runtime/processes.js';
import { openStore, type Store } from '../../shared/store/store.js';
import { ALPR_BIN, spawnCli } from '../support/cli.js';
import { eventually } from '../support/eventually.js';
import { makeCameraConfig } from '../support/factories.js';
import { makeForwarder, seedGateCamera, seedReads } from '../support/forward-fixtures.js';
import { createPgDatabase, HUB_ENGINES, PG_AVAILABLE } from '../support/hub-db.js';
import { enrolWithCli, pgCount, withHubDb, writeJson } from '../support/hub-e2e.js';
import { type HubProcess, startHubProcess } from '../support/hub-process.js';
import { PG_SERVER_BIN, type PgCluster, startPgCluster } from '../support/pg-cluster.js';
import { makeClip } from '../support/rtsp-server.js';
import { tempDir } from '../support/temp-dir.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function seedEdgeStore(dir: string, n: number): { store: Store; ids: number[] } {
  const store = openStore(path.join(dir, 'edge.db'), { retentionDays: 30 });
  const now = Date.now();
  const v = seedGateCamera(store, 'cam-1', now - (n + 3600) * 1000);
  // A second apart, the last ten minutes ago: all within retention and none in the future.
  const ids = seedReads(store, n, { cameraId: 'cam-1', verdictId: v, from: now - (n + 600) * 1000 });
  return { store, ids };
}

const FAST = {
  everyMs: 100,
  batchSize: 50,
  backoffInitialMs: 200,
  backoffMaxMs: 1000,
  requestTimeoutMs: 5000,
};

describe.each(HUB_ENGINES)('alpr hub on %s SIGKILLed mid-batch', (engine) => {
  it('ends, after restarts, with every read exactly once (the edge resends what was not acknowledged)', async () => {
    const dir = tempDir('alpr-hub-kill-');
    const database = engine === 'postgres' ? await createPgDatabase('kill') : undefined;
    if (database) cleanups.push(() => database.drop());
    const config = writeJson(path.join(dir, 'hub.yaml'), {
      hub: { dataDir: './hub', ...(database ? { databaseUrl: database.url } : {}) },
    });
    const keyFile = path.join(dir, 'edge.key');
    enrolWithCli(config, 'edge-01', keyFile);
    const port = await freePort();
    let hub: HubProcess = await startHubProcess(config, { args: ['--port', String(port)] });
    cleanups.push(() => hub.stop());
    const N = 4000;
    const { store, ids } = seedEdgeStore(dir, N);
    cleanups.push(() => store.close());
    const { forwarder } = makeForwarder(store, {
      hubUrl: `http://127.0.0.1:${port}`,
      secret: readFileSync(keyFile, 'utf8').trim(),
      forward: FAST,
    });
    forwarder.start();
    cleanups.push(() => forwarder.stop());

    let kills = 0;
    while (kills < 3) {
      const before = forwarder.health().cursors.reads;
      await eventually('the hub to acknowledge a batch', () => forwarder.health().cursors.reads > before, {
        timeoutMs: 60_000,
      });
      await hub.kill(); // SIGKILL: whatever transaction was open dies with the process
      kills += 1;
      expect(forwarder.health().backlogReads).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 300));
      hub = await startHubProcess(config, { args: ['--port', String(port)] });
    }
    await eventually('the backlog to drain', () => forwarder.health().backlogReads === 0, {
      timeoutMs: 120_000,
    });
    await forwarder.stop();
    expect(await hub.stop()).toBe(0);
    const counts = await withHubDb(config, async (q) => ({
      rows: await q('SELECT count(*) AS n FROM reads'),
      distinct: await q('SELECT count(DISTINCT edge_read_id) AS n FROM reads'),
      min: await q('SELECT min(edge_read_id) AS n FROM reads'),
      max: await q('SELECT max(edge_read_id) AS n FROM reads'),
    }));
    expect(counts).toEqual({ rows: N, distinct: N, min: ids[0], max: ids[N - 1] });
  });
});

describe.skipIf(!PG_SERVER_BIN)('PostgreSQL stopped while the hub runs', () => {
  it('answers ingest with 503, the edge backs off, and the backlog drains once PostgreSQL is back', async () => {
    const dir = tempDir('alpr-hub-pgdown-');
    const cluster: PgCluster = await startPgCluster();
    cleanups.push(() => cluster.destroy());
    const config = writeJson(path.join(dir, 'hub.yaml'), {
      hub: { dataDir: './hub', databaseUrl: cluster.url },
    });
    const keyFile = path.join(dir, 'edge.key');
    enrolWithCli(config, 'edge-01', keyFile);
    const hub = await startHubProcess(config);
    cleanups.push(() => hub.stop());
    const { store } = seedEdgeStore(dir, 1500);
    cleanups.push(() => store.close());
    const { forwarder } = makeForwarder(store, {
      hubUrl: hub.url,
      secret: readFileSync(keyFile, 'utf8').trim(),
      forward: { ...FAST, backoffMaxMs: 2000 },
    });
    forwarder.start();
    cleanups.push(() => forwarder.stop());
    await eventually('a first acknowledged batch', () => forwarder.health().cursors.reads > 0, {
      timeoutMs: 60_000,
    });

    cluster.stop();
    // A request now meets a hub whose database is gone: 503 with Retry-After, nothing stored.
    const body = Buffer.from(JSON.stringify({ reads: [] }));
    const refused = await fetch(`${hub.url}${INGEST_PATHS.reads}`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        ...signRequest(parseEdgeSecret(readFileSync(keyFile, 'utf8')), {
          method: 'POST',
          path: INGEST_PATHS.reads,
          edgeId: 'edge-01',
          timestamp: Date.now(),
          body,
        }),
      },
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toEqual({
      error: 'unavailable',
      message: 'the hub database is unreachable; retry later',
    });
    expect((await fetch(`${hub.url}/health`)).status).toBe(503);
    await eventually('the edge to meet the 503', () => forwarder.health().lastError?.kind === 'unavailable', {
      timeoutMs: 30_000,
    });
    expect(forwarder.health().state).toBe('backing_off');
    // Reads keep arriving at the edge meanwhile.
    const v = store.verdicts.latestFor('cam-1')!.id;
    seedReads(store, 200, { cameraId: 'cam-1', verdictId: v, from: Date.now() - 600_000 });
    const waiting = forwarder.health().backlogReads;
    expect(waiting).toBeGreaterThan(200);

    cluster.start();
    await eventually('the backlog to drain', () => forwarder.health().backlogReads === 0, {
      timeoutMs: 120_000,
    });
    expect(await pgCount(cluster.url, 'SELECT count(*) AS n FROM reads')).toBe(1700);
    expect(await pgCount(cluster.url, 'SELECT count(DISTINCT edge_read_id) AS n FROM reads')).toBe(1700);
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(metrics).toMatch(
      /alpr_hub_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/ingest\/reads",status="503"\} [1-9]/,
    );
    expect(await hub.stop()).toBe(0);
  });
});

describe.skipIf(!PG_AVAILABLE)('alpr edge SIGKILLed mid-send', () => {
  it('resumes from its cursor after a restart: nothing skipped, nothing twice', async () => {
    const dir = tempDir('alpr-edge-kill-');
    const database = await createPgDatabase('edgekill');
    cleanups.push(() => database.drop());
    const hubConfig = writeJson(path.join(dir, 'hub.yaml'), {
      hub: { dataDir: './hub', databaseUrl: database.url },
    });
    const keyFile = path.join(dir, 'keys', 'hub-edge.key');
    mkdirSync(path.dirname(keyFile), { recursive: true });
    enrolWithCli(hubConfig, 'edge-01', keyFile);
    const hub = await startHubProcess(hubConfig);
    cleanups.push(() => hub.stop());

    const N = 3000;
    const { store, ids } = seedEdgeStore(dir, N);
    store.close();
    const clip = await makeClip(path.join(dir, 'quiet.mp4'), { seconds: 5 });
    writeJson(path.join(dir, 'sites.geojson'), { type: 'FeatureCollection', features: [] });
    const edgeConfig = writeJson(path.join(dir, 'edge.yaml'), {
      node: { id: 'edge-01' },
      store: { path: './edge.db' },
      sites: { registryPath: './sites.geojson' },
      cameraDefaults: { frame: { width: 320, height: 240 } },
      cameras: [makeCameraConfig({ id: 'cam-1', url: `file://${clip}`, rangeM: 30 })],
      forward: { enabled: true, hubUrl: hub.url, edgeKeyPath: keyFile, ...FAST, batchSize: 20 },
    });
    const imported = spawnCli(['sites', 'import', path.join(dir, 'sites.geojson'), '--config', edgeConfig]);
    expect(imported.code, imported.stderr).toBe(0);
    const startEdge = () => {
      const child = spawn(process.execPath, [ALPR_BIN, 'edge', '--config', edgeConfig, '--http-port', '0'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      cleanups.push(async () => {
        if (child.exitCode === null) child.kill('SIGKILL');
        await exited;
      });
      return { child, exited, stderr: () => err };
    };
    const atHub = () => pgCount(database.url, 'SELECT count(*) AS n FROM reads');

    const first = startEdge();
    await eventually('the edge to forward a few batches', async () => (await atHub()) > 200, {
      timeoutMs: 90_000,
    });
    first.child.kill('SIGKILL');
    await first.exited;
    const afterKill = await atHub();
    expect(afterKill).toBeLessThan(N);
    const edgeStore = openStore(path.join(dir, 'edge.db'), { retentionDays: 30 });
    const cursor = Number(
      edgeStore.db
        .prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'forward.cursor.reads'")
        .get()?.value,
    );
    edgeStore.close();
    // The cursor never runs ahead of what the hub has.
    expect(
      await pgCount(database.url, `SELECT count(*) AS n FROM reads WHERE edge_read_id <= ${cursor}`),
    ).toBe(ids.filter((id) => id <= cursor).length);

    const second = startEdge();
    await eventually('the rest of the backlog', async () => (await atHub()) >= N, { timeoutMs: 90_000 });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(await atHub()).toBe(N);
    expect(await pgCount(database.url, 'SELECT count(DISTINCT edge_read_id) AS n FROM reads')).toBe(N);
    expect(await pgCount(database.url, 'SELECT min(edge_read_id) AS n FROM reads')).toBe(ids[0]);
  });
});
