// Login lockout (AUTH-06): after N consecutive failures (5 by default) the account is locked for M minutes
// (15 by default, at least 10 by policy). While locked no password is even checked, so the 6th attempt
// fails with the right password too; the failure that locks is flagged so the caller audits it once.
import { MINUTE_MS } from './problems.js';

export interface LockoutRules {
  maxFailures: number;
  lockMinutes: number;
}

export const DEFAULT_LOCKOUT_RULES: LockoutRules = { maxFailures: 5, lockMinutes: 15 };

export interface LockoutState {
  /** Consecutive failures since the last success or lock expiry. */
  failures: number;
  /** The lock ends at this time (ms); null when not locked. */
  lockedUntil: number | null;
}

export const UNLOCKED: LockoutState = Object.freeze({ failures: 0, lockedUntil: null });

/** The state as it stands at `now`: an expired lock is no lock, and its failures are forgotten. */
function current(state: LockoutState, now: number): LockoutState {
  return state.lockedUntil !== null && now >= state.lockedUntil ? UNLOCKED : state;
}

/**
 * May a login attempt be evaluated at all? Ask before checking the password.
 * @example lockoutGate({ failures: 5, lockedUntil: now + 60_000 }, now) // { allowed: false, lockedUntil: now + 60_000 }
 */
export function lockoutGate(
  state: LockoutState,
  now: number,
): { allowed: true } | { allowed: false; lockedUntil: number } {
  const s = current(state, now);
  return s.lockedUntil === null ? { allowed: true } : { allowed: false, lockedUntil: s.lockedUntil };
}

/**
 * Record a failed attempt. `lockedNow` is true only for the failure that starts a lock (audit it).
 * A failure while locked changes nothing (a lock is not extended by guessing).
 * @example recordLoginFailure({ failures: 4, lockedUntil: null }, now) // { state: { failures: 5, lockedUntil: now + 900_000 }, lockedNow: true }
 */
export function recordLoginFailure(
  state: LockoutState,
  now: number,
  rules: LockoutRules = DEFAULT_LOCKOUT_RULES,
): { state: LockoutState; lockedNow: boolean } {
  const s = current(state, now);
  if (s.lockedUntil !== null) return { state: s, lockedNow: false };
  const failures = s.failures + 1;
  if (failures >= rules.maxFailures) {
    return { state: { failures, lockedUntil: now + rules.lockMinutes * MINUTE_MS }, lockedNow: true };
  }
  return { state: { failures, lockedUntil: null }, lockedNow: false };
}

/**
 * A successful login (or an admin unlock) clears the failures.
 * @example recordLoginSuccess() // { failures: 0, lockedUntil: null }
 */
export function recordLoginSuccess(): LockoutState {
  return UNLOCKED;
}
