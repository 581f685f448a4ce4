// Object-level checks (AC-02, BOLA): a signed-in user of agency A, holding the route's permission, calls
// every object route of the hub with agency B's objects (B's search and its reads, B's export, B's
// inquiry to a third agency and the grant it produced, B's accounts) and gets nothing: "not found" for
// an object, and lists without B's rows. The route table is enumerated, so an object route added
// without a case here fails this test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubRoute } from '../../../hub/http/hub-route.js';
import { HUB_FEATURES } from '../../../hub/hub-features.js';
import { SearchService } from '../../../hub/search/search.service.js';
import { SearchResultsService } from '../../../hub/search/search-results.js';
import { searchRuleSet } from '../../../hub/search/search-rules.js';
import { decideExport, requestExport } from '../../../hub/sharing/export.service.js';
import { decideInquiry, submitInquiry } from '../../../hub/sharing/inquiry.service.js';
import type { Actor } from '../../../hub/sharing/sharing-context.js';
import { openTestHub, type TestHub } from '../../support/hub-ingest.js';
import { lawfulSearch, SEARCH_NOW, searcherAccount, seedSearchHub } from '../../support/hub-search.js';
import { inquiryBody } from '../../support/hub-sharing.js';
import { createTestUser, ensureTestAgency, signIn, type TestUser } from '../../support/hub-users.js';

let hub: TestHub;
let routes: HubRoute[];
const b: Record<string, number> = {};
const cookies: Record<string, string> = {};
let bUsers: Record<string, TestUser>;

const actorOf = (u: TestUser, ori: string): Actor => ({
  userId: u.id,
  username: u.username,
  role: u.role,
  agencyId: u.agencyId,
  agency: ori,
  clientAddress: null,
});

