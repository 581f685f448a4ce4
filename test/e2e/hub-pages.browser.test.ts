// The hub's pages in a real browser (Debian chromium via playwright-core), one walk through the whole
// path with screenshots to docs/screenshots/ (synthetic reads only): sign-in with TOTP and the notice, a
// lawful search that finds a read an edge forwarded (signed ingest calls), a blocked immigration search,
// a hold approved by a supervisor, an inquiry from a new agency approved by a command officer, the auditor seeing each in the access log (and its CSV), an admin who
// cannot search, the planner's site check and a registry change approved by an admin. axe-core checks
// every page for serious or critical violations, and every page answers with the strict CSP.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteRegistryService } from '../../hub/registry/registry.feature.js';
import { INGEST_PATHS } from '../../shared/forward/wire.js';
import {
  type AxeFinding,
  axeSerious,
  launchChromium,
  openPerson,
  type PersonPage,
  shot,
  signInWithForm,
} from '../support/browser-pages.js';
import { at, entrance, featureCollection, polygonSite, square } from '../support/geofence-factories.js';
import { HUB_ENGINES } from '../support/hub-db.js';
import {
  edgePost,
  enrolTestEdge,
  HUB_T0,
  openTestHub,
  type TestHub,
  wireCamera,
  wireRead,
  wireVerdict,
} from '../support/hub-ingest.js';
import { createTestUser, type TestUser } from '../support/hub-users.js';

const ENGINE = HUB_ENGINES.includes('postgres') ? 'postgres' : 'pglite';
const CASE = '26-004711';
const LAWFUL =
  'Armed robbery of the corner store at 5th and Main on 28 February; witness saw the suspect leave in this grey sedan';
const IMMIGRATION = 'Find where this driver lives so ICE immigration enforcement can detain and deport him';

const registryText = (extra: unknown[] = []) =>
  JSON.stringify(
    featureCollection([
      polygonSite([square(0, 1500, 20)], {
        id: 'clinic-1',
        category: 'reproductive_health',
        name: 'Eastside Clinic',
      }),
      entrance('clinic-1', [0, 1480]),
      ...extra,
    ]),
  );

let hub: TestHub;
let browser: Browser;
let baseURL: string;
const people: Record<string, TestUser> = {};
const findings: AxeFinding[] = [];
const opened: PersonPage[] = [];

async function visit(person: PersonPage, name: string): Promise<void> {
  findings.push(...(await axeSerious(person.page)));
  await shot(person.page, name);
}

async function as(role: keyof typeof people, screenshots?: { login: string; notice: string }) {
  const person = await openPerson(browser, baseURL);
  opened.push(person);
  await signInWithForm(person, people[role]!, hub.clock, { screenshots });
  if (screenshots) findings.push(...(await axeSerious(person.page)));
  return person;
}

beforeAll(async () => {
  hub = await openTestHub(ENGINE);
  const secret = await enrolTestEdge(hub);
  const home = (await hub.ctx.db.query<{ id: number }>("SELECT id FROM agencies WHERE ori = 'CA0430100'"))[0]!
    .id;
  for (const role of ['investigator', 'supervisor', 'command', 'auditor', 'admin', 'planner'] as const)
    people[role] = await createTestUser(hub.ctx, { role, agencyId: home, username: `${role}.demo` });
  // An edge forwards its camera, a compliant verdict and two reads, signed as the forwarder signs them.
  const call = { edgeId: 'edge-01', secret };
  const cams = await edgePost(
    hub,
    INGEST_PATHS.cameras,
    { cameras: [wireCamera()], verdicts: [wireVerdict()] },
    call,
  );
  expect(cams.statusCode).toBe(200);
  const reads = await edgePost(
    hub,
    INGEST_PATHS.reads,
    {
      reads: [
        wireRead({
          edgeReadId: 1,
          capturedAt: HUB_T0 - 3_600_000,
          plate: '7ABC123',
          rawText: '7ABC123',
          confidence: 0.97,
        }),
        wireRead({
          edgeReadId: 2,
          capturedAt: HUB_T0 - 1_800_000,
          plate: '7ABC123',
          rawText: '7ABC123',
          confidence: 0.91,
          cropSha256: 'a'.repeat(64),
        }),
        wireRead({ edgeReadId: 3, capturedAt: HUB_T0 - 900_000, plate: '5XYZ987', rawText: '5XYZ987' }),
      ],
      status: { backlogReads: 0, oldestUnforwardedAt: null },
    },
    call,
  );
  expect(reads.json()).toMatchObject({ cursor: 3 });
  await siteRegistryService(hub.ctx).import(registryText(), { importedBy: 'admin.setup', now: hub.clock() });
  baseURL = await hub.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const p of opened) await p.context.close().catch(() => undefined);
  await browser?.close();
  await hub?.close();
});

