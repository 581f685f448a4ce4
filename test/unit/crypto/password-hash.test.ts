import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  needsRehash,
  parsePasswordHash,
  type ScryptParams,
  verifyPassword,
} from '../../../shared/crypto/password-hash.js';

// Cheap parameters keep the suite fast; one test runs the defaults.
const FAST: ScryptParams = { logN: 10, r: 8, p: 1 };

describe('hashPassword / verifyPassword (AUTH-07)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple', FAST);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('stores the parameters and a unique salt of at least 16 bytes with every hash', async () => {
    const a = await hashPassword('same password here', FAST);
    const b = await hashPassword('same password here', FAST);
    expect(a).not.toBe(b);
    const parsed = parsePasswordHash(a);
    expect(parsed.params).toEqual(FAST);
    expect(parsed.salt.length).toBeGreaterThanOrEqual(16);
    expect(parsed.salt.equals(parsePasswordHash(b).salt)).toBe(false);
    expect(a).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  });

  it('hashes the NFKC form, so the same password typed on another keyboard still verifies', async () => {
    const stored = await hashPassword('ｐａｓｓｐｈｒａｓｅ ｗｉｔｈ ｆｕｌｌｗｉｄｔｈ', FAST);
    expect(await verifyPassword('passphrase with fullwidth', stored)).toBe(true);
  });

  it('uses N=2^15, r=8, p=3 by default', async () => {
    const stored = await hashPassword('a default-cost password');
    expect(parsePasswordHash(stored).params).toEqual({ logN: 15, r: 8, p: 3 });
    expect(await verifyPassword('a default-cost password', stored)).toBe(true);
  });

  it('flags hashes made with weaker parameters for rehash', async () => {
    const stored = await hashPassword('some long password', FAST);
    expect(needsRehash(stored)).toBe(true);
    expect(needsRehash(stored, FAST)).toBe(false);
  });

  it('throws on a malformed or abusive stored hash instead of answering false', async () => {
    await expect(verifyPassword('x', 'plaintext-password')).rejects.toThrow(/format/);
    await expect(verifyPassword('x', '$scrypt$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA')).rejects.toThrow(
      /logN/,
    );
    await expect(verifyPassword('x', '$scrypt$ln=10,r=8,p=1$AAAA$AAAA')).rejects.toThrow(/salt/);
  });
});
