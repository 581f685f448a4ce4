// The session cookie's attributes and parsing (SESS-05), and username normalisation (AC-06): pure parts of
// hub/accounts, checked without a database.
import { describe, expect, it } from 'vitest';
import { checkUsername } from '../../../hub/accounts/account-rules.js';
import {
  clearedSessionCookie,
  readSessionCookie,
  sessionCookie,
} from '../../../hub/accounts/session-cookie.js';
import { generateToken } from '../../../shared/crypto/tokens.js';

const token = generateToken(32);

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Strict, Path=/, and Secure only over TLS', () => {
    expect(sessionCookie(token, { secure: false })).toBe(
      `alpr_session=${token}; Path=/; HttpOnly; SameSite=Strict`,
    );
    expect(sessionCookie(token, { secure: true })).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    expect(clearedSessionCookie({ secure: true })).toMatch(/^alpr_session=; .*Max-Age=0; Secure$/);
  });

  it('reads our cookie among others and ignores anything not shaped like our 256-bit id', () => {
    expect(readSessionCookie({ headers: { cookie: `theme=dark; alpr_session=${token}; x=1` } })).toBe(token);
    expect(readSessionCookie({ headers: { cookie: 'alpr_session=short' } })).toBeUndefined();
    expect(readSessionCookie({ headers: { cookie: `alpr_session=${token}x` } })).toBeUndefined();
    expect(readSessionCookie({ headers: { cookie: `xalpr_session=${token}` } })).toBeUndefined();
    expect(readSessionCookie({ headers: {} })).toBeUndefined();
  });
});

describe('checkUsername', () => {
  it('normalises case and spaces and folds look-alikes to one key', () => {
    const a = checkUsername('  Det.Alvarez ');
    const b = checkUsername('det.alvarez');
    expect(a).toEqual({ ok: true, username: 'det.alvarez', key: expect.any(String) });
    expect(a.ok && b.ok && a.key === b.key).toBe(true);
  });

  it('refuses invisible characters, mixed scripts and ":" (the otpauth label separator)', () => {
    expect(checkUsername('det.a\u200b').ok).toBe(false);
    expect(checkUsername('dеt.alvarez').ok).toBe(false); // Cyrillic е among Latin letters
    expect(checkUsername('det:a').ok).toBe(false);
    expect(checkUsername('   ').ok).toBe(false);
  });
});
