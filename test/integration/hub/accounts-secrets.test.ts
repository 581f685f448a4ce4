// No secret reaches a log or the audit chain (AUD-01, AUTH-05, SESS-05): sign-in flows of every kind run
// against a hub whose logger is captured at debug level, then the captured lines and every chain row are
// searched for each password, TOTP seed (base32 and hex), TOTP code and session id used.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode } from '../../../shared/crypto/base32.js';
import { hashToken } from '../../../shared/crypto/tokens.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import { openTestHub, type TestHub } from '../../support/hub-ingest.js';
import {
  createTestUser,
  ensureTestAgency,
  nextTotp,
  sessionCookieOf,
  signIn,
} from '../../support/hub-users.js';
import { captureLogs } from '../../support/log-capture.js';

describe.each(HUB_ENGINES)('secrets in logs and the chain on %s', (engine) => {
  let hub: TestHub;
  const logs = captureLogs('trace');
  const secrets: string[] = [];
  const sessionIds: string[] = [];
  beforeAll(async () => {
    hub = await openTestHub(engine, { logger: logs.logger });
    const agencyId = await ensureTestAgency(hub.ctx, 'CA0430100', { home: true });
    const admin = await createTestUser(hub.ctx, { role: 'admin', agencyId, username: 'admin.s' });
    const det = await createTestUser(hub.ctx, { role: 'investigator', agencyId, username: 'det.s' });
    for (const u of [admin, det]) {
      const seed = base32Decode(u.seed);
      secrets.push(
        u.password,
        u.seed,
        seed.ok ? seed.bytes.toString('hex') : 'x',
        seed.ok ? seed.bytes.toString('base64') : 'x',
      );
    }
    const post = (payload: Record<string, unknown>) =>
      hub.app.inject({ method: 'POST', url: '/api/v1/session', payload });
    // wrong password, wrong code, missing code
    const code = nextTotp(det, hub.clock()).code;
    await post({ username: 'det.s', password: `${det.password}!`, totp: code });
    await post({
      username: 'det.s',
      password: det.password,
      totp: String((Number(code) + 1) % 1_000_000).padStart(6, '0'),
    });
    await post({ username: 'det.s', password: det.password, totp: '' });
    // success, then a replay of the same code
    const ok = await post({ username: 'det.s', password: det.password, totp: code });
    expect(ok.statusCode).toBe(200);
    const token = sessionCookieOf(ok.headers['set-cookie'])!.split('=')[1]!;
    secrets.push(token, code);
    sessionIds.push(token);
    await post({ username: 'det.s', password: det.password, totp: code });
    // acknowledgment, an admin enrolment (shows the new seed and password once), a disable, sign-outs
    const adm = await signIn(hub, admin);
    secrets.push(adm.cookie.split('=')[1]!);
    sessionIds.push(adm.cookie.split('=')[1]!);
    await hub.app.inject({
      method: 'POST',
      url: '/api/v1/session/acknowledge',
      headers: { cookie: `alpr_session=${token}` },
      payload: { noticeHash: (ok.json() as { notice: { hash: string } }).notice.hash },
    });
    const made = await hub.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: adm.headers,
      payload: { username: 'det.new', role: 'investigator' },
    });
    expect(made.statusCode).toBe(201);
    secrets.push(made.json().password, /secret=([A-Z2-7]+)/.exec(made.json().enrolment.otpauthUri)![1]!);
    // a lockout
    for (let i = 0; i < 6; i++)
      await post({ username: 'det.new', password: `wrong-${i}-password`, totp: '123456' });
    await hub.app.inject({
      method: 'POST',
      url: `/api/v1/users/${det.id}/disable`,
      headers: adm.headers,
      payload: {},
    });
    await hub.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: `alpr_session=${token}` },
    });
    await hub.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: adm.headers });
    expect(secrets.every((s) => s.length >= 6)).toBe(true);
  });
  afterAll(() => hub.close());

  it('logged something about these requests (the search below is not over nothing)', () => {
    expect(logs.lines.length).toBeGreaterThan(10);
    expect(logs.text()).toContain('/api/v1/session');
  });

  it('writes no password, seed, code or session id to the log', () => {
    const text = logs.text();
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('writes none to the audit chain, which holds an entry for every step', async () => {
    const rows = await hub.ctx.db.query<{ kind: string; actor: string; payload: string }>(
      'SELECT kind, actor, payload FROM audit_events ORDER BY seq',
    );
    const kinds = new Set(rows.map((r) => r.kind));
    for (const k of [
      'login.failed',
      'login.succeeded',
      'account.locked',
      'notice.accepted',
      'user.created',
      'mfa.enrolled',
      'user.disabled',
      'session.ended',
    ]) {
      expect(kinds).toContain(k);
    }
    const text = rows.map((r) => `${r.actor} ${r.payload}`).join('\n');
    for (const secret of secrets) expect(text).not.toContain(secret);
    // not even the stored hash of a session id
    for (const id of sessionIds) expect(text).not.toContain(hashToken(id));
  });
});
