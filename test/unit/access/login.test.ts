import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LOCKOUT_RULES,
  type LockoutState,
  lockoutGate,
  recordLoginFailure,
  recordLoginSuccess,
  UNLOCKED,
} from '../../../shared/access/lockout.js';
import { acceptTotpStep, type LoginInput, loginDecision } from '../../../shared/access/login.js';
import { MINUTE_MS } from '../../../shared/access/problems.js';
import { NOW } from './factories.js';

const STEP = 59_000_000;
const attempt = (
  overrides: Partial<LoginInput> = {},
  lockout: LockoutState = UNLOCKED,
  lastTotpStep: number | null = STEP - 5,
) =>
  loginDecision({
    account: { status: 'active', lockout, lastTotpStep },
    passwordOk: true,
    totp: { ok: true, step: STEP },
    now: NOW,
    ...overrides,
  });

describe('lockout (AUTH-06)', () => {
  it('locks for 15 minutes on the 5th consecutive failure, and flags that failure only', () => {
    let state: LockoutState = UNLOCKED;
    const locked: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const r = recordLoginFailure(state, NOW + i);
      state = r.state;
      locked.push(r.lockedNow);
    }
    expect(locked).toEqual([false, false, false, false, true]);
    expect(state).toEqual({ failures: 5, lockedUntil: NOW + 4 + 15 * MINUTE_MS });
    expect(lockoutGate(state, NOW + 10 * MINUTE_MS)).toEqual({
      allowed: false,
      lockedUntil: state.lockedUntil,
    });
    expect(lockoutGate(state, state.lockedUntil!)).toEqual({ allowed: true });
  });

  it('does not extend a lock by failing during it, and starts a fresh count after it', () => {
    const locked = { failures: 5, lockedUntil: NOW + MINUTE_MS };
    expect(recordLoginFailure(locked, NOW)).toEqual({ state: locked, lockedNow: false });
    expect(recordLoginFailure(locked, NOW + MINUTE_MS)).toEqual({
      state: { failures: 1, lockedUntil: null },
      lockedNow: false,
    });
  });

  it('clears the count on success', () => {
    expect(recordLoginSuccess()).toEqual({ failures: 0, lockedUntil: null });
    expect(DEFAULT_LOCKOUT_RULES).toEqual({ maxFailures: 5, lockMinutes: 15 });
  });
});

describe('acceptTotpStep (AUTH-04)', () => {
  it('refuses a step at or below the last used one, even inside the same 30 s window', () => {
    expect(acceptTotpStep(1000, 1000)).toEqual({ ok: false, reason: 'totp_reused' });
    expect(acceptTotpStep(1000, 999)).toEqual({ ok: false, reason: 'totp_reused' });
    expect(acceptTotpStep(1000, 1001)).toEqual({ ok: true, lastTotpStep: 1001 });
    expect(acceptTotpStep(null, 5)).toEqual({ ok: true, lastTotpStep: 5 });
  });
});

describe('loginDecision (AUTH-01: no session without the second factor)', () => {
  it('admits a good password with a fresh TOTP step and records the step', () => {
    expect(attempt()).toEqual({ ok: true, lockout: UNLOCKED, lastTotpStep: STEP });
  });

  it('refuses a good password without a TOTP code, with a wrong one, or with a replayed one', () => {
    expect(attempt({ totp: null })).toMatchObject({ ok: false, reason: 'totp_missing' });
    expect(attempt({ totp: { ok: false, reason: 'mismatch' } })).toMatchObject({
      ok: false,
      reason: 'totp_mismatch',
    });
    expect(attempt({}, UNLOCKED, STEP)).toMatchObject({ ok: false, reason: 'totp_reused' });
  });

  it('counts every refused factor as a failure, and never says which factor failed', () => {
    for (const r of [attempt({ passwordOk: false }), attempt({ totp: null }), attempt({}, UNLOCKED, STEP)]) {
      expect(r).toMatchObject({
        ok: false,
        lockout: { failures: 1 },
        publicMessage: 'invalid username, password or code',
      });
    }
  });

  it('fails the 6th attempt with the right password and code once 5 have failed, and audits the lock once', () => {
    let lockout: LockoutState = UNLOCKED;
    const flags: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const r = attempt({ passwordOk: false }, lockout);
      if (r.ok) throw new Error('unexpected success');
      lockout = r.lockout!;
      flags.push(r.lockedNow);
    }
    expect(flags).toEqual([false, false, false, false, true]);
    const sixth = attempt({}, lockout);
    expect(sixth).toMatchObject({
      ok: false,
      reason: 'locked',
      lockedNow: false,
      lockedUntil: NOW + 15 * MINUTE_MS,
    });
    expect(attempt({ now: NOW + 15 * MINUTE_MS }, lockout)).toMatchObject({ ok: true });
  });

  it('refuses unknown users and disabled accounts', () => {
    expect(loginDecision({ passwordOk: false, totp: null, now: NOW })).toMatchObject({
      ok: false,
      reason: 'unknown_user',
      lockout: null,
    });
    expect(
      loginDecision({
        account: { status: 'disabled', lockout: UNLOCKED, lastTotpStep: null },
        passwordOk: true,
        totp: { ok: true, step: 1 },
        now: NOW,
      }),
    ).toMatchObject({ ok: false, reason: 'account_disabled' });
  });
});
