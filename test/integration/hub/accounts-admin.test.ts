// Accounts after sign-in, on both engines: the notice must be accepted per session and again for a new
// version (ACK-01..03); roles are denied what they lack (AC-01); disabling ends sessions at once (SESS-03);
// an admin manages only the own agency's accounts; approval is never one's own (AC-04); enrolment is shown
// once as an otpauth URI and a QR code that decodes to it (AUTH-05); login attempts are rate limited.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccountsFeature } from '../../../hub/accounts/accounts.feature.js';
import { HUB_FEATURES } from '../../../hub/hub-features.js';
import { NOTICE, type Notice } from '../../../shared/access/notice.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import { openTestHub, type TestHub } from '../../support/hub-ingest.js';
import { createTestUser, ensureTestAgency, signIn, type TestUser } from '../../support/hub-users.js';
import { decodeQrPng } from '../../support/qr.js';

describe.each(HUB_ENGINES)('accounts on %s', (engine) => {
  let hub: TestHub;
  let notice: Notice;
  let home: number;
  let other: number;
  let admin: TestUser;
  let investigator: TestUser;
  beforeEach(async () => {
    notice = NOTICE;
    const features = HUB_FEATURES.map((f) =>
      f.name === 'accounts' ? createAccountsFeature({ notice: () => notice }) : f,
    );
    hub = await openTestHub(engine, { features });
    home = await ensureTestAgency(hub.ctx, 'CA0430100', { home: true });
    other = await ensureTestAgency(hub.ctx, 'CA0019400');
    admin = await createTestUser(hub.ctx, { role: 'admin', agencyId: home, username: 'admin.a' });
    investigator = await createTestUser(hub.ctx, { role: 'investigator', agencyId: home, username: 'det.a' });
  });
  afterEach(() => hub.close());

  const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: unknown) =>
    hub.app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    });
  const kinds = async () =>
    (await hub.ctx.db.query<{ kind: string }>('SELECT kind FROM audit_events ORDER BY seq')).map(
      (r) => r.kind,
    );

  it('answers 403 acknowledgment_required until this session accepts the current notice, and again for a new one', async () => {
    const { cookie, body } = await signIn(hub, admin, { acknowledge: false });
    const hash = (body.notice as { hash: string }).hash;
    const before = await call('GET', '/api/v1/users', cookie);
    expect(before.statusCode).toBe(403);
    expect(before.json()).toMatchObject({ error: 'acknowledgment_required', noticeHash: hash });
    // Only the current hash is accepted.
    const wrong = await call('POST', '/api/v1/session/acknowledge', cookie, { noticeHash: 'f'.repeat(64) });
    expect(wrong.statusCode).toBe(400);
    expect((await call('GET', '/api/v1/users', cookie)).statusCode).toBe(403);
    const ack = await call('POST', '/api/v1/session/acknowledge', cookie, { noticeHash: hash });
    expect(ack.statusCode).toBe(200);
    expect((await call('GET', '/api/v1/users', cookie)).statusCode).toBe(200);
    const entry = await hub.ctx.db.query<{ payload: string }>(
      "SELECT payload FROM audit_events WHERE kind = 'notice.accepted'",
    );
    expect(entry.map((e) => JSON.parse(e.payload).noticeHash)).toEqual([hash]);
    // A new notice version: the earlier acceptance no longer counts.
    notice = { ...NOTICE, title: `${NOTICE.title} (revised)` };
    const after = await call('GET', '/api/v1/users', cookie);
    expect(after.statusCode).toBe(403);
    expect(after.json().error).toBe('acknowledgment_required');
    const me = await call('GET', '/api/v1/session', cookie);
    expect(me.json()).toMatchObject({ acknowledged: false });
    expect(me.json().notice.hash).not.toBe(hash);
    expect(
      (await call('POST', '/api/v1/session/acknowledge', cookie, { noticeHash: me.json().notice.hash }))
        .statusCode,
    ).toBe(200);
    expect((await call('GET', '/api/v1/users', cookie)).statusCode).toBe(200);
    // Another session of the same user has to accept for itself.
    const second = await signIn(hub, admin, { acknowledge: false });
    expect((await call('GET', '/api/v1/users', second.cookie)).statusCode).toBe(403);
  });

  it('denies a role what it lacks with 403 forbidden', async () => {
    const { cookie } = await signIn(hub, investigator);
    const res = await call('GET', '/api/v1/users', cookie);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'forbidden' });
  });

  it('ends the sessions of a disabled user at once', async () => {
    const det = await signIn(hub, investigator);
    const adm = await signIn(hub, admin);
    expect((await call('GET', '/api/v1/session', det.cookie)).statusCode).toBe(200);
    const res = await call('POST', `/api/v1/users/${investigator.id}/disable`, adm.cookie, {
      reason: 'left the unit',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.status).toBe('disabled');
    const after = await call('GET', '/api/v1/session', det.cookie);
    expect(after.statusCode).toBe(401);
    const open = await hub.ctx.db.query('SELECT 1 FROM sessions WHERE user_id = $1 AND ended_at IS NULL', [
      investigator.id,
    ]);
    expect(open).toHaveLength(0);
    expect(await kinds()).toContain('user.disabled');
    // and no new session either
    await expect(signIn(hub, investigator)).rejects.toThrow(/401/);
  });

  it("keeps an admin to the own agency's accounts", async () => {
    const foreign = await createTestUser(hub.ctx, {
      role: 'investigator',
      agencyId: other,
      username: 'det.b',
    });
    const { cookie } = await signIn(hub, admin);
    const list = await call('GET', '/api/v1/users', cookie);
    expect(
      list
        .json()
        .users.map((u: { username: string }) => u.username)
        .sort(),
    ).toEqual(['admin.a', 'det.a']);
    for (const url of [`/api/v1/users/${foreign.id}/disable`, `/api/v1/users/${foreign.id}/training`]) {
      const res = await call('POST', url, cookie, url.endsWith('training') ? { date: '2026-01-15' } : {});
      expect(res.statusCode).toBe(404);
    }
    const made = await call('POST', '/api/v1/users', cookie, {
      username: 'det.c',
      role: 'investigator',
      agency: 'CA0019400',
    });
    expect(made.statusCode).toBe(403);
    const row = await hub.ctx.db.query<{ status: string; training_completed_at: Date }>(
      'SELECT status, training_completed_at FROM users WHERE id = $1',
      [foreign.id],
    );
    expect(row[0]!.status).toBe('active');
    expect(row[0]!.training_completed_at.toISOString().slice(0, 10)).not.toBe('2026-01-15');
    expect(await hub.ctx.db.query("SELECT 1 FROM users WHERE username = 'det.c'")).toHaveLength(0);
  });

  it('creates an account with its enrolment shown once; the QR code decodes to the otpauth URI', async () => {
    const { cookie } = await signIn(hub, admin);
    const res = await call('POST', '/api/v1/users', cookie, { username: 'Det.New', role: 'investigator' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.user).toMatchObject({ username: 'det.new', role: 'investigator', agency: 'CA0430100' });
    expect(body.enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\/ALPR%20hub:det\.new\?secret=[A-Z2-7]{32}&/);
    expect(await decodeQrPng(body.enrolment.qrDataUrl)).toBe(body.enrolment.otpauthUri);
    expect(body.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const secret = /secret=([A-Z2-7]+)/.exec(body.enrolment.otpauthUri)![1]!;
    // Never again: not in the list, not in the row, not in the audit.
    const list = await call('GET', '/api/v1/users', cookie);
    expect(list.body).not.toContain(secret);
    const rows = await hub.ctx.db.query('SELECT * FROM users WHERE username = $1', ['det.new']);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(JSON.stringify(rows)).not.toContain(body.password);
    const audit = await hub.ctx.db.query<{ payload: string }>('SELECT payload FROM audit_events');
    expect(audit.map((a) => a.payload).join('\n')).not.toContain(secret);
    expect(await kinds()).toEqual(expect.arrayContaining(['user.created', 'mfa.enrolled']));
    // A weak password is refused with the reason.
    const weak = await call('POST', '/api/v1/users', cookie, {
      username: 'det.weak',
      role: 'investigator',
      password: 'Password123!',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().problems.join(' ')).toMatch(/common|breached/);
    // One account per person: a look-alike name is the same person.
    const dup = await call('POST', '/api/v1/users', cookie, { username: 'DET.NEW ', role: 'investigator' });
    expect(dup.statusCode).toBe(409);
  });

  it('records a supervisor approval, never by the account itself', async () => {
    const supervisor = await createTestUser(hub.ctx, {
      role: 'supervisor',
      agencyId: home,
      username: 'sgt.a',
    });
    const fresh = await createTestUser(hub.ctx, { role: 'investigator', agencyId: home, approved: false });
    const { cookie } = await signIn(hub, supervisor);
    const self = await call('POST', `/api/v1/users/${supervisor.id}/approval`, cookie);
    expect(self.statusCode).toBe(403);
    const ok = await call('POST', `/api/v1/users/${fresh.id}/approval`, cookie);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.approval.by).toBe('sgt.a');
    // an admin does not hold account.approve
    const adm = await signIn(hub, admin);
    expect((await call('POST', `/api/v1/users/${fresh.id}/approval`, adm.cookie)).statusCode).toBe(403);
  });

  it('records a training date, refusing one in the future', async () => {
    const { cookie } = await signIn(hub, admin);
    const ok = await call('POST', `/api/v1/users/${investigator.id}/training`, cookie, {
      date: '2026-02-10',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.trainingCompletedAt).toBe('2026-02-10T00:00:00.000Z');
    const future = await call('POST', `/api/v1/users/${investigator.id}/training`, cookie, {
      date: '2027-01-01',
    });
    expect(future.statusCode).toBe(400);
  });

  it('rate limits sign-in per username and per client address with 429', async () => {
    const target = await createTestUser(hub.ctx, {
      role: 'investigator',
      agencyId: home,
      username: 'det.target',
    });
    const tries = [];
    for (let i = 0; i < 11; i++) {
      tries.push(
        await hub.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          remoteAddress: `10.0.0.${i + 1}`,
          payload: { username: target.username, password: 'not the password', totp: '000000' },
        }),
      );
    }
    expect(tries.slice(0, 10).map((r) => r.statusCode)).toEqual(Array(10).fill(401));
    expect(tries[10]!.statusCode).toBe(429);
    expect(Number(tries[10]!.headers['retry-after'])).toBeGreaterThan(0);
    // From one address, many names: the address limit (30) applies.
    const fromOne = [];
    for (let i = 0; i < 31; i++) {
      fromOne.push(
        (
          await hub.app.inject({
            method: 'POST',
            url: '/api/v1/session',
            remoteAddress: '10.9.9.9',
            // not valid usernames (an invisible character): refused without the cost of a password hash
            payload: { username: `spray\u200b${i}`, password: 'not the password', totp: '000000' },
          })
        ).statusCode,
      );
    }
    expect(fromOne.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(fromOne[30]).toBe(429);
    // the real user from a clean address is not affected by others' limits
    expect((await signIn(hub, investigator, { acknowledge: false })).cookie).toMatch(/^alpr_session=/);
    // and each limit's first refusal is audited once
    const limited = await hub.ctx.db.query<{ payload: string }>(
      "SELECT payload FROM audit_events WHERE kind = 'login.failed'",
    );
    expect(limited.filter((r) => JSON.parse(r.payload).category === 'rate_limited')).toHaveLength(2);
    // a new window lets attempts through again
    hub.clock.advance(5 * 60_000);
    const later = await hub.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      remoteAddress: '10.9.9.9',
      payload: { username: 'nobody.x', password: 'not the password', totp: '000000' },
    });
    expect(later.statusCode).toBe(401);
  });
});