beforeAll(async () => {
  hub = await openTestHub('pglite', { now: SEARCH_NOW });
  routes = HUB_FEATURES.flatMap((f) => f.routes?.(hub.ctx) ?? []);
  const seed = await seedSearchHub(hub.ctx.db); // A = CA0430100 (edge-01), B = CA0431100 (edge-99)
  const third = await ensureTestAgency(hub.ctx, 'CA0019400', { name: 'Third Police Department' });
  const make = (role: TestUser['role'], agencyId: number, username: string) =>
    createTestUser(hub.ctx, { role, agencyId, username });
  const a = {
    investigator: await make('investigator', seed.agencyId, 'a.det'),
    supervisor: await make('supervisor', seed.agencyId, 'a.sgt'),
    command: await make('command', seed.agencyId, 'a.cmdr'),
    admin: await make('admin', seed.agencyId, 'a.admin'),
    auditor: await make('auditor', seed.agencyId, 'a.auditor'),
  };
  bUsers = {
    investigator: await make('investigator', seed.otherAgencyId, 'b.det'),
    supervisor: await make('supervisor', seed.otherAgencyId, 'b.sgt'),
  };
  const thirdCommand = await make('command', third, 'c.cmdr');
  for (const [role, user] of Object.entries(a)) cookies[role] = (await signIn(hub, user)).cookie;

  // B's objects, made through the real services.
  const searches = new SearchService(hub.ctx.db, hub.ctx.audit, searchRuleSet(hub.ctx.config));
  const bDet = actorOf(bUsers.investigator!, 'CA0431100');
  const search = await searches.submit(bDet, lawfulSearch(), {
    now: SEARCH_NOW,
    clientAddress: null,
    account: searcherAccount({ username: 'b.det', agency: 'CA0431100' }),
  });
  if (search.kind !== 'allowed') throw new Error(`B's search: ${search.kind}`);
  b.search = search.searchId;
  const reason = 'the case file for the King Rd robbery needs the list of sightings for the DA';
  b.export = (await requestExport(hub.ctx, bDet, { searchId: b.search, reason })).id;
  await decideExport(hub.ctx, actorOf(bUsers.supervisor!, 'CA0431100'), b.export, { decision: 'approve' });
  b.pendingExport = (
    await requestExport(hub.ctx, bDet, { searchId: b.search, reason: `${reason} (copy)` })
  ).id;
  const inquiry = await submitInquiry(
    hub.ctx,
    bDet,
    inquiryBody(SEARCH_NOW, { agency: 'CA0431100', ownerAgency: 'CA0019400', officer: 'Det. B #1' }),
  );
  b.inquiry = inquiry.id;
  b.pendingInquiry = (
    await submitInquiry(
      hub.ctx,
      bDet,
      inquiryBody(
        SEARCH_NOW,
        { agency: 'CA0431100', ownerAgency: 'CA0019400', officer: 'Det. B #2' },
        { caseNumber: '26-000999' },
      ),
    )
  ).id;
  const decided = await decideInquiry(hub.ctx, actorOf(thirdCommand, 'CA0019400'), inquiry.id, {
    decision: 'approve',
  });
  b.grant = decided.grant!.id;
  b.user = bUsers.supervisor!.id;
  // B's hold requests, one approved (a hold), through B's own sessions.
  const bDetCookie = (await signIn(hub, bUsers.investigator!)).cookie;
  const bSgtCookie = (await signIn(hub, bUsers.supervisor!)).cookie;
  const hold = (n: number) =>
    call('POST', '/api/v1/holds', bDetCookie, {
      searchId: b.search,
      reason: `robbery evidence for the DA, part ${n}`,
    });
  const first = await hold(1);
  if (first.statusCode !== 201) throw new Error(`B's hold request: ${first.body}`);
  b.holdRequest = first.json().id;
  b.approvedHoldRequest = (await hold(2)).json().id;
  const approved = await call('POST', `/api/v1/holds/${b.approvedHoldRequest}/approval`, bSgtCookie, {});
  if (approved.statusCode !== 200) throw new Error(`B's hold approval: ${approved.body}`);
  // B's hotlist entry and a hit on B's read (straight SQL, as the factories do).
  const [list] = await hub.ctx.db.query<{ id: number }>(
    `INSERT INTO hotlists (agency_id, source, allowlisted, imported_by, imported_at, refreshed_at)
     VALUES ($1, 'stolen_vehicles', true, 'b.sgt', $2, $2) RETURNING id`,
    [seed.otherAgencyId, new Date(SEARCH_NOW - 3_600_000)],
  );
  const [entry] = await hub.ctx.db.query<{ id: number }>(
    `INSERT INTO hotlist_entries (hotlist_id, agency_id, plate_hmac, plate_sealed, reason, case_number, expires_at,
       created_at, updated_at) VALUES ($1, $2, $3, 'v1.sealed', 'stolen Civic', '26-000777', $4, $5, $5) RETURNING id`,
    [
      list!.id,
      seed.otherAgencyId,
      'a'.repeat(64),
      new Date(SEARCH_NOW + 86_400_000),
      new Date(SEARCH_NOW - 3_600_000),
    ],
  );
  const [hit] = await hub.ctx.db.query<{ id: number }>(
    `INSERT INTO hits (agency_id, entry_id, hotlist_id, edge_id, edge_read_id, camera_id, captured_at, created_at, stale)
     VALUES ($1, $2, $3, 'edge-99', 6, 'cam-x', $4, $4, false) RETURNING id`,
    [seed.otherAgencyId, entry!.id, list!.id, new Date(SEARCH_NOW - 2 * 86_400_000)],
  );
  b.entry = entry!.id;
  b.hit = hit!.id;
}, 240_000);
afterAll(() => hub.close());

const call = (method: string, url: string, cookie: string, payload?: unknown) =>
  hub.app.inject({
    method: method as 'GET',
    url,
    headers: { cookie },
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });

