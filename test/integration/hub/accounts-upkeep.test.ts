// Account upkeep on both engines: accounts unused for 90 days are disabled by the daily job, which runs
// when the feature starts (AC-05), audited, once; and migration 20's constraints hold whatever the code
// does: roles are exactly shared/access/roles.ts's, sessions hold a hash and never an id-shaped token.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountsFeature, runAccountUpkeep } from '../../../hub/accounts/accounts.feature.js';
import { ROLES } from '../../../shared/access/roles.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import { openTestHub, type TestHub } from '../../support/hub-ingest.js';
import { createTestUser, ensureTestAgency, signIn } from '../../support/hub-users.js';

const DAY = 86_400_000;

describe.each(HUB_ENGINES)('account upkeep on %s', (engine) => {
  let hub: TestHub;
  let agencyId: number;
  beforeEach(async () => {
    hub = await openTestHub(engine);
    agencyId = await ensureTestAgency(hub.ctx, 'CA0430100', { home: true });
  });
  afterEach(() => hub.close());

  const status = async (id: number) =>
    (await hub.ctx.db.query<{ status: string }>('SELECT status FROM users WHERE id = $1', [id]))[0]!.status;
  const lastActive = (id: number, ms: number) =>
    hub.ctx.db.query('UPDATE users SET last_active_at = $2, created_at = $3 WHERE id = $1', [
      id,
      new Date(ms),
      new Date(ms - DAY),
    ]);

  it('disables accounts unused for more than 90 days at start, audited once, and ends their sessions', async () => {
    const idle = await createTestUser(hub.ctx, { role: 'investigator', agencyId, username: 'det.idle' });
    const recent = await createTestUser(hub.ctx, { role: 'investigator', agencyId, username: 'det.recent' });
    const session = await signIn(hub, idle, { acknowledge: false });
    await lastActive(idle.id, hub.clock() - 91 * DAY);
    await lastActive(recent.id, hub.clock() - 89 * DAY);
    // the session itself is younger than the account's last activity would say: make it old too
    await hub.ctx.db.query('UPDATE sessions SET created_at = $1, last_seen_at = $1', [
      new Date(hub.clock() - 1000),
    ]);
    const stop = await accountsFeature.start!(hub.ctx);
    await stop();
    expect(await status(idle.id)).toBe('disabled');
    expect(await status(recent.id)).toBe('active');
    const me = await hub.app.inject({ method: 'GET', url: '/api/v1/session', headers: session.headers });
    expect(me.statusCode).toBe(401);
    await runAccountUpkeep(hub.ctx);
    const entries = await hub.ctx.db.query<{ actor: string; payload: string }>(
      "SELECT actor, payload FROM audit_events WHERE kind = 'user.disabled'",
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actor).toBe('system:inactivity');
    expect(JSON.parse(entries[0]!.payload).detail).toMatchObject({ target: { username: 'det.idle' } });
    // two days later the other one crosses the line
    hub.clock.advance(2 * DAY);
    await runAccountUpkeep(hub.ctx);
    expect(await status(recent.id)).toBe('disabled');
  });

  it('allows exactly the roles of shared/access/roles.ts', async () => {
    const user = await createTestUser(hub.ctx, { role: 'auditor', agencyId });
    for (const role of ROLES) {
      await hub.ctx.db.query('UPDATE users SET role = $2 WHERE id = $1', [user.id, role]);
    }
    await expect(
      hub.ctx.db.query("UPDATE users SET role = 'superuser' WHERE id = $1", [user.id]),
    ).rejects.toThrow(/check/i);
  });

  it('stores sessions only by a SHA-256 hex digest', async () => {
    const user = await createTestUser(hub.ctx, { role: 'auditor', agencyId });
    await expect(
      hub.ctx.db.query(
        'INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, now(), now())',
        ['q3Xk-raw-token-not-a-hash-0123456789abcdefgh', user.id],
      ),
    ).rejects.toThrow(/check/i);
  });

  it('fails the action when its audit entry cannot be written (AUD-06)', async () => {
    const user = await createTestUser(hub.ctx, { role: 'investigator', agencyId, username: 'det.audit' });
    const admin = await createTestUser(hub.ctx, { role: 'admin', agencyId, username: 'admin.audit' });
    const adminSession = await signIn(hub, admin);
    await hub.ctx.db.exec(`
      CREATE FUNCTION test_audit_down() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN RAISE EXCEPTION 'audit store unavailable (test)'; END $fn$;
      CREATE TRIGGER test_audit_down BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION test_audit_down();
    `);
    // a sign-in: no session, no cookie, and the failure count is not kept either
    await expect(signIn(hub, user, { acknowledge: false })).rejects.toThrow(/500/);
    const bad = await hub.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: user.username, password: 'not the password', totp: '000000' },
    });
    expect(bad.statusCode).toBe(500);
    expect(bad.body).not.toMatch(/audit store|trigger|SQL/i);
    const rows = await hub.ctx.db.query<{ failed_logins: number; open: number }>(
      `SELECT failed_logins, (SELECT count(*)::int FROM sessions WHERE user_id = $1) AS open FROM users WHERE id = $1`,
      [user.id],
    );
    expect(rows[0]).toEqual({ failed_logins: 0, open: 0 });
    // a disable: the account stays active
    const res = await hub.app.inject({
      method: 'POST',
      url: `/api/v1/users/${user.id}/disable`,
      headers: adminSession.headers,
      payload: {},
    });
    expect(res.statusCode).toBe(500);
    const status = await hub.ctx.db.query<{ status: string }>('SELECT status FROM users WHERE id = $1', [
      user.id,
    ]);
    expect(status[0]!.status).toBe('active');
  });
});
