// Sign-in and the `user` authenticator on both engines (AUTH-01..06, SESS-01..05): password plus TOTP
// within ±1 step and never a step twice, one public message for every wrong factor, 5 failures lock
// 15 minutes, a fresh random session id per login kept only as its hash, the cookie's attributes, the idle
// timeout, and the concurrent-session limit. Time is the hub's manual clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { base32Decode } from '../../../shared/crypto/base32.js';
import { hashToken } from '../../../shared/crypto/tokens.js';
import { hotp, totpStep } from '../../../shared/crypto/totp.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import { openTestHub, type TestHub } from '../../support/hub-ingest.js';
import {
  createTestUser,
  ensureTestAgency,
  sessionCookieOf,
  signIn,
  type TestUser,
} from '../../support/hub-users.js';

const codeAt = (user: TestUser, step: number) => {
  const seed = base32Decode(user.seed);
  if (!seed.ok) throw new Error('bad seed');
  return hotp(seed.bytes, step);
};

describe.each(HUB_ENGINES)('sign-in on %s', (engine) => {
  let hub: TestHub;
  let agencyId: number;
  let user: TestUser;
  beforeEach(async () => {
    hub = await openTestHub(engine);
    agencyId = await ensureTestAgency(hub.ctx, 'CA0430100', { home: true });
    user = await createTestUser(hub.ctx, { role: 'investigator', agencyId, username: 'det.alvarez' });
  });
  afterEach(() => hub.close());

  const post = (body: Record<string, unknown>) =>
    hub.app.inject({ method: 'POST', url: '/api/v1/session', payload: body });
  const attempt = (
    u: TestUser,
    overrides: Partial<{ password: string; totp: string; username: string }> = {},
  ) =>
    post({
      username: u.username,
      password: u.password,
      totp: codeAt(u, totpStep(hub.clock())),
      ...overrides,
    });
  const whoami = (cookie: string) =>
    hub.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
  const auditKinds = async () =>
    (
      await hub.ctx.db.query<{ kind: string; payload: string }>(
        'SELECT kind, payload FROM audit_events ORDER BY seq',
      )
    ).map((r) => ({ kind: r.kind, payload: JSON.parse(r.payload) as Record<string, unknown> }));

  it('signs in with password and TOTP, sets a strict HttpOnly cookie, and stores only the id hash', async () => {
    const res = await attempt(user);
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^alpr_session=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure'); // no TLS in this hub
    const cookie = sessionCookieOf(res.headers['set-cookie'])!;
    const token = cookie.slice('alpr_session='.length);
    const rows = await hub.ctx.db.query<Record<string, unknown>>('SELECT * FROM sessions');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const me = await whoami(cookie);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { username: 'det.alvarez', role: 'investigator' },
      acknowledged: false,
    });
    expect(me.json().notice.hash).toMatch(/^[0-9a-f]{64}$/);
    const audit = await auditKinds();
    expect(audit.at(-1)).toMatchObject({
      kind: 'login.succeeded',
      payload: { user: 'det.alvarez', agency: 'CA0430100', outcome: 'ok', clientAddress: '127.0.0.1' },
    });
  });

  it('answers a wrong password and a wrong code with the same message; the audit has the precise reason', async () => {
    const badPassword = await attempt(user, { password: `${user.password}x` });
    const badCode = await attempt(user, { totp: codeAt(user, totpStep(hub.clock()) + 5) });
    const unknown = await attempt(user, { username: 'nobody.here' });
    const noCode = await attempt(user, { totp: '' });
    for (const res of [badPassword, badCode, unknown, noCode]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual(badPassword.json());
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(badPassword.json()).toMatchObject({ error: 'invalid_credentials' });
    const reasons = (await auditKinds())
      .filter((e) => e.kind === 'login.failed')
      .map((e) => e.payload.category);
    expect(reasons).toEqual(['bad_password', 'totp_mismatch', 'unknown_user', 'totp_missing']);
    expect(await hub.ctx.db.query('SELECT 1 FROM sessions')).toHaveLength(0);
  });

  it('accepts a code one step early or late, refuses two steps off', async () => {
    const now = totpStep(hub.clock());
    const late = await createTestUser(hub.ctx, { role: 'investigator', agencyId });
    const far = await createTestUser(hub.ctx, { role: 'investigator', agencyId });
    expect((await attempt(user, { totp: codeAt(user, now - 1) })).statusCode).toBe(200);
    expect((await attempt(late, { totp: codeAt(late, now + 1) })).statusCode).toBe(200);
    expect((await attempt(far, { totp: codeAt(far, now - 2) })).statusCode).toBe(401);
    expect((await attempt(far, { totp: codeAt(far, now + 2) })).statusCode).toBe(401);
  });

  it('refuses a step already used, even after signing out', async () => {
    const code = codeAt(user, totpStep(hub.clock()));
    const first = await attempt(user, { totp: code });
    expect(first.statusCode).toBe(200);
    const cookie = sessionCookieOf(first.headers['set-cookie'])!;
    expect(
      (await hub.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } })).statusCode,
    ).toBe(200);
    const again = await attempt(user, { totp: code });
    expect(again.statusCode).toBe(401);
    const last = (await auditKinds()).filter((e) => e.kind === 'login.failed').at(-1);
    expect(last?.payload.category).toBe('totp_reused');
  });

  it('locks the account for 15 minutes after 5 failures, then lets the right credentials in', async () => {
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await attempt(user, { password: `wrong-password-${i}` }));
    expect(answers.slice(0, 4).map((r) => r.json().error)).toEqual(Array(4).fill('invalid_credentials'));
    expect(answers[4]!.json().error).toBe('account_locked');
    // Locked: the right password and code are not even looked at.
    const whileLocked = await attempt(user);
    expect(whileLocked.statusCode).toBe(401);
    expect(whileLocked.json().error).toBe('account_locked');
    const audit = await auditKinds();
    expect(audit.filter((e) => e.kind === 'account.locked')).toHaveLength(1);
    expect(audit.filter((e) => e.kind === 'login.failed').at(-1)?.payload.category).toBe('locked');
    hub.clock.advance(14 * 60_000 + 59_000);
    expect((await attempt(user)).json().error).toBe('account_locked');
    hub.clock.advance(1000);
    expect((await attempt(user)).statusCode).toBe(200);
    const row = await hub.ctx.db.query<{ failed_logins: number; locked_until: Date | null }>(
      'SELECT failed_logins, locked_until FROM users WHERE id = $1',
      [user.id],
    );
    expect(row[0]).toEqual({ failed_logins: 0, locked_until: null });
  });

  it('gives a new session id at every login and ends the older session over the limit of one', async () => {
    const a = await signIn(hub, user, { acknowledge: false });
    const b = await signIn(hub, user, { acknowledge: false });
    expect(a.cookie).not.toBe(b.cookie);
    expect((await whoami(a.cookie)).statusCode).toBe(401);
    expect((await whoami(b.cookie)).statusCode).toBe(200);
    const ended = await hub.ctx.db.query<{ end_reason: string }>(
      'SELECT end_reason FROM sessions WHERE ended_at IS NOT NULL',
    );
    expect(ended).toEqual([{ end_reason: 'session_limit' }]);
  });

  it('ends a session idle for 30 minutes; activity keeps it alive', async () => {
    const { cookie } = await signIn(hub, user, { acknowledge: false });
    hub.clock.advance(29 * 60_000);
    expect((await whoami(cookie)).statusCode).toBe(200);
    hub.clock.advance(29 * 60_000);
    expect((await whoami(cookie)).statusCode).toBe(200);
    hub.clock.advance(30 * 60_000);
    const res = await whoami(cookie);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'unauthorized', reason: 'idle' });
    expect((await auditKinds()).at(-1)).toMatchObject({
      kind: 'session.ended',
      payload: { category: 'idle' },
    });
  });

  it('refuses a missing, malformed or unknown cookie with 401 JSON', async () => {
    for (const cookie of [undefined, 'alpr_session=short', `alpr_session=${'A'.repeat(43)}`]) {
      const res = await hub.app.inject({
        method: 'GET',
        url: '/api/v1/session',
        headers: cookie ? { cookie } : {},
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toBe('unauthorized');
    }
  });

  it('signs out: the cookie no longer works and the logout is audited', async () => {
    const { cookie } = await signIn(hub, user, { acknowledge: false });
    const out = await hub.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } });
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await whoami(cookie)).statusCode).toBe(401);
    expect((await auditKinds()).at(-1)).toMatchObject({
      kind: 'session.ended',
      payload: { category: 'logout' },
    });
  });

  it('ends a session at its absolute lifetime (12 h) however active', async () => {
    const { cookie } = await signIn(hub, user, { acknowledge: false });
    for (let i = 0; i < 35; i++) {
      hub.clock.advance(20 * 60_000);
      expect((await whoami(cookie)).statusCode).toBe(200);
    }
    hub.clock.advance(20 * 60_000); // 12 h after sign-in
    const res = await whoami(cookie);
    expect(res.statusCode).toBe(401);
    expect(res.json().reason).toBe('expired');
  });

  it('ends a session when the clock runs backwards (fail closed)', async () => {
    const { cookie } = await signIn(hub, user, { acknowledge: false });
    hub.clock.advance(-60_000);
    const res = await whoami(cookie);
    expect(res.statusCode).toBe(401);
    expect(res.json().reason).toBe('clock');
  });
});

describe('the session cookie over TLS', () => {
  it('is Secure when the hub serves TLS', async () => {
    const hub = await openTestHub('pglite', {
      config: { hub: { tls: { certPath: 'hub.crt', keyPath: 'hub.key' } } },
    });
    try {
      const agencyId = await ensureTestAgency(hub.ctx, 'CA0430100', { home: true });
      const user = await createTestUser(hub.ctx, { role: 'auditor', agencyId });
      const res = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: {
          username: user.username,
          password: user.password,
          totp: codeAt(user, totpStep(hub.clock())),
        },
      });
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure$/);
    } finally {
      await hub.close();
    }
  });
});
