import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from '../../../shared/crypto/base32.js';

// RFC 4648 §10 test vectors.
const VECTORS: Array<[string, string]> = [
  ['', ''],
  ['f', 'MY======'],
  ['fo', 'MZXQ===='],
  ['foo', 'MZXW6==='],
  ['foob', 'MZXW6YQ='],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI======'],
];

describe('base32Encode', () => {
  it.each(VECTORS)('encodes %j as %j', (plain, encoded) => {
    expect(base32Encode(Buffer.from(plain))).toBe(encoded);
  });

  it('leaves padding off on request', () => {
    expect(base32Encode(Buffer.from('foobar'), { padding: false })).toBe('MZXW6YTBOI');
  });
});

describe('base32Decode', () => {
  it.each(VECTORS)('decodes %j back from %j', (plain, encoded) => {
    expect(base32Decode(encoded)).toEqual({ ok: true, bytes: Buffer.from(plain) });
  });

  it('accepts lower case, groups of characters and missing padding', () => {
    expect(base32Decode('mzxw 6ytb-oi')).toEqual({ ok: true, bytes: Buffer.from('foobar') });
  });

  it('round-trips random bytes of every length up to 64', () => {
    for (let n = 0; n <= 64; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 255));
      expect(base32Decode(base32Encode(bytes))).toEqual({ ok: true, bytes });
    }
  });

  it('names the bad character, and refuses impossible lengths, bad padding and stray bits', () => {
    expect(base32Decode('MZXW1YTB')).toEqual({
      ok: false,
      message: '"1" at position 5 is not a base32 character',
    });
    expect(base32Decode('MZX')).toMatchObject({ ok: false, message: /cannot encode whole bytes/ });
    expect(base32Decode('MY====')).toMatchObject({ ok: false, message: /multiple of 8/ });
    expect(base32Decode('MZ')).toMatchObject({ ok: false, message: /trailing bits/ });
  });
});
