// The auditor's report sign-off page with real accounts on both engines (CMP-02): the list shows each
// report's period and result; the form records one sign-off through the oversight API (one audit entry),
// CSRF-checked; a second sign-off by the same auditor is refused in a role=alert; an investigator is
// refused the page (AC-01).
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeQuarterlyReport } from '../../../hub/oversight/report.service.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import { openTestHub, type TestHub } from '../../support/hub-ingest.js';
import { createTestUser, signIn } from '../../support/hub-users.js';
import { HOME_ORI, seedOversightHub } from '../../support/oversight-fixtures.js';
import { csrfOf } from '../../support/page-test-auth.js';

const NOW = Date.UTC(2026, 3, 2, 17);

describe.each(HUB_ENGINES)('report sign-off page (%s)', (engine) => {
  let hub: TestHub;
  afterEach(async () => hub?.close());

  it('lists reports with their result and records one sign-off per auditor, audited', async () => {
    hub = await openTestHub(engine, { now: Date.UTC(2025, 11, 1) });
    await seedOversightHub(hub);
    hub.clock.set(NOW);
    const agencyId = (
      await hub.ctx.db.query<{ id: number }>('SELECT id FROM agencies WHERE ori = $1', [HOME_ORI])
    )[0]!.id;
    const auditor = await signIn(
      hub,
      await createTestUser(hub.ctx, { role: 'auditor', agencyId, username: 'aud.kim' }),
    );
    const investigator = await signIn(
      hub,
      await createTestUser(hub.ctx, { role: 'investigator', agencyId, username: 'det.ray' }),
    );
    const w = await writeQuarterlyReport(hub.ctx, {
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 3, 1),
      outDir: path.join(hub.dataDir, 'r'),
      actor: 'job',
    });
    const get = (cookie: string) => hub.app.inject({ method: 'GET', url: '/reports', headers: { cookie } });
    const post = (cookie: string, form: Record<string, string>) =>
      hub.app.inject({
        method: 'POST',
        url: `/reports/${w.id}/signoff`,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(form).toString(),
      });

    expect((await get(investigator.cookie)).statusCode).toBe(403);
    const page = await get(auditor.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2026-01-01 to 2026-04-01');
    expect(page.body).toContain(`<strong>${w.report.result}</strong>`);
    expect(page.body).toContain(w.jsonSignature.sha256.slice(0, 16));
    expect(page.body).toContain(`action="/reports/${w.id}/signoff"`);
    expect(page.body).toMatch(/<a href="\/reports" aria-current="page">Reports<\/a>/);
    const csrf = csrfOf(page.body);

    const noToken = await post(auditor.cookie, { decision: 'accepted', note: 'reviewed in full' });
    expect(noToken.statusCode).toBe(403);
    const noNote = await post(auditor.cookie, { decision: 'accepted', note: '', _csrf: csrf });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.body).toMatch(/role="alert"[\s\S]*note of 3 to 2000/);
    const signed = await post(auditor.cookie, {
      decision: 'accepted',
      note: 'reviewed in full',
      _csrf: csrf,
    });
    expect(signed.statusCode).toBe(303);
    expect(signed.headers.location).toBe('/reports?done=signed');
    const entries = await hub.ctx.audit.list(hub.ctx.db, { kind: 'report.signed_off' });
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!.payload)).toMatchObject({ user: 'aud.kim' });
    const after = await get(auditor.cookie);
    expect(after.body).toContain('aud.kim: accepted');
    expect(after.body).toContain('reviewed in full');
    expect(after.body).not.toContain(`action="/reports/${w.id}/signoff"`);

    const again = await post(auditor.cookie, { decision: 'rejected', note: 'second try', _csrf: csrf });
    expect(again.statusCode).toBe(409);
    expect(again.body).toMatch(/role="alert"[\s\S]*already signed off/);
    expect(await hub.ctx.audit.list(hub.ctx.db, { kind: 'report.signed_off' })).toHaveLength(1);
  });
});
