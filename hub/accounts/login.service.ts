// A login attempt end to end (AUTH-01..06, SESS-03..05): count it against the per-username and per-address
// rate limits; then, with the user's row locked (two attempts at once cannot both use one TOTP step or
// both escape the failure count), check the password and the TOTP code, let shared/access/login.ts decide,
// and store the outcome and its audit entry in one transaction. A success ends the sessions over the
// concurrent limit and opens a new one under a fresh random id, of which only the hash is stored.
import { loginDecision, type TotpCheck } from '../../shared/access/login.js';
import { sessionsToEndOnLogin } from '../../shared/access/sessions.js';
import { AccessAuditKind } from '../../shared/audit/access-audit.js';
import { hashPassword, verifyPassword } from '../../shared/crypto/password-hash.js';
import { decryptSeed } from '../../shared/crypto/seed-cipher.js';
import { generateToken, hashToken } from '../../shared/crypto/tokens.js';
import { totpVerify } from '../../shared/crypto/totp.js';
import type { HubSql } from '../db/hub-db.js';
import type { HubContext } from '../hub-context.js';
import { accountPolicy, checkUsername } from './account-rules.js';
import { accessEntry } from './acting-user.js';
import { hitRateLimit, LOGIN_RATE_LIMITS } from './rate-limit.js';
import { endSessions, findUserByKey, openSessionsOf, type UserRecord } from './users.repository.js';

export type LoginServices = Pick<HubContext, 'db' | 'audit' | 'keys' | 'clock' | 'config' | 'logger'>;

export interface LoginInput {
  username: string;
  password: string;
  totp: string | null;
  clientAddress: string | null;
}

export type LoginOutcome =
  | { ok: true; token: string; user: UserRecord; sessionsEnded: number }
  | { ok: false; status: 401 | 429; code: string; message: string; retryAfterS?: number };

// Unknown usernames still pay for one scrypt, so the answer's timing does not say whether a name exists.
let dummyHash: Promise<string> | undefined;
const timingDummy = () => {
  dummyHash ??= hashPassword('timing-equaliser-not-a-password');
  return dummyHash;
};

/** Seed owner bound into the seal: a seed copied onto another row does not open there. */
export const seedOwner = (username: string) => `user:${username}`;

function checkTotp(ctx: LoginServices, user: UserRecord, code: string, now: number): TotpCheck {
  const opened = decryptSeed(user.totpSeedSealed, ctx.keys.secretsKey, seedOwner(user.username));
  if (!opened.ok) {
    // The hub's fault (another secrets key, a tampered row): the person cannot sign in; say why in the log.
    ctx.logger.error(
      { userId: user.id, reason: opened.reason },
      'TOTP seed does not open with this hub’s key',
    );
    return { ok: false, reason: `seed_${opened.reason}` };
  }
  const verified = totpVerify(opened.seed, code, now);
  opened.seed.fill(0);
  return verified.ok ? { ok: true, step: verified.step } : { ok: false, reason: verified.reason };
}

