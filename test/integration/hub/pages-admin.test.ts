// The admin pages over real ingest: an edge that forwarded reads shows its forwarding status to an admin
// of its agency only (AC-02), disabling it from the page is CSRF-checked and audited, and the agencies
// page refuses a non-California or federal agency (SH-01) with an accessible message.
import { afterEach, describe, expect, it } from 'vitest';
import { HubAuditKind } from '../../../hub/audit/hub-audit-kinds.js';
import { buildHubServer } from '../../../hub/http/hub-server.js';
import { pagesFeature } from '../../../hub/pages/pages.feature.js';
import { INGEST_PATHS } from '../../../shared/forward/wire.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import {
  edgePost,
  enrolTestEdge,
  HUB_T0,
  openTestHub,
  type TestHub,
  wireCamera,
  wireReads,
  wireVerdict,
} from '../../support/hub-ingest.js';
import { auditPayloads } from '../../support/hub-retention.js';
import { csrfOf, testUserAuthenticator } from '../../support/page-test-auth.js';

let hub: TestHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

describe.each(HUB_ENGINES)('admin pages on %s', (engine) => {
  it('shows forwarding status to its own agency, disables an edge, refuses a federal agency', async () => {
    hub = await openTestHub(engine);
    const secret = await enrolTestEdge(hub);
    const call = { edgeId: 'edge-01', secret };
    const cams = await edgePost(
      hub,
      INGEST_PATHS.cameras,
      { cameras: [wireCamera()], verdicts: [wireVerdict()] },
      call,
    );
    expect(cams.statusCode).toBe(200);
    const sent = await edgePost(
      hub,
      INGEST_PATHS.reads,
      { reads: wireReads(3), status: { backlogReads: 4, oldestUnforwardedAt: HUB_T0 - 5000 } },
      call,
    );
    expect(sent.statusCode).toBe(200);
    const app = await buildHubServer({
      routes: pagesFeature.routes!(hub.ctx),
      authenticators: [testUserAuthenticator()],
      logger: hub.ctx.logger,
      version: 'test',
      bodyLimitBytes: 1_000_000,
    });
    const home = (
      await hub.ctx.db.query<{ id: number }>("SELECT id FROM agencies WHERE ori = 'CA0430100'")
    )[0]!.id;
    const as = (agency: number) => ({ 'x-test-role': 'admin', 'x-test-agency': String(agency) });
    const page = await app.inject({ method: 'GET', url: '/admin/edges', headers: as(home) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<td>edge-01[\s\S]*forwarding[\s\S]*<td>3 \/ 0 \/ 0<\/td>\s*<td>4<\/td>/);
    const other = await app.inject({ method: 'GET', url: '/admin/edges', headers: as(home + 100) });
    expect(other.body).not.toContain('edge-01');

    const disabled = await app.inject({
      method: 'POST',
      url: '/admin/edges/edge-01/disable',
      headers: { ...as(home), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ reason: 'box stolen', _csrf: csrfOf(page.body) }).toString(),
    });
    expect(disabled.statusCode).toBe(303);
    expect(await auditPayloads(hub.ctx.db, HubAuditKind.edgeDisabled)).toEqual([
      expect.objectContaining({ edgeId: 'edge-01', reason: 'box stolen' }),
    ]);
    const refusedRead = await edgePost(hub, INGEST_PATHS.reads, { reads: wireReads(1, 10) }, call);
    expect(refusedRead.statusCode).toBe(401);

    const agencies = await app.inject({ method: 'GET', url: '/admin/agencies', headers: as(home) });
    const post = (form: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/admin/agencies',
        headers: { ...as(home), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...form, _csrf: csrfOf(agencies.body) }).toString(),
      });
    const federal = await post({ ori: 'DCFBIWA00', name: 'Federal Bureau', type: 'federal' });
    expect(federal.statusCode).toBe(400);
    expect(federal.body).toMatch(/role="alert"[\s\S]*The agency was not added/);
    const ok = await post({ ori: 'CA0430200', name: 'Santa Clara County Sheriff', type: 'local_le' });
    expect(ok.statusCode).toBe(303);
    const list = await app.inject({ method: 'GET', url: '/admin/agencies?done=added', headers: as(home) });
    expect(list.body).toContain('Santa Clara County Sheriff');
    expect(list.body).not.toContain('Federal Bureau');
  });
});
