// Encryption of TOTP seeds at rest (AUTH-05): AES-256-GCM (the one helper, secret-box.ts) under a key
// kept outside the database (the caller reads the key file; this module only takes its bytes). The
// ciphertext is bound to the owner (additional authenticated data), so a seed copied onto another user's
// row fails to decrypt.
import { openSecret, SecretBoxError, sealSecret } from './secret-box.js';

export const SEED_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'v1';

export type SeedDecryption =
  | { ok: true; seed: Buffer }
  | { ok: false; reason: 'malformed' | 'unsupported_version' | 'authentication_failed' };

function checkKey(key: Uint8Array): void {
  if (key.length !== SEED_KEY_BYTES) {
    throw new RangeError(`seed key must be ${SEED_KEY_BYTES} bytes (AES-256), got ${key.length}`);
  }
}

/** Associated data binding a seed to its owner (and to this format). */
const aad = (owner: string) => `alpr-totp-seed/${FORMAT}\u0000${owner}`;

/**
 * Encrypt a seed for storage: `v1.<iv>.<ciphertext>.<tag>` in base64url, a fresh 96-bit IV each time.
 * `owner` (e.g. the user id) is authenticated but not stored: decrypt with the same owner.
 * @example encryptSeed(seed, key, 'user:42') // 'v1.gkN0...'
 */
export function encryptSeed(seed: Uint8Array, key: Uint8Array, owner: string): string {
  checkKey(key);
  return sealSecret(key, seed, aad(owner));
}

/**
 * Decrypt a stored seed. Any change to the stored text (IV, ciphertext, tag, owner, key) is
 * reported as `authentication_failed`, never as a wrong seed.
 * @example decryptSeed(stored, key, 'user:42') // { ok: true, seed: <Buffer ...> }
 */
export function decryptSeed(stored: string, key: Uint8Array, owner: string): SeedDecryption {
  checkKey(key);
  const parts = stored.split('.');
  if (parts.length !== 4) return { ok: false, reason: 'malformed' };
  if (parts[0] !== FORMAT) return { ok: false, reason: 'unsupported_version' };
  const base64url = /^[A-Za-z0-9_-]+$/;
  if (!parts.slice(1).every((p) => base64url.test(p))) return { ok: false, reason: 'malformed' };
  const [iv, , tag] = parts.slice(1).map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return { ok: false, reason: 'malformed' };
  try {
    return { ok: true, seed: openSecret(key, stored, aad(owner)) };
  } catch (error) {
    // GCM's only failure here is a tag mismatch: the stored text or the key is not what was written.
    if (error instanceof SecretBoxError) return { ok: false, reason: 'authentication_failed' };
    throw error;
  }
}