export async function login(ctx: LoginServices, input: LoginInput): Promise<LoginOutcome> {
  const now = ctx.clock();
  const policy = accountPolicy(ctx.config);
  const name = checkUsername(input.username);
  // A name that is not a valid username still counts against its own bucket (by hash: not stored raw).
  const userBucket = `login:user:${name.ok ? name.key : hashToken(input.username)}`;
  const who = name.ok ? name.username : '(invalid username)';
  const byUser = await hitRateLimit(ctx.db, userBucket, LOGIN_RATE_LIMITS.perUsername, now);
  const byAddress = input.clientAddress
    ? await hitRateLimit(ctx.db, `login:addr:${input.clientAddress}`, LOGIN_RATE_LIMITS.perAddress, now)
    : undefined;
  const limited = [byUser, byAddress].filter((h) => h && !h.allowed);
  if (limited.length > 0) {
    // Audited once per window and bucket, so a flood cannot flood the chain too.
    if (limited.some((h) => h!.firstRefusal)) {
      await ctx.db.transaction((tx) =>
        auditFailure(ctx, tx, who, null, input.clientAddress, 'rate_limited', now, {
          limit: byUser.allowed ? 'address' : 'username',
        }),
      );
    }
    const retryAfterS = Math.ceil(Math.max(...limited.map((h) => h!.retryAfterMs)) / 1000);
    return {
      ok: false,
      status: 429,
      code: 'rate_limited',
      message: `too many sign-in attempts; try again in ${retryAfterS} s`,
      retryAfterS,
    };
  }

  return ctx.db.transaction(async (tx): Promise<LoginOutcome> => {
    const user = name.ok ? await findUserByKey(tx, name.key, true) : undefined;
    const locked = user?.lockout.lockedUntil != null && now < user.lockout.lockedUntil;
    let passwordOk = false;
    // A name that is not even a valid username can be no account: no timing to hide there.
    if (!user) {
      if (name.ok) await verifyPassword(input.password, await timingDummy());
    } else if (!locked) passwordOk = await verifyPassword(input.password, user.passwordHash);
    const totp = user && passwordOk && input.totp ? checkTotp(ctx, user, input.totp, now) : null;
    const decision = loginDecision(
      {
        account: user && { status: user.status, lockout: user.lockout, lastTotpStep: user.lastTotpStep },
        passwordOk,
        totp: input.totp ? (totp ?? { ok: false, reason: 'not_checked' }) : null,
        now,
      },
      policy.lockout,
    );
    if (!decision.ok) {
      if (user && decision.lockout) {
        await tx.query('UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1', [
          user.id,
          decision.lockout.failures,
          decision.lockout.lockedUntil === null ? null : new Date(decision.lockout.lockedUntil),
        ]);
      }
      await auditFailure(ctx, tx, user?.username ?? who, user, input.clientAddress, decision.reason, now, {
        failures: decision.lockout?.failures ?? null,
        ...(totp && !totp.ok ? { totp: totp.reason } : {}),
      });
      if (decision.lockedNow && user) {
        await ctx.audit.append(
          tx,
          {
            kind: AccessAuditKind.accountLocked,
            actor: user.username,
            payload: accessEntry({
              ...who3(user),
              clientAddress: input.clientAddress,
              outcome: 'locked',
              category: decision.reason,
              detail: { lockedUntil: new Date(decision.lockedUntil!).toISOString() },
            }),
          },
          now,
        );
      }
      const isLock = decision.reason === 'locked' || decision.lockedNow;
      return {
        ok: false,
        status: 401,
        code: isLock ? 'account_locked' : 'invalid_credentials',
        message: decision.lockedNow
          ? `account locked after repeated failures; try again after ${new Date(decision.lockedUntil!).toISOString()} or ask an admin`
          : decision.publicMessage,
      };
    }
    const u = user!;
    const open = await openSessionsOf(tx, u.id);
    const toEnd = sessionsToEndOnLogin(open, now, policy.session);
    const sessionsEnded =
      toEnd.length > 0 ? await endSessions(tx, { idHashes: toEnd }, 'session_limit', now) : 0;
    const token = generateToken(32);
    await tx.query(
      `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, client_address) VALUES ($1, $2, $3, $3, $4)`,
      [hashToken(token), u.id, new Date(now), input.clientAddress],
    );
    await tx.query(
      `UPDATE users SET failed_logins = 0, locked_until = NULL, last_totp_step = $2, last_active_at = $3 WHERE id = $1`,
      [u.id, decision.lastTotpStep, new Date(now)],
    );
    await ctx.audit.append(
      tx,
      {
        kind: AccessAuditKind.loginSucceeded,
        actor: u.username,
        payload: accessEntry({
          ...who3(u),
          clientAddress: input.clientAddress,
          outcome: 'ok',
          detail: { sessionsEnded },
        }),
      },
      now,
    );
    return { ok: true, token, user: { ...u, lastActiveAt: now }, sessionsEnded };
  });
}

const who3 = (u: UserRecord) => ({ user: u.username, role: u.role, agency: u.agencyOri });

async function auditFailure(
  ctx: LoginServices,
  tx: HubSql,
  username: string,
  user: UserRecord | null | undefined,
  clientAddress: string | null,
  reason: string,
  now: number,
  detail: Record<string, unknown>,
): Promise<void> {
  await ctx.audit.append(
    tx,
    {
      kind: AccessAuditKind.loginFailed,
      actor: username,
      payload: accessEntry({
        ...(user ? who3(user) : { user: username }),
        clientAddress,
        outcome: 'failed',
        category: reason,
        detail: { reason, ...detail },
      }),
    },
    now,
  );
}
