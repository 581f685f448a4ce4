// The city's sensitive-site registry at the hub, on both engines: import with `alpr sites import`'s
// validation, one signed, audited, append-only version per change, and GET /api/v1/registry over real
// HTTP with ETag / If-None-Match. The route's edge authenticator here is the test one (the real one is
// the enrolment feature's), checking the protocol's signature.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { edgeRequestSigner } from '../../../edge/compliance/hub-request-signer.js';
import { healthFeature } from '../../../hub/health.feature.js';
import { type HubRuntime, startHub } from '../../../hub/hub-runtime.js';
import { registryFeature } from '../../../hub/registry/registry.feature.js';
import { SiteRegistryService } from '../../../hub/registry/site-registry.service.js';
import { AuditKind } from '../../../shared/audit/audit-log.js';
import { parsePublicKey } from '../../../shared/audit/signed-head.js';
import { parseConfig } from '../../../shared/config/load-config.js';
import { verifySignedRegistry } from '../../../shared/crypto/signed-registry.js';
import { testEdgeAuthFeature } from '../../support/edge-test-auth.js';
import {
  circleSite,
  entrance,
  featureCollection,
  polygonSite,
  square,
} from '../../support/geofence-factories.js';
import { createPgDatabase, HUB_ENGINES } from '../../support/hub-db.js';
import { auditPayloads, count, silentLogger } from '../../support/hub-retention.js';
import { tempDir } from '../../support/temp-dir.js';

const SECRET = Buffer.alloc(32, 7);
const sites = (extra: unknown[] = []) =>
  JSON.stringify(
    featureCollection([
      polygonSite([square(100, 100, 20)], {
        id: 'clinic-1',
        category: 'reproductive_health',
        name: 'Clinic A',
      }),
      entrance('clinic-1', [100, 80]),
      ...extra,
    ]),
  );

let runtime: HubRuntime | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await runtime?.shutdown.run('test done');
  runtime = undefined;
  for (const c of cleanups.splice(0)) await c();
});

