// Issue 15's done-when, on both engines, through the real routes, authenticators and sinks: a supervisor
// imports a hotlist entry; an edge forwards a read that matches it; the hit is unverified and nothing that
// leaves the hub carries the plate (webhook bodies and MQTT payloads from a real receiver and Mosquitto,
// the hit list); an investigator opens it, is refused a confirmation without a disposition, confirms it
// with the checks and a disposition; a second decision is refused; every step is one entry in a chain
// that verifies. A hit left waiting past the threshold is counted and announced again (HIT-03).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hotlistTick } from '../../hub/hotlists/hotlists.feature.js';
import { verifyWebhook } from '../../shared/events/webhook-signature.js';
import { INGEST_PATHS, type ReadsAnswer } from '../../shared/forward/wire.js';
import { eventually } from '../support/eventually.js';
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
import { createTestUser, ensureTestAgency, signIn } from '../support/hub-users.js';
import { MQTT_URL, mqttSkipReason, type Subscriber, subscribe, uniquePrefix } from '../support/mqtt.js';
import { startReceiver, type WebhookReceiver, writeSecretFile } from '../support/webhook-receiver.js';

const skip = await mqttSkipReason();
const PLATE = '7HIT123';
const REASON = 'stolen in a carjacking on Story Rd';
const CASE = '26-004242';
const HOUR = 3_600_000;

