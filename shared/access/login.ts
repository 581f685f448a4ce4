// The login decision (AUTH-01, AUTH-03, AUTH-04, AUTH-06) as one ordered pure function: lockout first (a
// locked account's password is not even looked at), then the account, the password, and a TOTP code that
// must match within ±1 step and be for a later step than the last one used. No path yields a session
// without the second factor. Refusals carry a precise reason for the audit; the person sees only
// "invalid credentials" (or "locked"), so the answer does not say which part was wrong.
import type { AccountStatus } from './accounts.js';
import {
  DEFAULT_LOCKOUT_RULES,
  type LockoutRules,
  type LockoutState,
  lockoutGate,
  recordLoginFailure,
  UNLOCKED,
} from './lockout.js';

/** What the TOTP verifier said (shared/crypto/totp.ts `totpVerify`). */
export type TotpCheck = { ok: true; step: number } | { ok: false; reason: string };

export interface LoginInput {
  /** The account, when the username exists. */
  account?: { status: AccountStatus; lockout: LockoutState; lastTotpStep: number | null };
  passwordOk: boolean;
  /** Null when no code was sent. */
  totp: TotpCheck | null;
  now: number;
}

export type LoginRefusal =
  | 'locked'
  | 'unknown_user'
  | 'account_disabled'
  | 'bad_password'
  | 'totp_missing'
  | 'totp_mismatch'
  | 'totp_reused';

export type LoginDecision =
  | { ok: true; lockout: LockoutState; lastTotpStep: number }
  | {
      ok: false;
      reason: LoginRefusal;
      /** The message to show: never says which factor failed. */
      publicMessage: string;
      /** The account's lockout state to store (unchanged for an unknown user). */
      lockout: LockoutState | null;
      /** This attempt locked the account: audit the lock. */
      lockedNow: boolean;
      lockedUntil?: number;
    };

/**
 * AUTH-04 as a rule: a TOTP step at or below the last accepted step is a replay.
 * @example acceptTotpStep(1000, 1000) // { ok: false, reason: 'totp_reused' }
 */
export function acceptTotpStep(
  lastUsedStep: number | null,
  step: number,
): { ok: true; lastTotpStep: number } | { ok: false; reason: 'totp_reused' } {
  return lastUsedStep !== null && step <= lastUsedStep
    ? { ok: false, reason: 'totp_reused' }
    : { ok: true, lastTotpStep: step };
}

const INVALID = 'invalid username, password or code';

/**
 * Decide a login attempt.
 * @example loginDecision({ account, passwordOk: true, totp: { ok: true, step: 57727531 }, now })
 *   // { ok: true, lockout: { failures: 0, lockedUntil: null }, lastTotpStep: 57727531 }
 */
export function loginDecision(input: LoginInput, rules: LockoutRules = DEFAULT_LOCKOUT_RULES): LoginDecision {
  const { account, now } = input;
  if (!account)
    return { ok: false, reason: 'unknown_user', publicMessage: INVALID, lockout: null, lockedNow: false };
  const gate = lockoutGate(account.lockout, now);
  if (!gate.allowed) {
    return {
      ok: false,
      reason: 'locked',
      publicMessage: `account locked after repeated failures; try again after ${new Date(gate.lockedUntil).toISOString()} or ask an admin`,
      lockout: account.lockout,
      lockedNow: false,
      lockedUntil: gate.lockedUntil,
    };
  }
  const fail = (reason: LoginRefusal): LoginDecision => {
    const next = recordLoginFailure(account.lockout, now, rules);
    return {
      ok: false,
      reason,
      publicMessage: INVALID,
      lockout: next.state,
      lockedNow: next.lockedNow,
      ...(next.state.lockedUntil !== null ? { lockedUntil: next.state.lockedUntil } : {}),
    };
  };
  if (account.status !== 'active') return fail('account_disabled');
  if (!input.passwordOk) return fail('bad_password');
  if (!input.totp) return fail('totp_missing');
  if (!input.totp.ok) return fail('totp_mismatch');
  const step = acceptTotpStep(account.lastTotpStep, input.totp.step);
  if (!step.ok) return fail('totp_reused');
  return { ok: true, lockout: UNLOCKED, lastTotpStep: step.lastTotpStep };
}
