// The edge following the city registry at a real hub over HTTP: the gate stores under the hub's verified
// registry, follows a new version within one re-check, keeps its last good copy across restarts and
// outages, refuses what does not verify (tampered, replayed, another key), and fails closed once stale.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryComplianceGate } from '../../../edge/compliance/compliance-gate.js';
import { createComplianceGate } from '../../../edge/compliance/gate-from-config.js';
import { edgeRequestSigner } from '../../../edge/compliance/hub-request-signer.js';
import { HubRegistrySource, type HubRegistrySourceOptions } from '../../../edge/compliance/registry-hub.js';
import { healthFeature } from '../../../hub/health.feature.js';
import { type HubRuntime, startHub } from '../../../hub/hub-runtime.js';
import { registryFeature } from '../../../hub/registry/registry.feature.js';
import { SiteRegistryService } from '../../../hub/registry/site-registry.service.js';
import { parsePublicKey } from '../../../shared/audit/signed-head.js';
import { parseConfig } from '../../../shared/config/load-config.js';
import { manualClock } from '../../../shared/runtime/clock.js';
import { openStore, type Store } from '../../../shared/store/store.js';
import { testEdgeAuthFeature } from '../../support/edge-test-auth.js';
import { eventually } from '../../support/eventually.js';
import { makeCameraConfig, T0 } from '../../support/factories.js';
import {
  at,
  DEFAULT_BUFFERS,
  featureCollection,
  makeResolvedCamera,
  polygonSite,
  square,
} from '../../support/geofence-factories.js';
import { createPgDatabase, PG_AVAILABLE } from '../../support/hub-db.js';
import { silentLogger } from '../../support/hub-retention.js';
import { captureLogs } from '../../support/log-capture.js';
import { tempDir } from '../../support/temp-dir.js';

