// Scale out, not up: two `alpr hub` processes on one PostgreSQL (their own data directories, the same
// keys), edges split across them and some moved from one to the other half way. The hubs keep no state
// of their own: a nonce used at one is a replay at the other, and the counts are exact at the end.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEdgeSecret, signRequest } from '../../shared/forward/request-signature.js';
import { INGEST_PATHS } from '../../shared/forward/wire.js';
import { openStore, type Store } from '../../shared/store/store.js';
import { eventually } from '../support/eventually.js';
import { makeForwarder, seedGateCamera, seedReads } from '../support/forward-fixtures.js';
import { createPgDatabase, PG_AVAILABLE } from '../support/hub-db.js';
import { enrolWithCli, pgCount, writeJson } from '../support/hub-e2e.js';
import { type HubProcess, startHubProcess } from '../support/hub-process.js';
import { tempDir } from '../support/temp-dir.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const EDGES = 8;
const READS = 400;

describe.skipIf(!PG_AVAILABLE)('two hub processes on one PostgreSQL', () => {
  it('share the work: edges split across them (some moved half way), every read exactly once', async () => {
    const dir = tempDir('alpr-hub-scale-');
    const database = await createPgDatabase('scale');
    cleanups.push(() => database.drop());
    const shared = { databaseUrl: database.url, keysDir: './keys' };
    const configA = writeJson(path.join(dir, 'hub-a.yaml'), { hub: { ...shared, dataDir: './a' } });
    const configB = writeJson(path.join(dir, 'hub-b.yaml'), { hub: { ...shared, dataDir: './b' } });
    const ids = Array.from({ length: EDGES }, (_, i) => `edge-${String(i + 1).padStart(2, '0')}`);
    for (const id of ids) enrolWithCli(configA, id, path.join(dir, `${id}.key`));
    const hubs: HubProcess[] = [await startHubProcess(configA), await startHubProcess(configB)];
    for (const h of hubs) cleanups.push(() => h.stop());

    const now = Date.now();
    const edges = ids.map((id, i) => {
      const store: Store = openStore(path.join(dir, `${id}.db`), { retentionDays: 30 });
      cleanups.push(() => store.close());
      const v = seedGateCamera(store, 'cam-1', now - 7_200_000);
      seedReads(store, READS, { cameraId: 'cam-1', verdictId: v, from: now - 3_600_000 });
      const secret = readFileSync(path.join(dir, `${id}.key`), 'utf8').trim();
      const forward = { everyMs: 100, batchSize: 25, backoffInitialMs: 200, backoffMaxMs: 1000 };
      const make = (hub: HubProcess) =>
        makeForwarder(store, { hubUrl: hub.url, secret, edgeId: id, forward }).forwarder;
      return { id, store, secret, make, forwarder: make(hubs[i % 2]!) };
    });
    for (const e of edges) e.forwarder.start();

    // Half way, the first four edges move to the other hub (as after a failover).
    await eventually(
      'a quarter forwarded',
      () => edges.slice(0, 4).every((e) => e.forwarder.health().cursors.reads > READS / 4),
      { timeoutMs: 120_000 },
    );
    for (const [i, e] of edges.slice(0, 4).entries()) {
      await e.forwarder.stop();
      e.forwarder = e.make(hubs[(i + 1) % 2]!);
      e.forwarder.start();
    }
    await eventually(
      'every backlog to drain',
      () => edges.every((e) => e.forwarder.health().backlogReads === 0),
      { timeoutMs: 180_000 },
    );
    for (const e of edges) await e.forwarder.stop();

    expect(await pgCount(database.url, 'SELECT count(*) AS n FROM reads')).toBe(EDGES * READS);
    expect(
      await pgCount(
        database.url,
        'SELECT count(*) AS n FROM (SELECT DISTINCT edge_id, edge_read_id FROM reads) d',
      ),
    ).toBe(EDGES * READS);
    expect(
      await pgCount(
        database.url,
        `SELECT count(*) AS n FROM (SELECT edge_id FROM reads GROUP BY edge_id HAVING count(*) = ${READS}) e`,
      ),
    ).toBe(EDGES);
    // Both processes served ingest.
    for (const h of hubs) {
      const metrics = await (await fetch(`${h.url}/metrics`)).text();
      expect(Number(/alpr_hub_ingest_reads_accepted_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
    }

    // The replay store is the database: a request accepted by one hub is a replay at the other.
    const body = Buffer.from('{"reads":[]}');
    const headers = {
      'content-type': 'application/json',
      ...signRequest(parseEdgeSecret(edges[0]!.secret), {
        method: 'POST',
        path: INGEST_PATHS.reads,
        edgeId: edges[0]!.id,
        timestamp: Date.now(),
        body,
      }),
    };
    const post = (h: HubProcess) => fetch(`${h.url}${INGEST_PATHS.reads}`, { method: 'POST', body, headers });
    expect((await post(hubs[0]!)).status).toBe(200);
    const replay = await post(hubs[1]!);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ reason: 'replay' });
  });
});
