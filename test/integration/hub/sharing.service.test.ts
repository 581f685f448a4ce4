// Inquiries and grants at the service level, on both engines: complete and screened inquiries only
// (SH-04, SH-08), command approval by someone else of the owning agency (SH-03), grants that expire and
// renew only with a fresh justification (SH-05), every change audited with before/after (SH-06), and
// the database refusing what the code must never do (SH-01, SH-03).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HttpError } from '../../../hub/http/http-errors.js';
import {
  decideRenewal,
  listGrants,
  requestRenewal,
  revokeGrant,
} from '../../../hub/sharing/grant.service.js';
import { searchableAgencyIdsFor } from '../../../hub/sharing/grants.repository.js';
import {
  decideInquiry,
  getInquiry,
  listInquiries,
  submitInquiry,
} from '../../../hub/sharing/inquiry.service.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import { openTestHub, type TestHub } from '../../support/hub-ingest.js';
import {
  addSharingAgencies,
  inquiryBody,
  type SharingAgencies,
  sharingPeople,
} from '../../support/hub-sharing.js';

const DAY = 86_400_000;
const err = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as HttpError,
  );
const payloads = async (hub: TestHub, kind: string) =>
  (await hub.ctx.audit.list(hub.ctx.db, { kind })).map((r) => JSON.parse(r.payload));