const SECRET = Buffer.alloc(32, 9);
const REEVALUATE_MS = 10_000;
const MAX_STALE_MS = 600_000;
const farChurch = polygonSite([square(2000, 2000, 30)], { id: 'ro-far', name: 'Far Chapel' });
const clinicInView = polygonSite([square(0, 60, 10)], {
  id: 'rh-view',
  category: 'reproductive_health',
  name: 'Clinic',
});

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A hub of its own (on PostgreSQL when there is one: it starts in a fraction of PGlite's time). */
async function hubOnce(): Promise<HubRuntime> {
  const dir = tempDir('alpr-edge-hub-');
  let databaseUrl: string | undefined;
  if (PG_AVAILABLE) {
    const database = await createPgDatabase('edgereg');
    closers.push(() => database.drop());
    databaseUrl = database.url;
  }
  const parsed = parseConfig(
    { hub: { dataDir: path.join(dir, 'hub'), ...(databaseUrl && { databaseUrl }) } },
    dir,
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const runtime = await startHub(parsed.value, {
    logger: silentLogger,
    port: 0,
    features: [healthFeature, registryFeature, testEdgeAuthFeature({ 'edge-01': SECRET })],
  });
  closers.push(() => runtime.shutdown.run('test done'));
  return runtime;
}

let importClock = Date.now();
async function importAtHub(runtime: HubRuntime, features: unknown[]) {
  const service = new SiteRegistryService(runtime.db, runtime.context.audit, runtime.context.keys.signing);
  importClock += 1000;
  const result = await service.import(JSON.stringify(featureCollection(features)), {
    importedBy: 'planner.kim',
    now: importClock,
  });
  if (!result.ok || !result.changed) throw new Error('import did not change the registry');
  return result.record;
}

function edge(
  runtime: HubRuntime,
  overrides: Partial<HubRegistrySourceOptions> = {},
  dir = tempDir('alpr-edge-'),
) {
  const clock = manualClock(T0);
  const store: Store = openStore(path.join(dir, 'alpr.db'), { retentionDays: 30 });
  const source = new HubRegistrySource({
    hubUrl: runtime.url,
    publicKey: parsePublicKey(runtime.context.keys.signing.publicKeyBase64),
    cacheFile: path.join(dir, 'sites.geojson'),
    // Signed with the real clock: the hub checks the timestamp against its own.
    sign: edgeRequestSigner('edge-01', SECRET),
    refreshEveryMs: REEVALUATE_MS,
    timeoutMs: 2000,
    clock,
    ...overrides,
  });
  const gate = new RegistryComplianceGate({
    store,
    registryPath: path.join(dir, 'sites.geojson'),
    buffers: DEFAULT_BUFFERS,
    cameras: [makeResolvedCamera({ id: 'cam-1', bearingDeg: 0, rangeM: 40 })],
    reevaluateEveryMs: REEVALUATE_MS,
    actor: 'edge:edge-01',
    clock,
    watchRegistry: false,
    registry: source,
    staleAfterMs: MAX_STALE_MS,
  });
  source.onUpdate = () => gate.refresh();
  closers.push(() => {
    gate.stop();
    store.close();
  });
  /** One re-check of the gate (its timer's tick), and the fetch it starts. */
  const recheck = async () => {
    clock.advance(REEVALUATE_MS);
    gate.refresh();
    await source.refresh();
  };
  return { dir, clock, store, source, gate, recheck };
}

describe('HubRegistrySource with the compliance gate', () => {
  it('stores under the hub’s registry and follows a new version within one re-check', async () => {
    const runtime = await hubOnce();
    const first = await importAtHub(runtime, [farChurch]);
    const { gate, clock, recheck, store, dir } = edge(runtime);
    expect(gate.decide('cam-1', clock())).toMatchObject({ allow: false, reason: 'pending' });
    await recheck();
    expect(gate.decide('cam-1', clock())).toMatchObject({ allow: true });
    expect(gate.status().registry).toMatchObject({ status: 'ok', version: first.version });
    // The copy on disk is the registry as GeoJSON (planner commands read it) beside its signed form.
    expect(JSON.parse(readFileSync(path.join(dir, 'sites.geojson'), 'utf8'))).toMatchObject({
      type: 'FeatureCollection',
    });
    expect(readFileSync(path.join(dir, 'sites.geojson.signed.json'), 'utf8')).toBe(first.envelope);

    const second = await importAtHub(runtime, [farChurch, clinicInView]);
    await recheck();
    expect(gate.decide('cam-1', clock())).toMatchObject({ allow: false, reason: 'non_compliant' });
    const verdict = store.db
      .prepare('SELECT registry_version, compliant FROM compliance_verdicts ORDER BY id DESC LIMIT 1')
      .get() as { registry_version: string; compliant: number };
    expect(verdict).toEqual({ registry_version: second.version, compliant: 0 });
  });

  it('keeps the last good copy through a hub outage, then refuses every read once stale', async () => {
    const runtime = await hubOnce();
    await importAtHub(runtime, [farChurch]);
    const { gate, clock, recheck } = edge(runtime);
    await recheck();
    expect(gate.decide('cam-1', clock())).toMatchObject({ allow: true });
    await runtime.shutdown.run('hub down');
    await recheck();
    expect(gate.decide('cam-1', clock())).toMatchObject({ allow: true });
    clock.advance(MAX_STALE_MS);
    gate.refresh();
    expect(gate.decide('cam-1', clock())).toMatchObject({ allow: false, reason: 'stale' });
  });

  it('starts from its verified copy after a restart, and refuses a copy altered on disk', async () => {
    const runtime = await hubOnce();
    await importAtHub(runtime, [farChurch]);
    const first = edge(runtime);
    await first.recheck();
    const restarted = edge(runtime, {}, first.dir);
    restarted.gate.refresh();
    expect(restarted.source.state).toMatchObject({ status: 'ok' });
    expect(restarted.gate.decide('cam-1', restarted.clock())).toMatchObject({ allow: true });

    const file = path.join(first.dir, 'sites.geojson.signed.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"ro-far"', '"ro-moved"'));
    const logs = captureLogs('error');
    const tampered = edge(runtime, { logger: logs.logger }, first.dir);
    expect(tampered.source.state).toEqual({ status: 'not_loaded' });
    expect(logs.entries('kept registry copy refused')[0]).toMatchObject({
      reason: expect.stringMatching(/does not verify/),
    });
  });

  it('never uses a registry that does not verify: altered in transit, replayed, or under another key', async () => {
    const runtime = await hubOnce();
    const old = await importAtHub(runtime, [farChurch]);
    const current = await importAtHub(runtime, [farChurch, clinicInView]);
    // A network path that moves the clinic out of view: the signature no longer matches.
    const altering: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const body = (await response.text()).replace('"rh-view"', '"rh-elsewhere"');
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const altered = edge(runtime, { fetch: altering });
    await altered.recheck();
    expect(altered.source.state).toMatchObject({
      status: 'invalid',
      detail: expect.stringMatching(/does not verify/),
    });
    expect(altered.gate.decide('cam-1', altered.clock())).toMatchObject({
      allow: false,
      reason: 'registry_error',
    });

    // An old, validly signed version replayed to an edge that has the current one: refused, kept current.
    const edgeB = edge(runtime);
    await edgeB.recheck();
    const replaying = edge(
      runtime,
      { fetch: async () => new Response(old.envelope, { status: 200 }) },
      edgeB.dir,
    );
    await replaying.recheck();
    expect(replaying.source.state).toMatchObject({ status: 'ok', version: current.version });

    const otherKey = edge(runtime, { publicKey: parsePublicKey(Buffer.alloc(32, 1).toString('base64')) });
    await otherKey.recheck();
    expect(otherKey.source.state).toMatchObject({
      status: 'invalid',
      detail: expect.stringMatching(/not by the hub key/),
    });
  });

  it('refuses to store while the hub has no registry', async () => {
    const runtime = await hubOnce();
    const { gate, clock, recheck } = edge(runtime);
    await recheck();
    expect(gate.decide('cam-1', clock())).toMatchObject({
      allow: false,
      reason: 'registry_error',
      detail: expect.stringMatching(/404/),
    });
  });

  it('is what createComplianceGate uses when sites.hub is configured', async () => {
    const runtime = await hubOnce();
    await importAtHub(runtime, [farChurch]);
    const dir = tempDir('alpr-edge-config-');
    const keyFile = path.join(dir, 'edge.key');
    writeFileSync(keyFile, `${SECRET.toString('base64url')}\n`);
    chmodSync(keyFile, 0o600);
    const parsed = parseConfig(
      {
        node: { id: 'edge-01' },
        cameras: [
          makeCameraConfig({
            id: 'cam-1',
            position: { lng: at(0, 0)[0], lat: at(0, 0)[1] },
            bearingDeg: 0,
            rangeM: 40,
          }),
        ],
        sites: {
          registryPath: './sites.geojson',
          hub: {
            url: runtime.url,
            publicKey: runtime.context.keys.signing.publicKeyBase64,
            edgeKeyPath: './edge.key',
          },
        },
      },
      dir,
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const store = openStore(path.join(dir, 'alpr.db'), { retentionDays: 30 });
    const clock = manualClock(Date.now());
    const gate = createComplianceGate(parsed.value.config, store, { clock });
    closers.push(() => {
      gate.stop();
      store.close();
    });
    expect(gate.staleAfterMs).toBe(600_000);
    gate.start();
    await eventually("gate.decide('cam-1', clock()).allow", () => gate.decide('cam-1', clock()).allow);
    expect(readFileSync(path.join(dir, 'sites.geojson.signed.json'), 'utf8')).toContain('"signature"');
  });
});
