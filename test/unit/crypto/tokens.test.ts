import { describe, expect, it } from 'vitest';
import { generateToken, hashToken, safeEqual } from '../../../shared/crypto/tokens.js';

describe('generateToken (SESS-05)', () => {
  it('gives at least 128 random bits, URL-safe, never repeating', () => {
    const tokens = Array.from({ length: 500 }, () => generateToken());
    expect(new Set(tokens).size).toBe(500);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(generateToken(16), 'base64url').length).toBe(16);
  });

  it('refuses fewer than 16 bytes', () => {
    expect(() => generateToken(15)).toThrow(/128 bits/);
  });
});

describe('hashToken / safeEqual', () => {
  it('stores a digest that differs from the token and is stable', () => {
    const token = generateToken();
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toContain(token);
  });

  it('compares equal strings true and anything else false', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
