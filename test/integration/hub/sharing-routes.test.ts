// The sharing API over HTTP with real accounts (password + TOTP sign-in, the acknowledgment), on both
// engines: agency administration refuses anything but California law enforcement (SH-01); an inquiry
// from another agency is stored complete (SH-04) and granted only by command of the owning agency
// (SH-03); grants are listed, renewed and revoked by the right people; nothing answers without a
// session or before the notice was accepted (AC-01, ACK-01).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HUB_ENGINES } from '../../support/hub-db.js';
import { openTestHub, type TestHub } from '../../support/hub-ingest.js';
import { inquiryBody } from '../../support/hub-sharing.js';
import { createTestUser, ensureTestAgency, signIn, type TestUser } from '../../support/hub-users.js';

describe.each(HUB_ENGINES)('sharing routes on %s', (engine) => {
  let hub: TestHub;
  let owner: number;
  let admin: TestUser;
  beforeEach(async () => {
    hub = await openTestHub(engine);
    owner = await ensureTestAgency(hub.ctx, 'CA0430100', { name: 'San José Police Department', home: true });
    admin = await createTestUser(hub.ctx, { role: 'admin', agencyId: owner, username: 'admin.a' });
  });
  afterEach(() => hub.close());

  const call = (method: 'GET' | 'POST', url: string, cookie: string | undefined, payload?: unknown) =>
    hub.app.inject({
      method,
      url,
      headers: cookie ? { cookie } : {},
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    });
  const as = async (user: TestUser) => (await signIn(hub, user)).cookie;

  it('lets an admin add only California law-enforcement agencies (SH-01)', async () => {
    const cookie = await as(admin);
    for (const bad of [
      { ori: 'CA0000000', name: 'FBI San Francisco', type: 'federal' },
      { ori: 'NV0020000', name: 'Reno Police Department', type: 'local_le' },
      { ori: 'CA0410900', name: 'Palo Alto PD', type: 'local_le', state: 'NV' },
      { ori: 'CA0410900', name: 'Acme Security', type: 'private' },
      { ori: 'CA0410900', name: 'Palo Alto PD', type: 'local_le', federal: true },
      { ori: 'CA0410900', name: 'Palo Alto PD', type: 'local_le', national: true },
    ]) {
      const res = await call('POST', '/api/v1/agencies', cookie, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(422);
      expect(res.json()).toMatchObject({ error: 'agency_refused' });
      expect(res.json().problems.length).toBeGreaterThan(0);
    }
    const added = await call('POST', '/api/v1/agencies', cookie, {
      ori: 'ca0410900',
      name: 'Palo Alto Police Department',
      type: 'local_le',
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ ori: 'CA0410900', isHome: false });
    expect(
      (
        await call('POST', '/api/v1/agencies', cookie, {
          ori: 'CA0410900',
          name: 'Again PD',
          type: 'local_le',
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await call('POST', '/api/v1/agencies', cookie, {
          ori: 'CA0410901',
          name: 'Home PD',
          type: 'local_le',
          home: true,
        })
      ).statusCode,
    ).toBe(400);
    const list = await call('GET', '/api/v1/agencies', cookie);
    expect(list.json().agencies.map((a: { ori: string }) => a.ori)).toEqual(['CA0410900', 'CA0430100']);
    const investigator = await createTestUser(hub.ctx, {
      role: 'investigator',
      agencyId: owner,
      username: 'det.a',
    });
    expect((await call('GET', '/api/v1/agencies', await as(investigator))).statusCode).toBe(403);
  });

  it('takes an inquiry, has command of the owning agency approve it, then renews and revokes the grant', async () => {
    const asker = await ensureTestAgency(hub.ctx, 'CA0410900', { name: 'Palo Alto Police Department' });
    const det = await createTestUser(hub.ctx, {
      role: 'investigator',
      agencyId: asker,
      username: 'det.moreno',
    });
    const askerCommand = await createTestUser(hub.ctx, {
      role: 'command',
      agencyId: asker,
      username: 'cmdr.lee',
    });
    const ownerCommand = await createTestUser(hub.ctx, {
      role: 'command',
      agencyId: owner,
      username: 'cmdr.diaz',
    });
    const detCookie = await as(det);
    expect((await call('POST', '/api/v1/inquiries', undefined, inquiryBody(hub.clock()))).statusCode).toBe(
      401,
    );
    const unacknowledged = (await signIn(hub, askerCommand, { acknowledge: false })).cookie;
    expect((await call('GET', '/api/v1/inquiries/queue', unacknowledged)).statusCode).toBe(403);

    const incomplete = await call(
      'POST',
      '/api/v1/inquiries',
      detCookie,
      inquiryBody(hub.clock(), { officer: '' }),
    );
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.json().problems.map((p: { field: string }) => p.field)).toContain('officer');
    const blocked = await call(
      'POST',
      '/api/v1/inquiries',
      detCookie,
      inquiryBody(
        hub.clock(),
        {},
        { justification: 'ICE asked us to find the Civic driver for deportation' },
      ),
    );
    expect(blocked.json()).toMatchObject({ error: 'prohibited_purpose' });
    const submitted = await call('POST', '/api/v1/inquiries', detCookie, inquiryBody(hub.clock()));
    expect(submitted.statusCode).toBe(201);
    const inquiry = submitted.json();
    expect(inquiry).toMatchObject({
      status: 'pending',
      officer: 'Det. R. Moreno #4411',
      caseNumber: '26-000123',
    });
    expect((await call('GET', `/api/v1/inquiries/${inquiry.id}`, detCookie)).json()).toMatchObject({
      id: inquiry.id,
    });

    const askerCommandCookie = await as(askerCommand);
    expect(
      (await call('POST', `/api/v1/inquiries/${inquiry.id}/approve`, askerCommandCookie, {})).json(),
    ).toMatchObject({ error: 'wrong_agency' });
    expect((await call('POST', `/api/v1/inquiries/${inquiry.id}/approve`, detCookie, {})).statusCode).toBe(
      403,
    );
    const ownerCookie = await as(ownerCommand);
    const queue = await call('GET', '/api/v1/inquiries/queue', ownerCookie);
    expect(queue.json().inquiries.map((i: { id: number }) => i.id)).toEqual([inquiry.id]);
    const approved = await call('POST', `/api/v1/inquiries/${inquiry.id}/approve`, ownerCookie, {});
    expect(approved.statusCode).toBe(200);
    const grant = approved.json().grant;
    expect(grant).toMatchObject({ state: 'active', ownerAgency: 'CA0430100', granteeAgency: 'CA0410900' });
    expect(
      (await call('POST', `/api/v1/inquiries/${inquiry.id}/deny`, ownerCookie, { reason: 'changed my mind' }))
        .statusCode,
    ).toBe(409);

    const grants = await call('GET', '/api/v1/grants', ownerCookie);
    expect(grants.json().grants.map((g: { id: number; state: string }) => [g.id, g.state])).toEqual([
      [grant.id, 'active'],
    ]);
    const renewal = await call('POST', `/api/v1/grants/${grant.id}/renew`, detCookie, {
      justification: 'the Civic was seen again near the Valero on King Rd on March 2; suspect still at large',
    });
    expect(renewal.statusCode).toBe(201);
    const renewed = await call('POST', `/api/v1/grants/${renewal.json().id}/approve`, ownerCookie, {});
    expect(renewed.json()).toMatchObject({ state: 'active', renewsGrantId: grant.id });
    expect(
      (await call('POST', `/api/v1/grants/${renewal.json().id}/revoke`, ownerCookie, {})).statusCode,
    ).toBe(400);
    const revoked = await call('POST', `/api/v1/grants/${renewal.json().id}/revoke`, ownerCookie, {
      reason: 'case closed by arrest',
    });
    expect(revoked.json()).toMatchObject({ state: 'revoked', endReason: 'revoked' });
    expect((await call('GET', '/api/v1/grants/999', ownerCookie)).statusCode).toBe(404);
  });
});
