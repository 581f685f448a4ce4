// Session rules (SESS-01, SESS-03, SESS-04): a session ends after 30 idle minutes (at most, by policy)
// or its absolute lifetime, at once when its user is disabled, deleted or has had all sessions revoked
// (password or role change), and when a new login pushes it over the concurrent-session limit.
// A clock running backwards ends the session too: fail closed.

import type { AccountStatus } from './accounts.js';
import { HOUR_MS, MINUTE_MS } from './problems.js';

export interface SessionRules {
  /** Idle timeout, minutes (default and policy maximum 30). */
  idleMinutes: number;
  /** Absolute lifetime, hours (default 12). */
  absoluteHours: number;
  /** Concurrent sessions per user (default 1). */
  maxConcurrent: number;
}

export const DEFAULT_SESSION_RULES: SessionRules = { idleMinutes: 30, absoluteHours: 12, maxConcurrent: 1 };

/** Tolerated disagreement between the clock and a session's last-seen time (two hub processes). */
export const CLOCK_TOLERANCE_MS = 5000;

export interface SessionRecord {
  id: string;
  username: string;
  createdAt: number;
  lastSeenAt: number;
  /** Set when the session was ended (logout, limit, admin); null while open. */
  endedAt?: number | null;
}

export interface SessionUser {
  status: AccountStatus;
  /** Sessions created before this time are void (set on password change, role change, "end all"). */
  sessionsNotBefore?: number | null;
}

export type SessionEndReason =
  | 'ended'
  | 'user_missing'
  | 'user_disabled'
  | 'revoked'
  | 'clock'
  | 'expired'
  | 'idle';

export type SessionStatus =
  | { valid: true; idleExpiresAt: number; absoluteExpiresAt: number }
  | { valid: false; reason: SessionEndReason };

/**
 * Is this session usable at `now`? Ordered: the first reason found is reported; any answer but
 * `valid: true` means 401.
 * @example sessionStatus(session, { status: 'disabled' }, now) // { valid: false, reason: 'user_disabled' }
 */
export function sessionStatus(
  session: SessionRecord,
  user: SessionUser | undefined,
  now: number,
  rules: SessionRules = DEFAULT_SESSION_RULES,
): SessionStatus {
  if (session.endedAt !== null && session.endedAt !== undefined) return { valid: false, reason: 'ended' };
  if (!user) return { valid: false, reason: 'user_missing' };
  if (user.status !== 'active') return { valid: false, reason: 'user_disabled' };
  if (
    user.sessionsNotBefore !== null &&
    user.sessionsNotBefore !== undefined &&
    session.createdAt < user.sessionsNotBefore
  ) {
    return { valid: false, reason: 'revoked' };
  }
  if (now < session.createdAt - CLOCK_TOLERANCE_MS || now < session.lastSeenAt - CLOCK_TOLERANCE_MS) {
    return { valid: false, reason: 'clock' };
  }
  const absoluteExpiresAt = session.createdAt + rules.absoluteHours * HOUR_MS;
  if (now >= absoluteExpiresAt) return { valid: false, reason: 'expired' };
  const idleExpiresAt = session.lastSeenAt + rules.idleMinutes * MINUTE_MS;
  if (now >= idleExpiresAt) return { valid: false, reason: 'idle' };
  return { valid: true, idleExpiresAt: Math.min(idleExpiresAt, absoluteExpiresAt), absoluteExpiresAt };
}

/** A documented exception to the concurrent-session limit for one user (SESS-04). */
export interface ConcurrentSessionException {
  maxConcurrent: number;
  /** Why, and who allowed it: required, and written to the audit. */
  reason: string;
}

/**
 * Which open sessions must end for a new login to stay within the limit (sessions already idle or
 * expired do not count): the least recently used go first (the newest login wins; the person who just proved password and TOTP is the one present).
 * @example sessionsToEndOnLogin([older, newer], now) // ['older-id'] with the default limit of 1
 */
export function sessionsToEndOnLogin(
  open: readonly SessionRecord[],
  now: number,
  rules: SessionRules = DEFAULT_SESSION_RULES,
  exception?: ConcurrentSessionException,
): string[] {
  const limit = exception && exception.reason.trim() !== '' ? exception.maxConcurrent : rules.maxConcurrent;
  // Sessions already past their idle or absolute limit are dead and do not count against the limit.
  const live = open
    .filter(
      (s) =>
        (s.endedAt === null || s.endedAt === undefined) &&
        now < s.lastSeenAt + rules.idleMinutes * MINUTE_MS &&
        now < s.createdAt + rules.absoluteHours * HOUR_MS,
    )
    .sort((a, b) => a.lastSeenAt - b.lastSeenAt || (a.id < b.id ? -1 : 1));
  const excess = live.length + 1 - Math.max(1, limit);
  return excess > 0 ? live.slice(0, excess).map((s) => s.id) : [];
}
