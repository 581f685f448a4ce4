import { describe, expect, it } from 'vitest';
import { BANNED_PASSWORDS } from '../../../shared/access/banned-passwords.js';
import { checkPassword } from '../../../shared/access/password-policy.js';

const ctx = { username: 'det.alvarez', agencyName: 'San Jose Police Department', agencyOri: 'CA0431100' };
const code = (password: string, context = ctx) => {
  const r = checkPassword(password, context);
  return r.ok ? 'ok' : r.problems.map((p) => p.code).join(',');
};

describe('checkPassword (AUTH-07)', () => {
  it.each([
    'correct horse battery staple',
    'my cat eats tacos on tuesdays',
    '8 horses eat hay quietly',
    '839201748562',
    'Tr0ub4dor&3Monkey!',
    'lowercase only is fine here',
    'ÜBERSICHT über alles ja',
  ])('accepts %j (no composition rules)', (password) => {
    expect(code(password)).toBe('ok');
  });

  it('needs 12 characters, counted in code points after NFKC, and allows up to 128', () => {
    expect(code('short pass1')).toBe('too_short');
    expect(code('😀😀😀😀😀😀😀😀😀😀😀')).toBe('too_short');
    expect(code('a'.repeat(129))).toBe('too_long');
    expect(code(`${'purple elephant marmalade '.repeat(5)}`.slice(0, 128))).toBe('ok');
    expect(checkPassword('purple elephant!', {}, { minLength: 16, maxLength: 64 }).ok).toBe(true);
    expect(checkPassword('purple elephant', {}, { minLength: 16, maxLength: 64 }).ok).toBe(false);
  });

  it.each([
    'P@ssw0rd2024!',
    'password1234',
    'Summer2024!!!!',
    'qwertyuiop123',
    '123456789012',
    '!!Welcome1!!',
    '$ecret12345678',
    'ｐａｓｓｗｏｒｄ１２３４５',
    'iloveyou2026!',
  ])('rejects the common or breached %j', (password) => {
    expect(code(password)).toBe('banned');
  });

  it.each([
    ['det.alvarez-2026', 'contains_username'],
    ['Alvarez2026Det!', 'context_words'],
    ['alprsanjose2026!', 'context_words'],
    ['sanjosepolice2026', 'context_words'],
    ['CA0431100CA0431100', 'context_words'],
    ['passwordpassword', 'context_words'],
    ['Dragon!Dragon!Dragon', 'context_words'],
    ['Raiders4ever!!', 'context_words'],
  ])('rejects %j built from context or common words', (password, expected) => {
    expect(code(password)).toBe(expected);
  });

  it('rejects keyboard runs and repeated characters', () => {
    expect(code('aaaaaaaaaaaaaaa')).toBe('too_simple');
    expect(code('abababababab')).toBe('too_simple');
    expect(code('zyxwvutsrqponm')).toBe('too_simple');
    expect(code('asdfghjklasdf')).toBe('too_simple');
  });

  it('rejects control characters and returns the NFKC form to hash', () => {
    expect(code('tab\tinside the passphrase')).toBe('bad_characters');
    expect(checkPassword('ﬁne passphrase here', ctx)).toEqual({ ok: true, value: 'fine passphrase here' });
  });

  it('ships a banned list of several hundred lower-case letters-and-digits entries', () => {
    expect(BANNED_PASSWORDS.length).toBeGreaterThan(300);
    for (const w of BANNED_PASSWORDS) expect(w).toMatch(/^[a-z0-9]+$/);
  });
});
