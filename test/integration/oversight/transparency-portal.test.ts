// The public transparency portal on both engines: generated from live data (TP-01), a figure that cannot
// be computed shown as "unavailable" with an alert (TP-02), agencies added or revoked visible on the next
// request (TP-03), no plate, user or case number in the HTML or JSON (TP-04), the published policy's SB 34
// sections (TP-05); public, with a strict CSP and no script.
import { afterEach, describe, expect, it } from 'vitest';
import { addAgency } from '../../../hub/agencies/agencies.service.js';
import { anchorHubHead } from '../../../hub/audit/hub-anchor.js';
import { disableEnrolledEdge, enrolEdge } from '../../../hub/edges/edge-enrolment.service.js';
import { writeQuarterlyReport } from '../../../hub/oversight/report.service.js';
import { revokeGrant } from '../../../hub/sharing/grant.service.js';
import { decideInquiry, submitInquiry } from '../../../hub/sharing/inquiry.service.js';
import { SHARING_STATEMENT } from '../../../shared/access/notice.js';
import type { PortalModel } from '../../../shared/oversight/portal.js';
import { SB34_REQUIRED_SECTIONS } from '../../../shared/oversight/usage-policy.js';
import { DAY_MS } from '../../../shared/runtime/clock.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import { metricValue, openTestHub, type TestHub } from '../../support/hub-ingest.js';
import { ASKER, actor, inquiryBody, OWNER } from '../../support/hub-sharing.js';
import { appendAccess, hubRead, OTHER_ORI, seedOversightHub } from '../../support/oversight-fixtures.js';

const NOW = Date.UTC(2026, 2, 20, 12);
const PLATES = ['7ABC123', '8XYZ999', '5QRS000'];
const USERS = ['det.alvarez', 'ext.brooks'];
const CASES = ['26-004711', '26-009999'];
/** Anything shaped like a US plate: 5-8 capitals and digits with at least one of each, standing alone. */
const PLATE_LIKE = /\b(?=[A-Z0-9]*[0-9])(?=[A-Z0-9]*[A-Z])[A-Z0-9]{5,8}\b/g;

