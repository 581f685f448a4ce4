// People for hub tests: an enrolled account made through the real service (scrypt hash, sealed TOTP seed,
// audit entries), approved and trained unless told otherwise, and a sign-in that computes the TOTP code
// from the seed with shared/crypto/totp.ts and accepts the notice, returning the cookie to send.
import type { FastifyInstance } from 'fastify';
import { TOTP_ISSUER } from '../../hub/accounts/account-rules.js';
import { SESSION_COOKIE } from '../../hub/accounts/session-cookie.js';
import { createUser } from '../../hub/accounts/users.service.js';
import type { HubContext } from '../../hub/hub-context.js';
import type { Role } from '../../shared/access/roles.js';
import { base32Decode } from '../../shared/crypto/base32.js';
import { hotp, totpStep } from '../../shared/crypto/totp.js';

export interface TestUser {
  id: number;
  username: string;
  password: string;
  /** base32, as the authenticator app holds it */
  seed: string;
  role: Role;
  agencyId: number;
  agencyOri: string;
  /** the last TOTP step signIn used for this user (a step is accepted once) */
  lastStep?: number;
}

let serial = 0;

/** An agency (California LE, ORI CA + 7) for tests; returns its id. Reuses one with the same ORI. */
export async function ensureTestAgency(
  ctx: Pick<HubContext, 'db'>,
  ori = 'CA0430100',
  options: { name?: string; home?: boolean } = {},
): Promise<number> {
  const found = await ctx.db.query<{ id: number }>('SELECT id FROM agencies WHERE ori = $1', [ori]);
  if (found[0]) return found[0].id;
  const rows = await ctx.db.query<{ id: number }>(
    `INSERT INTO agencies (ori, name, agency_type, state, is_home, created_at)
     VALUES ($1, $2, 'local_le', 'CA', $3, now()) RETURNING id`,
    [ori, options.name ?? `Test agency ${ori}`, options.home ?? false],
  );
  return rows[0]!.id;
}

export async function createTestUser(
  ctx: Pick<HubContext, 'db' | 'audit' | 'keys' | 'clock' | 'config'>,
  options: { role: Role; agencyId: number; username?: string; approved?: boolean; trained?: boolean },
): Promise<TestUser> {
  const agency = await ctx.db.query<{ ori: string }>('SELECT ori FROM agencies WHERE id = $1', [
    options.agencyId,
  ]);
  if (!agency[0]) throw new Error(`createTestUser: no agency ${options.agencyId}`);
  serial += 1;
  const username = options.username ?? `${options.role}.${process.pid}.${serial}`;
  const enrolment = await createUser(
    ctx,
    // The lowest scrypt cost the verifier accepts: sign-ins in tests stay fast; the hash records it.
    { username, role: options.role, agencyOri: agency[0].ori, hashParams: { logN: 10, r: 8, p: 1 } },
    { username: 'test:setup', role: null, agencyOri: null, clientAddress: null },
  );
  const now = ctx.clock();
  if (options.approved ?? true) {
    await ctx.db.query('UPDATE users SET approved_by = $2, approved_at = $3 WHERE id = $1', [
      enrolment.user.id,
      'test.supervisor',
      new Date(now - 60_000),
    ]);
  }
  if (options.trained ?? true) {
    await ctx.db.query('UPDATE users SET training_completed_at = $2 WHERE id = $1', [
      enrolment.user.id,
      new Date(now - 86_400_000),
    ]);
  }
  if (!enrolment.otpauthUri.startsWith(`otpauth://totp/${encodeURIComponent(TOTP_ISSUER)}:`)) {
    throw new Error('createTestUser: unexpected enrolment URI');
  }
  return {
    id: enrolment.user.id,
    username: enrolment.user.username,
    password: enrolment.generatedPassword!,
    seed: enrolment.seedBase32,
    role: options.role,
    agencyId: options.agencyId,
    agencyOri: agency[0].ori,
  };
}

/**
 * The TOTP code a user's app would show for a step not used yet: the current step, or the next one (the
 * hub accepts ±1) when the current one was already used by this helper. Throws when both are used.
 */
export function nextTotp(user: TestUser, now: number): { code: string; step: number } {
  const current = totpStep(now);
  const step = user.lastStep === undefined || user.lastStep < current ? current : user.lastStep + 1;
  if (step > current + 1) {
    throw new Error(
      `signIn: ${user.username} already used steps ${current} and ${current + 1}; advance the clock 30 s`,
    );
  }
  const seed = base32Decode(user.seed);
  if (!seed.ok) throw new Error(`nextTotp: ${user.username} has no valid base32 seed`);
  return { code: hotp(seed.bytes, step), step };
}

export type HubApp = FastifyInstance | { app: FastifyInstance; clock: () => number };

export interface SignedIn {
  /** `alpr_session=…` for a Cookie header */
  cookie: string;
  headers: { cookie: string };
  /** the login response body */
  body: Record<string, unknown>;
}

/** The `alpr_session=…` pair of a response's Set-Cookie, or undefined. */
export function sessionCookieOf(setCookie: string | string[] | undefined): string | undefined {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const pair = all.map((c) => c.split(';')[0]!.trim()).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  return pair && pair !== `${SESSION_COOKIE}=` ? pair : undefined;
}

/**
 * Sign in as `user` (password + TOTP) and, unless `acknowledge: false`, accept the current notice.
 * Pass the TestHub (or { app, clock }) so the code is computed at the hub's time; `now` overrides it.
 */
export async function signIn(
  hub: HubApp,
  user: TestUser,
  options: { acknowledge?: boolean; now?: number } = {},
): Promise<SignedIn> {
  const app = 'inject' in hub ? hub : hub.app;
  const now = options.now ?? ('inject' in hub ? Date.now() : hub.clock());
  const totp = nextTotp(user, now);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username: user.username, password: user.password, totp: totp.code },
  });
  if (res.statusCode !== 200) throw new Error(`signIn ${user.username}: ${res.statusCode} ${res.body}`);
  user.lastStep = totp.step;
  const cookie = sessionCookieOf(res.headers['set-cookie']);
  if (!cookie) throw new Error(`signIn ${user.username}: no ${SESSION_COOKIE} cookie set`);
  const body = res.json() as { notice: { hash: string } } & Record<string, unknown>;
  if (options.acknowledge ?? true) {
    const ack = await app.inject({
      method: 'POST',
      url: '/api/v1/session/acknowledge',
      headers: { cookie },
      payload: { noticeHash: body.notice.hash },
    });
    if (ack.statusCode !== 200)
      throw new Error(`acknowledge ${user.username}: ${ack.statusCode} ${ack.body}`);
  }
  return { cookie, headers: { cookie }, body };
}