describe.skipIf(skip).each(HUB_ENGINES)('hotlist hit to confirmation on %s', (engine) => {
  let hub: TestHub;
  let receiver: WebhookReceiver;
  let sub: Subscriber;
  let dir: string;
  let edgeSecret: string;

  beforeEach(async () => {
    receiver = await startReceiver(() => 204);
    const prefix = uniquePrefix();
    sub = await subscribe(prefix);
    dir = mkdtempSync(path.join(os.tmpdir(), 'alpr-hits-'));
    hub = await openTestHub(engine, {
      config: {
        events: {
          webhooks: [
            {
              name: 'ops',
              url: receiver.url,
              secretPath: writeSecretFile(dir, 'ops.whsec', receiver.secret),
            },
          ],
          mqtt: { url: MQTT_URL, topicPrefix: prefix, backoffInitialMs: 100, backoffMaxMs: 500 },
        },
      },
    });
    hub.ctx.events.start();
    edgeSecret = await enrolTestEdge(hub);
    await edgePost(
      hub,
      INGEST_PATHS.cameras,
      { cameras: [wireCamera()], verdicts: [wireVerdict()] },
      { edgeId: 'edge-01', secret: edgeSecret },
    );
  });
  afterEach(async () => {
    await hub.ctx.events.close();
    await hub.close();
    await sub.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const outbound = () => [...receiver.requests.map((r) => r.body), ...sub.messages.map((m) => m.payload)];
  const events = (type: string) =>
    receiver.requests
      .map((r) => {
        expect(
          verifyWebhook(receiver.secret, r.headers, r.body, Number(r.headers['webhook-timestamp']) * 1000),
        ).toMatchObject({ ok: true });
        return JSON.parse(r.body) as { type: string; data: Record<string, unknown> };
      })
      .filter((e) => e.type === type);

  it('entry, matching read, unverified hit (nothing out carries the plate), confirmation, disposition, audited', async () => {
    const agencyId = await ensureTestAgency(hub.ctx, 'CA0430100');
    const supervisor = await createTestUser(hub.ctx, { role: 'supervisor', agencyId });
    const investigator = await createTestUser(hub.ctx, { role: 'investigator', agencyId });
    const auditor = await createTestUser(hub.ctx, { role: 'auditor', agencyId });
    const otherAgency = await ensureTestAgency(hub.ctx, 'CA0430200');
    const outsider = await createTestUser(hub.ctx, { role: 'investigator', agencyId: otherAgency });
    const sup = await signIn(hub, supervisor);
    const inv = await signIn(hub, investigator);
    const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: unknown) =>
      hub.app.inject({
        method,
        url,
        headers: { cookie },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });

    // 1. The entry. An investigator may not import; an immigration source is refused with its reason.
    const csv = `plate,reason,case_number,source,expiry\n${PLATE},${REASON},${CASE},,${new Date(HUB_T0 + 7 * 24 * HOUR).toISOString()}\n`;
    expect(
      (await call('POST', '/api/v1/hotlists/import', inv.cookie, { source: 'ncic_stolen_vehicle', csv }))
        .statusCode,
    ).toBe(403);
    const ivf = await call('POST', '/api/v1/hotlists/import', sup.cookie, {
      source: 'ncic_immigration_violator_file',
      csv,
    });
    expect(ivf.statusCode).toBe(422);
    expect(ivf.json()).toMatchObject({ error: 'source_refused' });
    const imported = await call('POST', '/api/v1/hotlists/import', sup.cookie, {
      source: 'ncic_stolen_vehicle',
      csv,
    });
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toMatchObject({ imported: 1, refused: [] });
    expect((await call('GET', '/api/v1/hotlists', sup.cookie)).json()).toMatchObject({
      hotlists: [{ source: 'ncic_stolen_vehicle', stale: false, activeEntries: 1 }],
    });

    // 2. The forwarded read that matches it.
    const answer = (
      await edgePost(
        hub,
        INGEST_PATHS.reads,
        { reads: [wireRead({ edgeReadId: 11, plate: PLATE })] },
        { edgeId: 'edge-01', secret: edgeSecret },
      )
    ).json() as ReadsAnswer;
    expect(answer.accepted).toEqual([11]);

    // 3. The unverified hit: listed without the plate; announced plate-free on webhook and MQTT.
    const list = await call('GET', '/api/v1/hits', inv.cookie);
    expect(list.statusCode).toBe(200);
    const [hit] = (list.json() as { hits: Array<{ id: number; state: string; stale: boolean }> }).hits;
    expect(hit).toMatchObject({ state: 'unverified', stale: false, cameraId: 'cam-1' });
    expect(list.body).not.toContain(PLATE);
    await eventually('the hit event by webhook', () => events('hit.unverified_waiting').length === 1, {
      timeoutMs: 10_000,
    });
    await eventually(
      'the hit event by MQTT',
      () => sub.messages.some((m) => m.topic.endsWith('/hub/hit.unverified_waiting')),
      { timeoutMs: 10_000 },
    );
    expect(events('hit.unverified_waiting')[0]!.data).toEqual({
      hitId: hit!.id,
      agencyId,
      waitingS: 0,
      thresholdS: 4 * 3600,
      stale: false,
      edgeId: 'edge-01',
      cameraId: 'cam-1',
    });
    for (const body of outbound()) {
      expect(body).not.toContain(PLATE);
      expect(body).not.toContain(REASON);
      expect(body).not.toContain(CASE);
    }
    // Who may not see it: an auditor (no plate access), another agency.
    expect((await call('GET', '/api/v1/hits', (await signIn(hub, auditor)).cookie)).statusCode).toBe(403);
    const out = await signIn(hub, outsider);
    expect((await call('GET', '/api/v1/hits', out.cookie)).json()).toMatchObject({ hits: [] });
    expect((await call('GET', `/api/v1/hits/${hit!.id}`, out.cookie)).statusCode).toBe(404);
    expect(
      (
        await call('POST', `/api/v1/hits/${hit!.id}/verification`, out.cookie, {
          confirmed: false,
          entryCurrent: false,
          rejectionReason: 'misread',
        })
      ).statusCode,
    ).toBe(404);

    // 4. A person compares the read with the entry...
    const detail = await call('GET', `/api/v1/hits/${hit!.id}`, inv.cookie);
    expect(detail.json()).toMatchObject({
      state: 'unverified',
      read: { plate: PLATE, edgeReadId: 11 },
      entry: { plate: PLATE, reason: REASON, caseNumber: CASE, source: 'ncic_stolen_vehicle', active: true },
    });
    // ...cannot confirm without a disposition...
    const bare = await call('POST', `/api/v1/hits/${hit!.id}/verification`, inv.cookie, {
      confirmed: true,
      entryCurrent: true,
      checkedWith: 'CLETS SVS query',
    });
    expect(bare.statusCode).toBe(422);
    expect(bare.json()).toMatchObject({ error: 'bad_disposition' });
    // 5. ...and confirms it, with the currency check and the disposition.
    const confirmed = await call('POST', `/api/v1/hits/${hit!.id}/verification`, inv.cookie, {
      confirmed: true,
      entryCurrent: true,
      checkedWith: 'CLETS SVS query',
      disposition: 'vehicle_recovered',
      note: 'towed to lot 4',
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({
      state: 'confirmed',
      confirmation: { by: investigator.username, disposition: 'vehicle_recovered' },
    });
    expect(
      (
        await call('POST', `/api/v1/hits/${hit!.id}/verification`, inv.cookie, {
          confirmed: false,
          entryCurrent: false,
          rejectionReason: 'misread',
        })
      ).statusCode,
    ).toBe(409);

    // 6. Every step in the audit chain, which verifies.
    const audit = await hub.ctx.db.query<{ kind: string; actor: string; payload: string }>(
      `SELECT kind, actor, payload FROM audit_events WHERE kind LIKE 'hotlist.%' OR kind LIKE 'hit.%' OR kind = 'results.viewed' ORDER BY seq`,
    );
    expect(audit.map((a) => [a.kind, JSON.parse(a.payload).outcome])).toEqual([
      ['hotlist.imported', 'refused'],
      ['hotlist.imported', 'ok'],
      ['hit.created', 'unverified'],
      ['results.viewed', 'ok'],
      ['hit.confirmed', 'confirmed'],
    ]);
    expect(audit[4]).toMatchObject({ actor: investigator.username });
    expect(JSON.parse(audit[4]!.payload)).toMatchObject({
      category: 'vehicle_recovered',
      detail: { hitId: hit!.id, currencyCheckedWith: 'CLETS SVS query' },
    });
    expect(await hub.ctx.audit.verify(hub.ctx.db)).toMatchObject({ ok: true });

    // HIT-03: a second hit left unverified past the threshold is counted and announced again.
    await edgePost(
      hub,
      INGEST_PATHS.reads,
      { reads: [wireRead({ edgeReadId: 12, plate: PLATE })] },
      { edgeId: 'edge-01', secret: edgeSecret },
    );
    hub.clock.set(HUB_T0 + 5 * HOUR);
    await hotlistTick(hub.ctx);
    await eventually(
      'the overdue event',
      () => events('hit.unverified_waiting').some((e) => (e.data.waitingS as number) > 4 * 3600),
      { timeoutMs: 10_000 },
    );
    const again = await signIn(hub, investigator);
    const overdue = (await call('GET', '/api/v1/hits?state=unverified', again.cookie)).json() as {
      overdue: number;
      hits: Array<{ overdue: boolean }>;
    };
    expect(overdue).toMatchObject({ overdue: 1, hits: [{ overdue: true }] });
    for (const body of outbound()) expect(body).not.toContain(PLATE);

    // Expiring the entry by hand (hotlists.manage) stops it matching, audited as hotlist.changed.
    const entryId = (detail.json() as { entry: { id: number } }).entry.id;
    const sup2 = await signIn(hub, supervisor);
    expect(
      (await call('POST', `/api/v1/hotlists/entries/${entryId}/expire`, again.cookie, { note: 'recovered' }))
        .statusCode,
    ).toBe(403);
    const expired = await call('POST', `/api/v1/hotlists/entries/${entryId}/expire`, sup2.cookie, {
      note: 'recovered',
    });
    expect(expired.json()).toEqual({ id: entryId, outcome: 'expired' });
    await edgePost(
      hub,
      INGEST_PATHS.reads,
      { reads: [wireRead({ edgeReadId: 13, plate: PLATE, capturedAt: hub.clock() - 1000 })] },
      { edgeId: 'edge-01', secret: edgeSecret },
    );
    expect(await hub.ctx.db.query('SELECT id FROM hits')).toHaveLength(2);
    const changed = await hub.ctx.db.query<{ actor: string; payload: string }>(
      "SELECT actor, payload FROM audit_events WHERE kind = 'hotlist.changed'",
    );
    expect(changed).toHaveLength(1);
    expect(JSON.parse(changed[0]!.payload)).toMatchObject({
      user: supervisor.username,
      detail: { action: 'expired', entryId, note: 'recovered' },
    });
    expect(await hub.ctx.audit.verify(hub.ctx.db)).toMatchObject({ ok: true });
  });
});