describe.each(HUB_ENGINES)('transparency portal (%s)', (engine) => {
  let hub: TestHub;
  afterEach(async () => hub?.close());

  async function open(config?: Record<string, unknown>): Promise<number> {
    hub = await openTestHub(engine, { now: NOW - 60 * DAY_MS, config });
    const verdictId = await seedOversightHub(hub);
    hub.clock.set(NOW);
    for (const [i, plate] of PLATES.entries())
      await hubRead(hub.ctx.db, verdictId, NOW - (i + 1) * DAY_MS, i + 1, plate);
    await appendAccess(hub.ctx, NOW - DAY_MS, [
      { user: USERS[0], caseNumber: CASES[0], query: { plate: PLATES[0], mode: 'exact' } },
      {
        user: USERS[0],
        caseNumber: CASES[0],
        kind: 'search.blocked',
        outcome: 'blocked',
        category: 'immigration',
      },
      {
        user: USERS[1],
        caseNumber: CASES[1],
        origin: 'external',
        agency: OTHER_ORI,
        query: { plate: PLATES[1] },
      },
      { kind: 'ingest.reads_refused', user: 'edge:edge-01', detail: {} },
    ]);
    await hub.ctx.db.transaction((tx) =>
      hub.ctx.audit.append(
        tx,
        {
          kind: 'ingest.reads_refused',
          actor: 'edge:edge-01',
          payload: {
            edgeId: 'edge-01',
            byReason: { no_compliant_verdict: 2, stale_verdict: 1 },
            edgeReadIds: [9, 10, 11],
            more: 0,
          },
        },
        NOW - DAY_MS,
      ),
    );
    return verdictId;
  }
  const get = (url: string) => hub.app.inject({ method: 'GET', url });
  const json = async () => (await get('/transparency.json')).json() as PortalModel;

  it('is public, generated from live data, with a strict CSP and no script (TP-01)', async () => {
    await open({ retention: { days: 21 } });
    await anchorHubHead(hub.ctx, 'test');
    const page = await get('/transparency');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-inline/);
    expect(page.body).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    const m = await json();
    expect(m.retentionDays).toBe(21);
    expect(hub.ctx.config.retention.days).toBe(21); // the value hub retention purges by
    expect(m.cameras).toEqual({ active: 1, compliant: 1 });
    expect(m.readsStored).toBe(3);
    expect(m.last30Days).toEqual({
      vehiclesDetected: 3,
      hotlistHits: 0,
      hotlistHitsConfirmed: 0,
      hotlistHitsUnverified: 0,
      searchesInternal: 2,
      searchesExternal: 1,
    });
    expect(m.blockedByCategory.find((b) => b.category === 'immigration')!.count).toBe(1);
    expect(m.sensitiveSiteRule.readsRefused).toBe(3);
    expect(m.sharingStatement).toBe(SHARING_STATEMENT);
    expect(page.body).toContain(SHARING_STATEMENT.replaceAll('(', '(').slice(0, 60));
    expect(m.auditHeads.map((h) => h.chain)).toContain('hub');
    expect(m.hotlistSources.basis).toMatch(/configuration/);
    expect(m.lastAudit).toBeNull();
    const css = await get('/transparency/style.css');
    expect(css.headers['content-type']).toMatch(/text\/css/);

    // One more read and the next request shows it: nothing is cached.
    await hubRead(
      hub.ctx.db,
      (await hub.ctx.db.query<{ id: number }>('SELECT id FROM camera_verdicts'))[0]!.id,
      NOW - 3600_000,
      99,
      '6LMN456',
    );
    expect((await json()).readsStored).toBe(4);
  });

  it('shows the date and result of the last quarterly audit (TP-01)', async () => {
    await open();
    await writeQuarterlyReport(hub.ctx, {
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 2, 1),
      outDir: `${hub.dataDir}/r`,
      actor: 'cli:test',
    });
    const m = await json();
    expect(m.lastAudit).toEqual({ date: '2026-03-20', result: expect.stringMatching(/^(PASSED|FAILED)$/) });
    expect((await get('/transparency')).body).toContain('2026-03-20');
  });

  it('renders a figure it cannot compute as "unavailable" and raises an alert, never NaN (TP-02)', async () => {
    await open();
    await hub.ctx.db.exec('ALTER TABLE evidence_reads RENAME TO evidence_reads_away');
    const m = await json();
    expect(m.readsStored).toBeNull();
    expect(m.unavailable).toContain('readsStored');
    const page = await get('/transparency');
    expect(page.body).toMatch(/Reads stored now<\/th><td class="unavailable">unavailable/);
    expect(page.body).not.toMatch(/NaN|Infinity/);
    expect(
      await metricValue(hub, 'alpr_portal_figure_unavailable_total', { figure: 'readsStored' }),
    ).toBeGreaterThan(0);
    await hub.ctx.db.exec('ALTER TABLE evidence_reads_away RENAME TO evidence_reads');
  });

  it('shows an agency added or revoked on the next request, from enrolments and the effective grants (TP-03)', async () => {
    await open();
    const names = async () => (await json()).agencies.list.map((a) => a.name).sort();
    expect(await names()).toEqual([OWNER.name]);
    await addAgency(
      hub.ctx,
      { ori: OTHER_ORI, name: 'Santa Clara County Sheriff', type: 'local_le' },
      'admin',
    );
    expect(await names()).toEqual([OWNER.name]);
    await enrolEdge(hub.ctx, { edgeId: 'edge-sc', agencyOri: OTHER_ORI }, 'admin');
    expect(await names()).toEqual([OWNER.name, 'Santa Clara County Sheriff']);
    await disableEnrolledEdge(hub.ctx, 'edge-sc', 'admin', 'test');
    expect(await names()).toEqual([OWNER.name]);

    // A real sharing grant, through the sharing services: an inquiry that is not yet approved widens
    // nothing; command's approval makes the share effective; revocation ends it.
    const home = (await hub.ctx.db.query<{ id: number }>('SELECT id FROM agencies WHERE is_home'))[0]!.id;
    const asker = await addAgency(hub.ctx, ASKER, 'admin');
    const inquiry = await submitInquiry(
      hub.ctx,
      actor('det.moreno', 'investigator', asker.id, ASKER.ori),
      inquiryBody(hub.clock()),
    );
    expect(await names()).toEqual([OWNER.name]);
    const command = actor('cmdr.diaz', 'command', home, OWNER.ori);
    const { grant } = await decideInquiry(hub.ctx, command, inquiry.id, { decision: 'approve' });
    const m = await json();
    expect(m.agencies.basis).toMatch(/effective sharing grant/);
    expect(await names()).toEqual([ASKER.name, OWNER.name]);
    await revokeGrant(hub.ctx, command, grant!.id, { reason: 'case closed by the asking agency' });
    expect(await names()).toEqual([OWNER.name]);

    // A share the drift job has not removed yet, whose grant expired, grants nothing either.
    const again = await submitInquiry(
      hub.ctx,
      actor('det.moreno', 'investigator', asker.id, ASKER.ori),
      inquiryBody(hub.clock()),
    );
    await decideInquiry(hub.ctx, command, again.id, { decision: 'approve' });
    expect(await names()).toEqual([ASKER.name, OWNER.name]);
    hub.clock.set(NOW + 91 * DAY_MS);
    expect(await names()).toEqual([OWNER.name]);
  });

  it('exposes no plate, username or case number in the HTML or the JSON (TP-04)', async () => {
    await open();
    await anchorHubHead(hub.ctx, 'test');
    const bodies = [
      (await get('/transparency')).body,
      (await get('/transparency.json')).body,
      (await get('/transparency/policy')).body,
    ];
    for (const body of bodies) {
      // ISO timestamps ("…-20T12:00…") are the one plate-shaped thing the portal is meant to show.
      const scanned = body.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z/g, ' ');
      expect(scanned.match(PLATE_LIKE) ?? []).toEqual([]);
      for (const secret of [...PLATES, ...USERS, ...CASES]) expect(body).not.toContain(secret);
      expect(body).not.toMatch(/data:image|<img/i);
    }
  });

  it('publishes the usage and privacy policy with the SB 34 sections (TP-05)', async () => {
    await open();
    const page = await get('/transparency/policy');
    expect(page.statusCode).toBe(200);
    const headings = [...page.body.matchAll(/<h2 id="p-([A-G])">([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(headings).toEqual(SB34_REQUIRED_SECTIONS.map((s) => s.id));
    for (const heading of [
      'Authorized purposes',
      'training',
      'Monitoring and audit',
      'Sharing',
      'Custodian',
      'Accuracy',
      'Retention and destruction',
    ]) {
      expect(page.body).toContain(heading);
    }
    expect(page.body).toContain('kept 30 days');
  });
});