async function hub(engine: 'pglite' | 'postgres'): Promise<HubRuntime> {
  const dir = tempDir('alpr-hub-registry-');
  let databaseUrl: string | undefined;
  if (engine === 'postgres') {
    const database = await createPgDatabase('registry');
    cleanups.push(() => database.drop());
    databaseUrl = database.url;
  }
  const parsed = parseConfig(
    { hub: { dataDir: path.join(dir, 'hub'), ...(databaseUrl && { databaseUrl }) } },
    dir,
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  runtime = await startHub(parsed.value, {
    logger: silentLogger,
    port: 0,
    features: [healthFeature, registryFeature, testEdgeAuthFeature({ 'edge-01': SECRET })],
  });
  return runtime;
}

const serviceOf = (r: HubRuntime) => new SiteRegistryService(r.db, r.context.audit, r.context.keys.signing);

async function get(r: HubRuntime, headers: Record<string, string> = {}, signed = true) {
  const sign = edgeRequestSigner('edge-01', SECRET);
  return fetch(`${r.url}/api/v1/registry`, {
    headers: {
      ...(signed ? sign({ method: 'GET', path: '/api/v1/registry', body: new Uint8Array() }) : {}),
      ...headers,
    },
  });
}

describe.each(HUB_ENGINES)('city registry at the hub on %s', (engine) => {
  it('refuses an invalid registry naming each problem, and stores nothing', async () => {
    const r = await hub(engine);
    const bad = JSON.stringify(
      featureCollection([
        {
          type: 'Feature',
          properties: { id: 'x', category: 'casino' },
          geometry: { type: 'Point', coordinates: [0, 0] },
        },
      ]),
    );
    const result = await serviceOf(r).import(bad, { importedBy: 'planner.kim', now: Date.now() });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems[0]).toMatchObject({ path: expect.stringContaining('features[0]') });
    expect(await count(r.db, 'site_registry_versions')).toBe(0);
    expect(await count(r.db, 'audit_events')).toBe(0);
  });

  it('keeps every version signed, audited and append-only; an identical import changes nothing', async () => {
    const r = await hub(engine);
    const service = serviceOf(r);
    const first = await service.import(sites(), { importedBy: 'planner.kim', now: Date.now() });
    expect(first).toMatchObject({ ok: true, changed: true, previousVersion: null });
    expect(await service.import(sites(), { importedBy: 'planner.kim', now: Date.now() })).toMatchObject({
      ok: true,
      changed: false,
    });
    const second = await service.import(sites([circleSite(-300, 0, 20, { id: 'temple-1' })]), {
      importedBy: 'planner.kim',
      now: Date.now(),
    });
    if (!first.ok || !first.changed || !second.ok || !second.changed) throw new Error('imports failed');
    expect(second.previousVersion).toBe(first.record.version);

    const history = await service.history();
    expect(history.map((v) => v.seq)).toEqual([second.record.seq, first.record.seq]);
    const publicKey = parsePublicKey(r.context.keys.signing.publicKeyBase64);
    for (const v of history) expect(verifySignedRegistry(JSON.parse(v.envelope), publicKey).ok).toBe(true);
    expect(history[0]!.envelope).not.toContain('Clinic A');
    expect(await service.namedRegistry(first.record.seq)).toMatchObject({
      features: expect.arrayContaining([
        expect.objectContaining({ properties: expect.objectContaining({ name: 'Clinic A' }) }),
      ]),
    });

    const audited = await auditPayloads(r.db, AuditKind.sitesImported);
    expect(audited.map((p) => p.registrySeq)).toEqual([first.record.seq, second.record.seq]);
    expect(JSON.stringify(audited)).not.toContain('Clinic A');
    await expect(r.db.exec('UPDATE site_registry_versions SET sites = 0')).rejects.toThrow(/append-only/);
    await expect(r.db.exec('DELETE FROM site_registry_versions')).rejects.toThrow(/append-only/);
    await expect(r.db.exec('TRUNCATE site_registry_versions')).rejects.toThrow(/append-only/);
    expect(await r.context.audit.verify(r.db)).toMatchObject({ ok: true });
  });

  it('refuses a version whose audit entry is missing from its transaction', async () => {
    const r = await hub(engine);
    await expect(
      r.db.query(
        `INSERT INTO site_registry_versions (version, envelope, signed_at, key_id, registry, sites, entrances, counts,
           names_stored, source_sha256, imported_by, imported_at)
         VALUES ($1, '{}', now(), '0123456789abcdef', '{}', 0, 0, '{}', false, $1, 'x', now())`,
        ['a'.repeat(64)],
      ),
    ).rejects.toThrow(/no sites.imported audit entry/);
  });

  it('serves the current version to a signed edge request, with ETag and 304', async () => {
    const r = await hub(engine);
    expect((await get(r, {}, false)).status).toBe(401);
    const none = await get(r);
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({
      error: 'not_found',
      message: expect.stringMatching(/alpr hub sites import/),
    });

    const imported = await serviceOf(r).import(sites(), { importedBy: 'planner.kim', now: Date.now() });
    if (!imported.ok || !imported.changed) throw new Error('import failed');
    const ok = await get(r);
    expect(ok.status).toBe(200);
    const etag = ok.headers.get('etag');
    expect(etag).toBe(`"${imported.record.version}"`);
    const body = await ok.text();
    expect(body).toBe(imported.record.envelope);
    expect(
      verifySignedRegistry(JSON.parse(body), parsePublicKey(r.context.keys.signing.publicKeyBase64)).ok,
    ).toBe(true);

    const notModified = await get(r, { 'if-none-match': etag! });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(etag);
    expect(await notModified.text()).toBe('');
    expect((await get(r, { 'if-none-match': `W/${etag}, "other"` })).status).toBe(304);
    expect((await get(r, { 'if-none-match': '"an-older-version"' })).status).toBe(200);
  });
});
