// The page framework and the planner's pages on both engines, through fastify inject: the site check uses
// the edge gate's verdict code (the numbers on the page are the shared/geofence ones), a role without
// sites.check gets a 403 page, every POST needs the session's CSRF token, user text is escaped, and a
// registry proposal becomes the registry only when an admin other than the proposer approves it.
import { afterEach, describe, expect, it } from 'vitest';
import { HubAuditKind } from '../../../hub/audit/hub-audit-kinds.js';
import { buildHubServer } from '../../../hub/http/hub-server.js';
import { pagesFeature } from '../../../hub/pages/pages.feature.js';
import { siteRegistryService } from '../../../hub/registry/registry.feature.js';
import { RegistryProposalsService } from '../../../hub/registry/registry-proposals.service.js';
import { bearingRangesText, checkCamera } from '../../../shared/geofence/planner-report.js';
import { parseSiteRegistry } from '../../../shared/geofence/site-registry.js';
import { prepareRegistry } from '../../../shared/geofence/verdict.js';
import { at, entrance, featureCollection, polygonSite, square } from '../../support/geofence-factories.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import { openTestHub, type TestHub } from '../../support/hub-ingest.js';
import { auditPayloads, count } from '../../support/hub-retention.js';
import { csrfOf, testUserAuthenticator } from '../../support/page-test-auth.js';

const registryText = (extra: unknown[] = []) =>
  JSON.stringify(
    featureCollection([
      polygonSite([square(0, 60, 15)], {
        id: 'clinic-1',
        category: 'reproductive_health',
        name: 'Clinic <A>',
      }),
      entrance('clinic-1', [0, 45]),
      ...extra,
    ]),
  );

let hub: TestHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