describe(`hub pages in chromium (${ENGINE})`, () => {
  it('walks sign-in, search, blocked search, hold, audit, admin and planner pages', async () => {
    // Investigator: sign in with TOTP, accept the notice, search lawfully, find the forwarded reads.
    const inv = await as('investigator', { login: '01-login', notice: '02-notice' });
    await inv.page.goto('/search');
    await visit(inv, '03-search-form');
    await inv.page.getByLabel(/^Plate/).fill('7ABC123');
    await inv.page.getByLabel('Crime type').selectOption('robbery');
    await inv.page.getByLabel(/^Case number/).fill(CASE);
    await inv.page.getByLabel(/^Justification/).fill(LAWFUL);
    await inv.page.getByRole('button', { name: 'Search' }).click();
    await inv.page.waitForURL(/\/search\/\d+$/);
    const results = inv.page.getByRole('table');
    expect(await results.getByRole('row').count()).toBe(3);
    expect(await results.textContent()).toContain('Main St NB');
    expect(await results.textContent()).toContain('97.0 %');
    expect(await inv.page.locator('figure.map svg[role="img"]').count()).toBe(1);
    await visit(inv, '04-search-results');
    // The same results on a tablet.
    await inv.page.setViewportSize({ width: 820, height: 1180 });
    await shot(inv.page, '05-search-results-tablet');
    await inv.page.setViewportSize({ width: 1280, height: 800 });

    // Hold request from the results page.
    await inv.page.getByLabel('Reason').fill(`Evidence for robbery case ${CASE}: keep both sightings`);
    await inv.page.getByRole('button', { name: /Request a hold/ }).click();
    await inv.page.waitForURL(/\/holds\?done=requested/);
    expect(await inv.page.getByRole('status').textContent()).toContain('The hold was requested');
    await visit(inv, '06-hold-requested');

    // A search for immigration enforcement is blocked, said so in an alert.
    await inv.page.goto('/search');
    await inv.page.getByLabel(/^Plate/).fill('7ABC123');
    await inv.page.getByLabel('Crime type').selectOption('robbery');
    await inv.page.getByLabel(/^Case number/).fill(CASE);
    await inv.page.getByLabel(/^Justification/).fill(IMMIGRATION);
    await inv.page.getByRole('button', { name: 'Search' }).click();
    expect(await inv.page.getByRole('alert').first().textContent()).toContain('Search blocked');
    await visit(inv, '07-search-blocked');
    await inv.page.goto('/search/history');
    expect(await inv.page.getByRole('table').textContent()).toMatch(/blocked/);
    await visit(inv, '08-search-history');

    // Supervisor approves the hold (the requester could not).
    const sup = await as('supervisor');
    await sup.page.goto('/holds');
    await sup.page
      .getByRole('button', { name: /Approve hold request/ })
      .first()
      .click();
    await sup.page.waitForURL(/\/holds\?done=approved/);
    expect(await sup.page.getByRole('table').textContent()).toContain('approved by supervisor.demo');
    await visit(sup, '09-hold-approved');

    // Planner: the site check with the verdict and the to-scale map, and a proposed registry change.
    const plan = await as('planner');
    const [lng, lat] = at(0, 1440);
    await plan.page.goto('/sites/check');
    await plan.page.getByLabel(/^Longitude/).fill(String(lng));
    await plan.page.getByLabel(/^Latitude/).fill(String(lat));
    await plan.page.getByLabel(/^Bearing/).fill('0');
    await plan.page.getByLabel(/^Field of view/).fill('40');
    await plan.page.getByLabel(/^Range/).fill('60');
    await plan.page.getByRole('button', { name: 'Check', exact: true }).click();
    expect(await plan.page.locator('.verdict-bad').first().textContent()).toContain('Not compliant');
    expect(await plan.page.getByRole('table').first().textContent()).toContain('clinic-1');
    await visit(plan, '10-site-check');
    await plan.page.goto('/sites/proposals');
    await plan.page
      .getByLabel('Or paste the GeoJSON')
      .fill(registryText([polygonSite([square(900, 0, 15)], { id: 'church-1', name: 'St Mary' })]));
    await plan.page.getByLabel(/^Reason/).fill('St Mary opened at 9th Street in February');
    await plan.page.getByRole('button', { name: 'Propose' }).click();
    await plan.page.waitForURL(/done=proposed/);
    await visit(plan, '11-registry-proposed');

    // Admin: accounts (a new one shows its QR code once), edges with forwarding status, the registry
    // approval, and no search.
    const adm = await as('admin');
    await adm.page.goto('/admin/accounts');
    await adm.page.getByLabel('Username', { exact: true }).fill('new.investigator');
    await adm.page.getByLabel('Role', { exact: true }).selectOption('investigator');
    await adm.page.getByRole('button', { name: 'Create account' }).click();
    expect(await adm.page.locator('.qr svg').count()).toBe(1);
    await visit(adm, '12-account-enrolment-qr');
    await adm.page.goto('/admin/accounts');
    expect(await adm.page.locator('.qr').count()).toBe(0); // shown once
    await visit(adm, '13-accounts');
    await adm.page.goto('/admin/edges');
    expect(await adm.page.getByRole('table').textContent()).toMatch(
      /edge-01[\s\S]*forwarding[\s\S]*3 \/ 0 \/ 0/,
    );
    await visit(adm, '14-edges');
    await adm.page.goto('/sites/proposals');
    await adm.page.getByRole('button', { name: /^Approve #/ }).click();
    await adm.page.waitForURL(/done=approved/);
    await visit(adm, '15-registry-approved');
    const registry = await siteRegistryService(hub.ctx).current();
    expect(registry!.sites).toBe(2);
    const admSearch = await adm.page.goto('/search');
    expect(admSearch?.status()).toBe(403);
    expect(await adm.page.getByRole('alert').first().textContent()).toContain('may not do this');
    await visit(adm, '16-admin-cannot-search');

    // A new agency (added by the admin) asks through an inquiry; a command officer approves it.
    await adm.page.goto('/admin/agencies');
    await adm.page.getByLabel(/^ORI/).fill('CA0430200');
    await adm.page.getByLabel('Name', { exact: true }).fill('Santa Clara County Sheriff');
    await adm.page.getByRole('button', { name: 'Add agency' }).click();
    await adm.page.waitForURL(/done=added/);
    await visit(adm, '17-agencies');
    await inv.page.goto('/inquiries/new');
    await inv.page.getByLabel('Agency asking').selectOption('CA0430200');
    await inv.page.getByLabel(/^Requesting officer/).fill('Det. R. Moreno #4411');
    await inv.page.getByLabel('Plate', { exact: true }).fill('7ABC123');
    await inv.page.getByLabel('Crime type').selectOption('robbery');
    await inv.page.getByLabel(/^Case number/).fill('26-009001');
    await inv.page
      .getByLabel('Justification')
      .fill(
        'Sheriff robbery case: armed robbery of a Cupertino bank on 27 February, this grey sedan seen at the scene',
      );
    await inv.page.getByRole('button', { name: 'Submit the inquiry' }).click();
    await inv.page.waitForURL(/done=submitted/);
    await visit(inv, '18-inquiry-submitted');
    const cmd = await as('command');
    await cmd.page.goto('/inquiries');
    await visit(cmd, '19-inquiry-queue');
    await cmd.page.getByLabel('Reason').fill('Case verified with the Sheriff watch commander');
    await cmd.page.getByRole('button', { name: /^Approve inquiry/ }).click();
    await cmd.page.waitForURL(/done=approved/);
    expect(await cmd.page.getByRole('status').textContent()).toContain('approved');
    await visit(cmd, '20-inquiry-approved');

    // Auditor: each of those is in the access log; filters; the CSV of the log.
    const aud = await as('auditor');
    await aud.page.goto('/audit');
    const log = (await aud.page.getByRole('table').textContent()) ?? '';
    for (const kind of [
      'search.allowed',
      'results.viewed',
      'search.blocked',
      'hold.requested',
      'hold.approved',
      'notice.accepted',
    ])
      expect(log, kind).toContain(kind);
    await visit(aud, '21-access-log');
    await aud.page.getByLabel(/^Kind/).fill('search.blocked');
    await aud.page.getByRole('button', { name: 'Apply filters' }).click();
    await aud.page.waitForURL(/kind=search.blocked/);
    const filtered = aud.page.getByRole('table').getByRole('row');
    expect(await filtered.count()).toBe(2);
    expect(await filtered.nth(1).textContent()).toContain('investigator.demo');
    await visit(aud, '22-access-log-filtered');
    const csv = await aud.context.request.get('/audit.csv?kind=search.');
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-disposition']).toContain('access-log.csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'seq,at,kind,actor,outcome,category,caseNumber,crimeType,purpose,query,agency,origin,detail',
    );
    expect(lines.filter((l) => l.includes(',search.blocked,'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes(',search.allowed,'))).toHaveLength(1);
    // The auditor cannot search plates (AC-03): a 403 page.
    const audSearch = await aud.page.goto('/search');
    expect(audSearch?.status()).toBe(403);

    // Without the test's CSP bypass the pages need nothing the policy forbids: the stylesheet applies and
    // the browser reports no violation.
    const strict = await browser.newContext({ baseURL });
    const strictPage = await strict.newPage();
    const violations: string[] = [];
    strictPage.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
    });
    await strictPage.goto('/login');
    const banner = await strictPage
      .locator('header.top')
      .evaluate(
        (el) =>
          (
            globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
          ).getComputedStyle(el).backgroundColor,
      );
    expect(banner).toBe('rgb(19, 41, 75)'); // #13294b from hub.css
    await strict.close();
    expect(violations).toEqual([]);

    // Every page carried the strict CSP; no page had a serious or critical accessibility violation.
    for (const person of opened)
      for (const [where, csp] of person.csp) {
        if (where.endsWith('.csv')) continue;
        expect(csp, where).toContain("default-src 'self'");
        expect(csp, where).not.toContain('unsafe-inline');
      }
    expect(findings).toEqual([]);
    // Synthetic reads only: the screenshots are of this walk's own data.
    expect(readFileSync(`${process.cwd()}/docs/screenshots/04-search-results.png`).length).toBeGreaterThan(
      10_000,
    );
  }, 300_000);
});
