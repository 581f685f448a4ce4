// The auditors' oversight API with real accounts (password + TOTP, notice accepted): sign-off of a
// report (CMP-02), a case-number sample with pass/fail per item (CMP-04), the weekly anomaly queue and its
// recorded review (CMP-01). Each action is one audit entry; an investigator is refused (AC-01, AC-03).
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeQuarterlyReport } from '../../../hub/oversight/report.service.js';
import { DAY_MS } from '../../../shared/runtime/clock.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import { openTestHub, type TestHub } from '../../support/hub-ingest.js';
import { createTestUser, signIn } from '../../support/hub-users.js';
import { appendAccess, HOME_ORI, seedOversightHub } from '../../support/oversight-fixtures.js';

const NOW = Date.UTC(2026, 3, 2, 17); // Thursday
const WEEK_DAY = NOW - DAY_MS;

describe.each(HUB_ENGINES)('oversight auditor routes (%s)', (engine) => {
  let hub: TestHub;
  afterEach(async () => hub?.close());

  async function setup() {
    hub = await openTestHub(engine, { now: Date.UTC(2025, 11, 1) });
    await seedOversightHub(hub);
    hub.clock.set(NOW);
    const agencyId = (
      await hub.ctx.db.query<{ id: number }>('SELECT id FROM agencies WHERE ori = $1', [HOME_ORI])
    )[0]!.id;
    const auditor = await createTestUser(hub.ctx, { role: 'auditor', agencyId, username: 'aud.kim' });
    const investigator = await createTestUser(hub.ctx, {
      role: 'investigator',
      agencyId,
      username: 'det.ray',
    });
    await appendAccess(
      hub.ctx,
      WEEK_DAY,
      Array.from({ length: 6 }, (_, i) => ({ caseNumber: `26-00100${i}`, user: 'det.ray' })),
    );
    await appendAccess(hub.ctx, WEEK_DAY, [
      { kind: 'search.blocked', outcome: 'blocked', category: 'immigration', user: 'det.ray' },
    ]);
    return { auditor: await signIn(hub, auditor), investigator: await signIn(hub, investigator) };
  }
  const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: Record<string, unknown>) =>
    hub.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload }) });

  it('records an auditor’s sign-off of a report once, in the audit chain; an investigator is refused', async () => {
    const { auditor, investigator } = await setup();
    const w = await writeQuarterlyReport(hub.ctx, {
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 3, 1),
      outDir: path.join(hub.dataDir, 'r'),
      actor: 'job',
    });
    expect((await call('GET', '/api/v1/oversight/reports', investigator.cookie)).statusCode).toBe(403);
    const list = await call('GET', '/api/v1/oversight/reports', auditor.cookie);
    expect(list.json().reports).toEqual([
      expect.objectContaining({ id: w.id, jsonSha256: w.jsonSignature.sha256, signoffs: [] }),
    ]);
    const url = `/api/v1/oversight/reports/${w.id}/signoff`;
    expect(
      (await call('POST', url, investigator.cookie, { decision: 'accepted', note: 'x' })).statusCode,
    ).toBe(403);
    const ok = await call('POST', url, auditor.cookie, {
      decision: 'accepted',
      note: 'sample checked, retention evidence reviewed',
    });
    expect(ok.statusCode).toBe(201);
    expect(
      (await call('POST', url, auditor.cookie, { decision: 'accepted', note: 'again' })).statusCode,
    ).toBe(409);
    expect((await call('POST', url, auditor.cookie, { decision: 'maybe', note: '' })).statusCode).toBe(400);
    const entry = await hub.ctx.db.query<{ actor: string; payload: string }>(
      "SELECT actor, payload FROM audit_events WHERE kind = 'report.signed_off'",
    );
    expect(entry).toHaveLength(1);
    expect(entry[0]!.actor).toBe('aud.kim');
    expect(JSON.parse(entry[0]!.payload)).toMatchObject({
      user: 'aud.kim',
      role: 'auditor',
      agency: HOME_ORI,
      outcome: 'accepted',
    });
    const after = (await call('GET', '/api/v1/oversight/reports', auditor.cookie)).json().reports[0];
    expect(after.signoffs).toEqual([expect.objectContaining({ auditor: 'aud.kim', decision: 'accepted' })]);
  });

  it('draws a random case-number sample and records pass/fail per item once (CMP-04)', async () => {
    const { auditor } = await setup();
    const drawn = await call('POST', '/api/v1/oversight/samples', auditor.cookie, {
      from: new Date(NOW - 7 * DAY_MS).toISOString(),
      to: new Date(NOW).toISOString(),
      size: 4,
    });
    expect(drawn.statusCode).toBe(201);
    const sample = drawn.json() as {
      id: number;
      population: number;
      items: { auditSeq: number; caseNumber: string }[];
    };
    expect(sample.population).toBe(6);
    expect(sample.items).toHaveLength(4);
    expect(new Set(sample.items.map((i) => i.auditSeq)).size).toBe(4);
    expect(sample.items.every((i) => /^26-00100\d$/.test(i.caseNumber))).toBe(true);
    const [a, b] = sample.items;
    const item = (seq: number) => `/api/v1/oversight/samples/${sample.id}/items/${seq}`;
    expect((await call('POST', item(a!.auditSeq), auditor.cookie, { verdict: 'pass' })).statusCode).toBe(200);
    expect(
      (
        await call('POST', item(b!.auditSeq), auditor.cookie, {
          verdict: 'fail',
          note: 'no such case in RMS',
        })
      ).statusCode,
    ).toBe(200);
    expect((await call('POST', item(a!.auditSeq), auditor.cookie, { verdict: 'fail' })).statusCode).toBe(409);
    const got = (await call('GET', `/api/v1/oversight/samples/${sample.id}`, auditor.cookie)).json();
    expect(got.tally).toMatchObject({ items: 4, passed: 1, failed: 1, open: 2, complete: false });
    const kinds = await hub.ctx.db.query<{ kind: string; n: number }>(
      "SELECT kind, count(*) AS n FROM audit_events WHERE kind LIKE 'oversight.sample%' GROUP BY kind ORDER BY kind",
    );
    expect(kinds).toEqual([
      { kind: 'oversight.sample_drawn', n: 1 },
      { kind: 'oversight.sample_item_checked', n: 2 },
    ]);
  });

  it('queues the week’s anomalies and records each review (CMP-01)', async () => {
    const { auditor } = await setup();
    const refreshed = await call('POST', '/api/v1/oversight/anomalies/refresh', auditor.cookie, {});
    expect(refreshed.statusCode).toBe(200);
    const queue = refreshed.json() as {
      items: { id: number; detector: string; subject: string; status: string }[];
      open: number;
    };
    expect(queue.items.map((i) => i.detector)).toEqual(
      expect.arrayContaining(['blocked_terms', 'repeated_plate']),
    );
    // Refreshing again adds nothing twice.
    expect(
      (await call('POST', '/api/v1/oversight/anomalies/refresh', auditor.cookie, {})).json().items,
    ).toHaveLength(queue.items.length);
    const blocked = queue.items.find((i) => i.detector === 'blocked_terms')!;
    const review = await call('POST', `/api/v1/oversight/anomalies/${blocked.id}/review`, auditor.cookie, {
      status: 'escalated',
      note: 'referred to internal affairs',
    });
    expect(review.statusCode).toBe(200);
    expect(
      (
        await call('POST', `/api/v1/oversight/anomalies/${blocked.id}/review`, auditor.cookie, {
          status: 'cleared',
          note: 'x',
        })
      ).statusCode,
    ).toBe(409);
    const after = (await call('GET', '/api/v1/oversight/anomalies', auditor.cookie)).json();
    expect(after.open).toBe(queue.open - 1);
    expect(after.items.find((i: { id: number }) => i.id === blocked.id)).toMatchObject({
      status: 'escalated',
      reviewedBy: 'aud.kim',
    });
    const reviewed = await hub.ctx.db.query("SELECT 1 FROM audit_events WHERE kind = 'anomaly.reviewed'");
    expect(reviewed).toHaveLength(1);
  });
});