/** For each object route: who of agency A calls it, on which of B's objects, and with what body. */
const OBJECT_CASES: Record<string, { as: string; id: () => number; body?: unknown }> = {
  'GET /api/v1/inquiries/:id': { as: 'investigator', id: () => b.inquiry! },
  'POST /api/v1/inquiries/:id/approve': { as: 'command', id: () => b.pendingInquiry!, body: {} },
  'POST /api/v1/inquiries/:id/deny': {
    as: 'command',
    id: () => b.pendingInquiry!,
    body: { reason: 'not ours to decide' },
  },
  'POST /api/v1/grants/:id/renew': {
    as: 'investigator',
    id: () => b.grant!,
    body: { justification: 'the Civic was seen again on King Rd on March 2 near the Valero' },
  },
  'POST /api/v1/grants/:id/approve': { as: 'command', id: () => b.grant!, body: {} },
  'POST /api/v1/grants/:id/deny': {
    as: 'command',
    id: () => b.grant!,
    body: { reason: 'not ours to decide' },
  },
  'POST /api/v1/grants/:id/revoke': {
    as: 'command',
    id: () => b.grant!,
    body: { reason: 'not ours to revoke' },
  },
  'POST /api/v1/exports/:id/approve': { as: 'supervisor', id: () => b.pendingExport!, body: {} },
  'POST /api/v1/exports/:id/deny': {
    as: 'supervisor',
    id: () => b.pendingExport!,
    body: { reason: 'not ours to decide' },
  },
  'GET /api/v1/exports/:id/download': { as: 'investigator', id: () => b.export! },
  'GET /api/v1/searches/:id/results': { as: 'investigator', id: () => b.search! },
  'POST /api/v1/searches/:id/approval': {
    as: 'command',
    id: () => b.search!,
    body: { approve: true, reason: 'not ours to decide' },
  },
  'POST /api/v1/holds/:id/approval': { as: 'supervisor', id: () => b.holdRequest!, body: {} },
  'POST /api/v1/holds/:id/release': {
    as: 'supervisor',
    id: () => b.approvedHoldRequest!,
    body: { reason: 'not ours to release' },
  },
  'GET /api/v1/hits/:id': { as: 'investigator', id: () => b.hit! },
  'POST /api/v1/hits/:id/verification': {
    as: 'investigator',
    id: () => b.hit!,
    body: { confirmed: false, entryCurrent: true, rejectionReason: 'misread' },
  },
  'POST /api/v1/hotlists/entries/:id/expire': { as: 'supervisor', id: () => b.entry!, body: {} },
  'POST /api/v1/users/:id/disable': {
    as: 'admin',
    id: () => b.user!,
    body: { reason: 'not ours to disable' },
  },
  'POST /api/v1/users/:id/approval': { as: 'supervisor', id: () => b.user!, body: {} },
  'POST /api/v1/users/:id/training': { as: 'admin', id: () => b.user!, body: { date: '2026-03-01' } },
};

/**
 * Hub-wide oversight objects (issue 14: quarterly reports, case samples, the anomaly queue), for the city's
 * auditors and command rather than one agency. Not agency-scoped today: named here so the gap is visible,
 * and a new object route still fails the enumeration below. Scoping them per agency is open work.
 */
const HUB_WIDE_NOT_YET_SCOPED = [
  'GET /api/v1/oversight/samples/:id',
  'POST /api/v1/oversight/anomalies/:id/review',
  'POST /api/v1/oversight/reports/:id/signoff',
  'POST /api/v1/oversight/samples/:id/items/:seq',
];

/** List routes that return objects: none of B's may appear (by id of that kind, and by B's names). */
type Rows = (body: Record<string, unknown>) => { id: number }[];
const rowsOf =
  (key: string): Rows =>
  (x) =>
    (x[key] as { id: number }[] | undefined) ?? [];
