import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSeed, encryptSeed } from '../../../shared/crypto/seed-cipher.js';
import { generateTotpSeed } from '../../../shared/crypto/totp.js';

const key = randomBytes(32);
const seed = generateTotpSeed();

/** Flip one bit of one base64url part of the stored text (1 = IV, 2 = ciphertext, 3 = tag). */
function tamper(stored: string, part: 1 | 2 | 3): string {
  const parts = stored.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[0]! ^= 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('encryptSeed / decryptSeed (AUTH-05: seeds encrypted at rest)', () => {
  it('round-trips a seed for the same owner and key, and never stores the seed in clear', () => {
    const stored = encryptSeed(seed, key, 'user:42');
    expect(decryptSeed(stored, key, 'user:42')).toEqual({ ok: true, seed });
    expect(stored).not.toContain(seed.toString('base64url'));
    expect(stored).not.toContain(seed.toString('hex'));
    expect(stored).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('uses a fresh IV: the same seed encrypts differently every time', () => {
    expect(encryptSeed(seed, key, 'u')).not.toBe(encryptSeed(seed, key, 'u'));
  });

  it.each([1, 2, 3] as const)('detects a flipped bit in part %i', (part) => {
    const stored = encryptSeed(seed, key, 'user:42');
    expect(decryptSeed(tamper(stored, part), key, 'user:42')).toEqual({
      ok: false,
      reason: 'authentication_failed',
    });
  });

  it('refuses another owner (a seed copied onto another account) and another key', () => {
    const stored = encryptSeed(seed, key, 'user:42');
    expect(decryptSeed(stored, key, 'user:43')).toEqual({ ok: false, reason: 'authentication_failed' });
    expect(decryptSeed(stored, randomBytes(32), 'user:42')).toEqual({
      ok: false,
      reason: 'authentication_failed',
    });
  });

  it('reports malformed text, a truncated tag and an unknown format version without throwing', () => {
    const stored = encryptSeed(seed, key, 'u');
    const parts = stored.split('.');
    expect(decryptSeed('garbage', key, 'u')).toEqual({ ok: false, reason: 'malformed' });
    expect(decryptSeed(`${parts.slice(0, 3).join('.')}.${parts[3]!.slice(0, 8)}`, key, 'u')).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(decryptSeed(['v9', ...parts.slice(1)].join('.'), key, 'u')).toEqual({
      ok: false,
      reason: 'unsupported_version',
    });
  });

  it('accepts only a 256-bit key', () => {
    expect(() => encryptSeed(seed, randomBytes(16), 'u')).toThrow(/32 bytes/);
    expect(() => decryptSeed('v1.a.b.c', randomBytes(31), 'u')).toThrow(/32 bytes/);
  });
});

describe('one AES-GCM helper', () => {
  it('seals seeds with the shared secret box, bound to the seed owner', async () => {
    const { openSecret } = await import('../../../shared/crypto/secret-box.js');
    const stored = encryptSeed(seed, key, 'user:42');
    expect(openSecret(key, stored, 'alpr-totp-seed/v1\u0000user:42').equals(seed)).toBe(true);
    expect(() => openSecret(key, stored, 'user:42')).toThrow(/does not open/);
  });
});
