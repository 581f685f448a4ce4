import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../../../shared/access/problems.js';
import { type SessionRecord, sessionStatus, sessionsToEndOnLogin } from '../../../shared/access/sessions.js';
import { NOW } from './factories.js';

const session = (overrides: Partial<SessionRecord> = {}): SessionRecord => ({
  id: 's1',
  username: 'det.alvarez',
  createdAt: NOW - HOUR_MS,
  lastSeenAt: NOW - MINUTE_MS,
  endedAt: null,
  ...overrides,
});
const active = { status: 'active' as const };

describe('sessionStatus (SESS-01, SESS-03)', () => {
  it('keeps a session seen within 30 minutes and inside its lifetime', () => {
    expect(sessionStatus(session(), active, NOW)).toEqual({
      valid: true,
      idleExpiresAt: NOW - MINUTE_MS + 30 * MINUTE_MS,
      absoluteExpiresAt: NOW - HOUR_MS + 12 * HOUR_MS,
    });
  });

  it('ends a session idle for 30 minutes', () => {
    expect(sessionStatus(session({ lastSeenAt: NOW - 30 * MINUTE_MS }), active, NOW)).toEqual({
      valid: false,
      reason: 'idle',
    });
    expect(sessionStatus(session({ lastSeenAt: NOW - 30 * MINUTE_MS + 1 }), active, NOW).valid).toBe(true);
  });

  it('ends a session past its absolute lifetime however active it is', () => {
    expect(sessionStatus(session({ createdAt: NOW - 12 * HOUR_MS, lastSeenAt: NOW }), active, NOW)).toEqual({
      valid: false,
      reason: 'expired',
    });
    expect(
      sessionStatus(session({ createdAt: NOW - 2 * HOUR_MS }), active, NOW, {
        idleMinutes: 30,
        absoluteHours: 2,
        maxConcurrent: 1,
      }),
    ).toEqual({ valid: false, reason: 'expired' });
  });

  it('ends every session of a disabled or deleted user at once', () => {
    expect(sessionStatus(session(), { status: 'disabled' }, NOW)).toEqual({
      valid: false,
      reason: 'user_disabled',
    });
    expect(sessionStatus(session(), undefined, NOW)).toEqual({ valid: false, reason: 'user_missing' });
  });

  it('ends sessions created before a revocation (password or role change)', () => {
    expect(sessionStatus(session(), { status: 'active', sessionsNotBefore: NOW - MINUTE_MS }, NOW)).toEqual({
      valid: false,
      reason: 'revoked',
    });
    expect(
      sessionStatus(session(), { status: 'active', sessionsNotBefore: NOW - 2 * HOUR_MS }, NOW).valid,
    ).toBe(true);
  });

  it('ends a logged-out session, and one whose clock went backwards', () => {
    expect(sessionStatus(session({ endedAt: NOW - 1 }), active, NOW)).toEqual({
      valid: false,
      reason: 'ended',
    });
    expect(sessionStatus(session({ lastSeenAt: NOW + 10_000 }), active, NOW)).toEqual({
      valid: false,
      reason: 'clock',
    });
  });
});

describe('sessionsToEndOnLogin (SESS-04)', () => {
  const older = session({ id: 'older', lastSeenAt: NOW - 10 * MINUTE_MS });
  const newer = session({ id: 'newer', lastSeenAt: NOW - MINUTE_MS });

  it('ends every other live session with the default limit of 1', () => {
    expect(sessionsToEndOnLogin([newer, older], NOW)).toEqual(['older', 'newer']);
    expect(sessionsToEndOnLogin([], NOW)).toEqual([]);
  });

  it('keeps the most recently used sessions under a documented exception', () => {
    expect(
      sessionsToEndOnLogin([newer, older], NOW, undefined, {
        maxConcurrent: 2,
        reason: 'dispatch console, ticket 42',
      }),
    ).toEqual(['older']);
    expect(sessionsToEndOnLogin([newer, older], NOW, undefined, { maxConcurrent: 3, reason: ' ' })).toEqual([
      'older',
      'newer',
    ]);
  });

  it('does not count ended, idle or expired sessions', () => {
    const dead = [
      session({ id: 'ended', endedAt: NOW - 1 }),
      session({ id: 'idle', lastSeenAt: NOW - HOUR_MS }),
    ];
    expect(sessionsToEndOnLogin(dead, NOW)).toEqual([]);
  });
});