const LIST_CASES: Record<string, { as: string; rows: Rows; bIds: () => number[] }> = {
  'GET /api/v1/inquiries': {
    as: 'investigator',
    rows: rowsOf('inquiries'),
    bIds: () => [b.inquiry!, b.pendingInquiry!],
  },
  'GET /api/v1/inquiries/queue': {
    as: 'command',
    rows: rowsOf('inquiries'),
    bIds: () => [b.inquiry!, b.pendingInquiry!],
  },
  'GET /api/v1/grants': { as: 'command', rows: rowsOf('grants'), bIds: () => [b.grant!] },
  'GET /api/v1/exports': {
    as: 'investigator',
    rows: rowsOf('exports'),
    bIds: () => [b.export!, b.pendingExport!],
  },
  'GET /api/v1/exports/queue': {
    as: 'supervisor',
    rows: rowsOf('exports'),
    bIds: () => [b.export!, b.pendingExport!],
  },
  'GET /api/v1/users': { as: 'admin', rows: rowsOf('users'), bIds: () => [b.user!] },
  'GET /api/v1/searches': { as: 'investigator', rows: rowsOf('searches'), bIds: () => [b.search!] },
  'GET /api/v1/holds': {
    as: 'supervisor',
    rows: rowsOf('holds'),
    bIds: () => [b.holdRequest!, b.approvedHoldRequest!],
  },
  'GET /api/v1/audit': { as: 'auditor', rows: () => [], bIds: () => [] },
  'GET /api/v1/hits': { as: 'investigator', rows: rowsOf('hits'), bIds: () => [b.hit!] },
};

describe("agency A cannot reach agency B's objects (AC-02)", () => {
  it('has a case for every object route the hub serves', () => {
    const objectRoutes = routes
      // The API; the pages (hub/pages, hub/hotlists/hits-page) call the same services and are the pages' tests' to cover.
      .filter((r) => r.auth.kind === 'user' && r.url.startsWith('/api/') && r.url.includes(':id'))
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(objectRoutes.length).toBeGreaterThan(10);
    expect(objectRoutes.filter((r) => !(r in OBJECT_CASES) && !HUB_WIDE_NOT_YET_SCOPED.includes(r))).toEqual(
      [],
    );
  });

  it.each(Object.entries(OBJECT_CASES))('%s answers "not found" with B\'s object', async (route, c) => {
    const [method, url] = route.split(' ') as [string, string];
    const res = await call(method, url.replace(':id', String(c.id())), cookies[c.as]!, c.body);
    expect(res.statusCode, res.body).toBe(404);
    expect(res.body).not.toMatch(/7ABC123|b\.det|Det\. B/);
  });

  it.each(Object.entries(LIST_CASES))("%s lists none of B's rows", async (route, c) => {
    const [method, url] = route.split(' ') as [string, string];
    const res = await call(method, url, cookies[c.as]!);
    expect(res.statusCode, res.body).toBe(200);
    const ids = c.rows(res.json()).map((r) => r.id);
    expect(
      ids.filter((id) => Object.values(b).includes(id) && !(route === 'GET /api/v1/users' && id !== b.user)),
    ).toEqual([]);
    expect(res.body).not.toMatch(/b\.det|b\.sgt|Det\. B/);
  });

  it("never shows B's reads or search to A without a grant", async () => {
    const results = new SearchResultsService(hub.ctx.db, hub.ctx.audit, 30, 100);
    const aDet = { userId: -1, username: 'a.det', agencyId: 0, role: 'investigator' };
    const mine = await hub.ctx.db.query<{ id: number; agency_id: number }>(
      "SELECT id, agency_id FROM users WHERE username = 'a.det'",
    );
    Object.assign(aDet, { userId: mine[0]!.id, agencyId: mine[0]!.agency_id });
    expect((await results.view(aDet, b.search!, { now: SEARCH_NOW, clientAddress: null })).ok).toBe(false);
    const searches = new SearchService(hub.ctx.db, hub.ctx.audit, searchRuleSet(hub.ctx.config));
    const own = await searches.submit(aDet, lawfulSearch(), {
      now: SEARCH_NOW,
      clientAddress: null,
      account: searcherAccount({ username: 'a.det' }),
    });
    if (own.kind !== 'allowed') throw new Error(own.kind);
    const seen = await results.view(aDet, own.searchId, { now: SEARCH_NOW, clientAddress: null });
    expect(seen.ok && seen.reads.map((r) => r.edgeId)).not.toContain('edge-99');
  });
});