describe.each(HUB_ENGINES)('sharing services on %s', (engine) => {
  let hub: TestHub;
  let agencies: SharingAgencies;
  let people: ReturnType<typeof sharingPeople>;
  beforeEach(async () => {
    hub = await openTestHub(engine);
    agencies = await addSharingAgencies(hub.ctx);
    people = sharingPeople(agencies);
  });
  afterEach(() => hub.close());

  const approved = async () => {
    const inquiry = await submitInquiry(hub.ctx, people.asker, inquiryBody(hub.clock()));
    const decided = await decideInquiry(hub.ctx, people.ownerCommand, inquiry.id, { decision: 'approve' });
    return { inquiry, grant: decided.grant! };
  };

  it('refuses an incomplete inquiry naming each missing field, storing nothing (SH-04)', async () => {
    for (const [body, field] of [
      [inquiryBody(hub.clock(), { officer: '' }), 'officer'],
      [inquiryBody(hub.clock(), {}, { caseNumber: undefined }), 'search.caseNumber'],
      [inquiryBody(hub.clock(), {}, { crimeType: undefined }), 'search.crimeType'],
      [inquiryBody(hub.clock(), {}, { justification: 'investigation' }), 'search.justification'],
      [inquiryBody(hub.clock(), { agency: undefined }), 'agency'],
    ] as const) {
      const e = await err(submitInquiry(hub.ctx, people.asker, body));
      expect(e?.status).toBe(422);
      expect(((e?.details?.problems ?? []) as { field: string }[]).map((p) => p.field)).toContain(field);
    }
    expect(await hub.ctx.db.query('SELECT 1 FROM inquiries')).toHaveLength(0);
    const refusals = await payloads(hub, 'inquiry.submitted');
    expect(refusals).toHaveLength(5);
    expect(refusals.every((p) => p.outcome === 'refused')).toBe(true);
  });

  it('blocks an immigration inquiry with a compliance alert (SH-08), and stores the fields of a valid one (SH-04)', async () => {
    const e = await err(
      submitInquiry(
        hub.ctx,
        people.asker,
        inquiryBody(
          hub.clock(),
          {},
          { justification: 'I.C.E. detainer request, removal of a visa overstay from the Civic' },
        ),
      ),
    );
    expect(e).toMatchObject({ status: 422, code: 'prohibited_purpose' });
    expect((await payloads(hub, 'compliance.alert'))[0]).toMatchObject({
      category: 'immigration',
      outcome: 'blocked',
    });
    expect(await hub.ctx.db.query('SELECT kind, category FROM compliance_alerts')).toEqual([
      { kind: 'inquiry.blocked', category: 'immigration' },
    ]);
    const inquiry = await submitInquiry(hub.ctx, people.asker, inquiryBody(hub.clock()));
    expect(inquiry).toMatchObject({
      status: 'pending',
      requestingAgency: 'CA0410900',
      ownerAgency: 'CA0430100',
      officer: 'Det. R. Moreno #4411',
      crimeType: 'robbery',
      caseNumber: '26-000123',
    });
    const [entry] = await payloads(hub, 'inquiry.submitted');
    expect(entry).toMatchObject({
      outcome: 'pending',
      caseNumber: '26-000123',
      crimeType: 'robbery',
      purpose: inquiry.justification,
      detail: { requestingAgency: 'CA0410900', officer: 'Det. R. Moreno #4411', inquiryId: inquiry.id },
    });
    expect(entry.query).toMatchObject({ plate: '7ABC123', mode: 'exact' });
    // The table refuses a row missing a field, whatever the code does.
    await expect(
      hub.ctx.db.query("UPDATE inquiries SET officer = '' WHERE id = $1", [inquiry.id]),
    ).rejects.toThrow(/check constraint/);
  });

  it('activates nothing until command of the owning agency, not the requester, approves (SH-03)', async () => {
    const inquiry = await submitInquiry(hub.ctx, people.asker, inquiryBody(hub.clock()));
    expect(await searchableAgencyIdsFor(hub.ctx.db, agencies.asker, hub.clock())).toEqual([agencies.asker]);
    const sameName = { ...people.ownerCommand, username: ' DET.MORENO' };
    for (const [who, code] of [
      [people.ownerSupervisor, 'approver_not_permitted'],
      [people.askerCommand, 'wrong_agency'],
      [people.thirdCommand, 'not_found'],
      [sameName, 'self_approval'],
    ] as const) {
      const e = await err(decideInquiry(hub.ctx, who, inquiry.id, { decision: 'approve' }));
      expect(e?.code).toBe(code);
    }
    expect((await getInquiry(hub.ctx.db, people.asker, inquiry.id)).status).toBe('pending');
    expect(await hub.ctx.db.query('SELECT 1 FROM access_grants')).toHaveLength(0);
    const { grant } = await decideInquiry(hub.ctx, people.ownerCommand, inquiry.id, { decision: 'approve' });
    expect(grant).toMatchObject({
      state: 'active',
      approvedBy: 'cmdr.diaz',
      expiresAt: hub.clock() + 90 * DAY,
    });
    expect(await searchableAgencyIdsFor(hub.ctx.db, agencies.asker, hub.clock())).toEqual([
      agencies.asker,
      agencies.owner,
    ]);
    // The third agency sees neither the inquiry nor a wider scope (AC-02).
    expect(await listInquiries(hub.ctx.db, people.thirdInvestigator)).toEqual([]);
    expect(await searchableAgencyIdsFor(hub.ctx.db, agencies.third, hub.clock())).toEqual([agencies.third]);
    const approvals = await payloads(hub, 'inquiry.approved');
    expect(approvals.map((p) => p.outcome).sort()).toEqual(['approved', 'refused', 'refused', 'refused']);
    // The database refuses self-approval and a share without an approved grant, whatever the code does.
    await expect(
      hub.ctx.db.query('UPDATE access_grants SET approved_key = requested_key WHERE id = $1', [grant!.id]),
    ).rejects.toThrow(/check constraint/);
    await expect(
      hub.ctx.db.query(
        `INSERT INTO agency_shares (owner_agency_id, grantee_agency_id, grantee_type, grant_id, expires_at, created_at)
         VALUES ($1, $2, 'state_le', NULL, now() + interval '1 day', now())`,
        [agencies.owner, agencies.third],
      ),
    ).rejects.toThrow(/share refused/);
  });

  it('denies with a reason, and a decided inquiry cannot be decided again', async () => {
    const inquiry = await submitInquiry(hub.ctx, people.asker, inquiryBody(hub.clock()));
    expect(
      (await err(decideInquiry(hub.ctx, people.ownerCommand, inquiry.id, { decision: 'deny' })))?.status,
    ).toBe(400);
    const { inquiry: denied } = await decideInquiry(hub.ctx, people.ownerCommand, inquiry.id, {
      decision: 'deny',
      reason: 'no nexus to our jurisdiction',
    });
    expect(denied.status).toBe('denied');
    expect(
      (await err(decideInquiry(hub.ctx, people.ownerCommand, inquiry.id, { decision: 'approve' })))?.status,
    ).toBe(409);
    expect((await payloads(hub, 'inquiry.denied'))[0]).toMatchObject({
      outcome: 'denied',
      user: 'cmdr.diaz',
    });
  });

  it('expires a grant after 90 days and renews it only with a fresh justification, approved again (SH-05, SH-06)', async () => {
    const { grant } = await approved();
    hub.clock.advance(91 * DAY);
    expect(await searchableAgencyIdsFor(hub.ctx.db, agencies.asker, hub.clock())).toEqual([agencies.asker]);
    const stale = await err(
      requestRenewal(hub.ctx, people.asker, grant.id, { justification: grant.justification }),
    );
    expect(stale).toMatchObject({ status: 422, code: 'invalid_renewal' });
    expect(JSON.stringify(stale?.details)).toMatch(/stale_justification/);
    const blocked = await err(
      requestRenewal(hub.ctx, people.asker, grant.id, {
        justification: 'deportation of the Civic driver for ICE, case still open',
      }),
    );
    expect(blocked?.code).toBe('prohibited_purpose');
    expect(
      (await err(requestRenewal(hub.ctx, people.ownerCommand, grant.id, { justification: 'x'.repeat(30) })))
        ?.status,
    ).toBe(403);
    const renewal = await requestRenewal(hub.ctx, people.asker, grant.id, {
      justification: 'the Civic was seen again at the Valero on King Rd on March 2; suspect still at large',
    });
    expect(renewal).toMatchObject({ state: 'pending', renewsGrantId: grant.id });
    expect(await searchableAgencyIdsFor(hub.ctx.db, agencies.asker, hub.clock())).toEqual([agencies.asker]);
    expect(
      (await err(decideRenewal(hub.ctx, people.askerCommand, renewal.id, { decision: 'approve' })))?.code,
    ).toBe('wrong_agency');
    const active = await decideRenewal(hub.ctx, people.ownerCommand, renewal.id, { decision: 'approve' });
    expect(active).toMatchObject({ state: 'active', expiresAt: hub.clock() + 90 * DAY });
    expect(await searchableAgencyIdsFor(hub.ctx.db, agencies.asker, hub.clock())).toEqual([
      agencies.asker,
      agencies.owner,
    ]);
    const grants = await listGrants(hub.ctx, people.ownerCommand);
    expect(grants.map((g) => [g.id, g.state, g.endReason])).toEqual([
      [renewal.id, 'active', null],
      [grant.id, 'revoked', 'renewed'],
    ]);
    const changes = await payloads(hub, 'grant.changed');
    const renewed = changes.find((p) => p.category === 'renewed');
    expect(renewed.detail.before).toMatchObject({ id: grant.id });
    expect(renewed.detail.after).toMatchObject({ id: renewal.id, state: 'active' });
    expect(renewed.detail.approvalId).toBeTypeOf('number');
    expect(changes.find((p) => p.category === 'created').detail).toMatchObject({
      before: null,
      after: { id: grant.id },
    });
  });

  it('revokes at once (owner command only), removing the share with the grant (SH-06)', async () => {
    const { grant } = await approved();
    expect(
      (await err(revokeGrant(hub.ctx, people.askerCommand, grant.id, { reason: 'case closed' })))?.code,
    ).toBe('wrong_agency');
    const revoked = await revokeGrant(hub.ctx, people.ownerCommand, grant.id, {
      reason: 'case closed by arrest',
    });
    expect(revoked).toMatchObject({ state: 'revoked', endReason: 'revoked', endedBy: 'cmdr.diaz' });
    expect(await hub.ctx.db.query('SELECT 1 FROM agency_shares')).toHaveLength(0);
    expect(await searchableAgencyIdsFor(hub.ctx.db, agencies.asker, hub.clock())).toEqual([agencies.asker]);
    const entry = (await payloads(hub, 'grant.changed')).find((p) => p.category === 'revoked');
    expect(entry.detail).toMatchObject({
      before: { state: 'active' },
      after: { state: 'revoked' },
      reason: 'case closed by arrest',
    });
  });

  it('makes a federal, out-of-state or private grantee impossible in the database (SH-01)', async () => {
    await expect(
      hub.ctx.db.query("UPDATE agencies SET agency_type = 'federal' WHERE id = $1", [agencies.third]),
    ).rejects.toThrow(/check constraint/);
    await expect(
      hub.ctx.db.query("UPDATE agencies SET name = 'FBI San Francisco' WHERE id = $1", [agencies.third]),
    ).rejects.toThrow(/agencies_not_federal/);
    const { grant } = await approved();
    // Even with the agencies table's own checks dropped, a grantee row cannot turn out-of-state or private.
    await hub.ctx.db.exec('ALTER TABLE agencies DROP CONSTRAINT agencies_state_check');
    await expect(
      hub.ctx.db.query("UPDATE agencies SET state = 'NV' WHERE id = $1", [agencies.asker]),
    ).rejects.toThrow(/foreign key/);
    await expect(
      hub.ctx.db.query("UPDATE access_grants SET grantee_state = 'NV' WHERE id = $1", [grant.id]),
    ).rejects.toThrow(/check constraint/);
    await expect(
      hub.ctx.db.query(
        "UPDATE access_grants SET expires_at = approved_at + interval '91 days' WHERE id = $1",
        [grant.id],
      ),
    ).rejects.toThrow(/access_grants_at_most_90_days/);
  });
});
