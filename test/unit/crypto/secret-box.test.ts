// The hub's secret box: AES-256-GCM known answers (GCM specification, test case 16), and a box that was
// altered, moved to another record or sealed under another key does not open.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openSecret, SecretBoxError, sealSecret, sealWithIv } from '../../../shared/crypto/secret-box.js';

const hex = (s: string) => Buffer.from(s, 'hex');

describe('secret box (AES-256-GCM)', () => {
  it('reproduces the GCM specification’s AES-256 test case 16 (96-bit IV, associated data)', () => {
    const key = hex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308');
    const iv = hex('cafebabefacedbaddecaf888');
    const plaintext = hex(
      'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
    );
    const aad = hex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
    const [version, ivPart, ciphertext, tag] = sealWithIv(key, iv, plaintext, aad).split('.');
    expect(version).toBe('v1');
    expect(Buffer.from(ivPart!, 'base64url').toString('hex')).toBe('cafebabefacedbaddecaf888');
    expect(Buffer.from(ciphertext!, 'base64url').toString('hex')).toBe(
      '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    );
    expect(Buffer.from(tag!, 'base64url').toString('hex')).toBe('76fc6ece0f4e1768cddf8853bb2d551b');
  });

  it('opens what it sealed, for the same context, with a fresh IV each time', () => {
    const key = randomBytes(32);
    const secret = randomBytes(32);
    const a = sealSecret(key, secret, 'edge-secret:edge-01');
    const b = sealSecret(key, secret, 'edge-secret:edge-01');
    expect(a).not.toBe(b);
    expect(openSecret(key, a, 'edge-secret:edge-01').equals(secret)).toBe(true);
    expect(a).not.toContain(secret.toString('base64url'));
  });

  it.each([
    ['another record', (box: string) => box, 'edge-secret:edge-02', undefined],
    ['another secrets key', (box: string) => box, 'edge-secret:edge-01', randomBytes(32)],
    [
      'one flipped ciphertext bit',
      (box: string) => {
        const parts = box.split('.');
        const ct = Buffer.from(parts[2]!, 'base64url');
        ct[0]! ^= 1;
        parts[2] = ct.toString('base64url');
        return parts.join('.');
      },
      'edge-secret:edge-01',
      undefined,
    ],
    ['a truncated tag', (box: string) => box.slice(0, -4), 'edge-secret:edge-01', undefined],
  ])('refuses a box moved to or altered by %s', (_what, alter, context, otherKey) => {
    const key = randomBytes(32);
    const box = alter(sealSecret(key, randomBytes(32), 'edge-secret:edge-01'));
    expect(() => openSecret(otherKey ?? key, box, context)).toThrow(SecretBoxError);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => sealSecret(randomBytes(16), Buffer.from('x'), 'c')).toThrow(/32 bytes/);
  });
});