async function pages(engine: 'pglite' | 'postgres') {
  hub = await openTestHub(engine);
  const app = await buildHubServer({
    routes: pagesFeature.routes!(hub.ctx),
    authenticators: [testUserAuthenticator()],
    logger: hub.ctx.logger,
    version: 'test',
    bodyLimitBytes: 1_000_000,
  });
  const registry = siteRegistryService(hub.ctx);
  const h = hub;
  return {
    registry,
    app,
    get: (url: string, role: string, user?: string) =>
      app.inject({
        method: 'GET',
        url,
        headers: { 'x-test-role': role, ...(user ? { 'x-test-user': user } : {}) },
      }),
    post: (url: string, role: string, form: Record<string, string>, user?: string) =>
      app.inject({
        method: 'POST',
        url,
        headers: {
          'x-test-role': role,
          ...(user ? { 'x-test-user': user } : {}),
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams(form).toString(),
      }),
    now: () => h.clock(),
  };
}

describe.each(HUB_ENGINES)('planner pages on %s', (engine) => {
  it('checks a camera with the gate code, draws the map, and refuses other roles', async () => {
    const p = await pages(engine);
    await p.registry.import(registryText(), { importedBy: 'admin.one', now: p.now() });
    const [lng, lat] = at(0, 0);
    const url = `/sites/check?lng=${lng}&lat=${lat}&bearing=0&fov=40&range=80`;
    const res = await p.get(url, 'planner');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    const body = res.body;
    // The same numbers the CLI and the edge gate compute for this camera.
    const parsed = parseSiteRegistry(registryText());
    if (!parsed.ok) throw new Error('fixture registry invalid');
    const { report } = checkCamera(
      {
        position: { lng, lat },
        bearingDeg: 0,
        fovDeg: 40,
        rangeM: 80,
        frameWidthPx: 1920,
        minPlateWidthPx: 40,
        plateWidthM: 0.305,
      },
      prepareRegistry(parsed.registry),
      { ...hub!.ctx.config.sites.bufferM },
      { showNames: true, suggest: true },
    );
    expect(report.compliant).toBe(false);
    expect(body).toContain('Not compliant');
    expect(body).toContain(`${report.violations[0]!.distanceM.toFixed(1)} m`);
    expect(body).toContain(bearingRangesText(report.suggestion!.compliantBearings));
    expect(body).toContain('<svg role="img"');
    expect(body).toContain('Clinic &lt;A&gt;'); // the site name is escaped, never markup
    expect(body).not.toContain('Clinic <A>');
    expect(body).not.toMatch(/<script(?![^>]*\bsrc=)/); // no inline script
    expect(body).not.toMatch(/\sstyle=/); // no inline style (CSP)

    const away = await p.get(`/sites/check?lng=${lng}&lat=${lat}&bearing=180&fov=40&range=20`, 'planner');
    expect(away.body).toContain('Compliant: no sensitive site');

    const bad = await p.get('/sites/check?lng=abc&lat=1&bearing=0', 'planner');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/role="alert"[\s\S]*Longitude must be a number/);

    const investigator = await p.get(url, 'investigator');
    expect(investigator.statusCode).toBe(403);
    expect(investigator.headers['content-type']).toContain('text/html');
    expect(investigator.body).toMatch(/role="alert"[\s\S]*needs sites\.check/);

    const anonymous = await p.app.inject({ method: 'GET', url });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
  });

  it('checks a CSV batch only with the session CSRF token', async () => {
    const p = await pages(engine);
    await p.registry.import(registryText(), { importedBy: 'admin.one', now: p.now() });
    const [lng, lat] = at(0, 0);
    const csv = `id,lng,lat,bearing,fov,range\nnorth,${lng},${lat},0,40,80\nsouth,${lng},${lat},180,40,20\n`;
    const refused = await p.post('/sites/check/batch', 'planner', { csv });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('nothing was changed');
    const foreign = await p.post('/sites/check/batch', 'planner', {
      csv,
      _csrf: csrfOf((await p.get('/sites/check', 'planner', 'other.planner')).body),
    });
    expect(foreign.statusCode).toBe(403); // another session's token is no good
    const token = csrfOf((await p.get('/sites/check', 'planner')).body);
    const ok = await p.post('/sites/check/batch', 'planner', { csv, _csrf: token });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('2 camera(s), 1 not compliant');
    expect(ok.body).toMatch(/<td>north<\/td>[\s\S]*not compliant[\s\S]*<td>south<\/td>[\s\S]*compliant/);
  });

  it('imports a proposal only when another admin approves it, audited', async () => {
    const p = await pages(engine);
    await p.registry.import(registryText(), { importedBy: 'admin.one', now: p.now() });
    const token = csrfOf((await p.get('/sites/proposals', 'planner')).body);
    const next = registryText([polygonSite([square(200, 0, 10)], { id: 'church-1', name: 'Church B' })]);
    const invalid = await p.post('/sites/proposals', 'planner', {
      source: '{"type":"nope"}',
      reason: 'adds <b>x</b> site',
      _csrf: token,
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toMatch(/role="alert"[\s\S]*The proposal was not recorded/);
    expect(invalid.body).toContain('adds &lt;b&gt;x&lt;/b&gt; site');
    const proposed = await p.post('/sites/proposals', 'planner', {
      source: next,
      reason: 'Church B opened on 1st St',
      _csrf: token,
    });
    expect(proposed.statusCode).toBe(303);
    expect(proposed.headers.location).toBe('/sites/proposals?done=proposed');
    expect(await auditPayloads(hub!.ctx.db, HubAuditKind.registryProposed)).toHaveLength(1);
    const before = await p.registry.current();

    const adminPage = (await p.get('/sites/proposals', 'admin')).body;
    const id = /action="\/sites\/proposals\/(\d+)\/decision"/.exec(adminPage)![1]!;
    const forbiddenToPlanner = await p.post(`/sites/proposals/${id}/decision`, 'planner', {
      decision: 'approve',
      _csrf: token,
    });
    expect(forbiddenToPlanner.statusCode).toBe(403);
    const approved = await p.post(`/sites/proposals/${id}/decision`, 'admin', {
      decision: 'approve',
      note: 'checked',
      _csrf: csrfOf(adminPage),
    });
    expect(approved.statusCode).toBe(303);
    const after = await p.registry.current();
    expect(after!.seq).toBe(before!.seq + 1);
    expect(after!.importedBy).toBe('admin.one');
    const decided = await auditPayloads<{ proposalId: number; registrySeq: number }>(
      hub!.ctx.db,
      HubAuditKind.registryProposalApproved,
    );
    expect(decided).toEqual([expect.objectContaining({ proposalId: Number(id), registrySeq: after!.seq })]);
    const history = (await p.get('/sites/proposals', 'planner')).body;
    expect(history).toMatch(/approved by admin\.one/);

    // Self-approval is refused by the service and by the database.
    const service = new RegistryProposalsService(hub!.ctx.db, hub!.ctx.audit, p.registry);
    const mine = await service.propose({
      source: registryText(),
      reason: 'back to the old one',
      by: 'admin.two',
      now: p.now(),
    });
    if (!mine.ok) throw new Error(mine.problems.join('; '));
    await expect(
      service.decide({ id: mine.proposal.id, approve: true, by: 'ADMIN.two', note: '', now: p.now() }),
    ).rejects.toThrow(/other than its proposer/);
    await expect(
      hub!.ctx.db.query(
        `UPDATE registry_proposals SET status = 'rejected', decided_by = proposed_by, decided_at = now() WHERE id = $1`,
        [mine.proposal.id],
      ),
    ).rejects.toThrow(/registry_proposal_not_self/);
    expect(await count(hub!.ctx.db, 'site_registry_versions')).toBe(2);
  });
});
