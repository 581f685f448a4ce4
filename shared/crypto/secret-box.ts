// The one AES-256-GCM helper: secrets the hub must keep but never show (edge HMAC secrets, TOTP seeds via
// seed-cipher.ts), sealed under the hub's secrets key (hub/hub-keys.ts), which lives outside the database.
// Each box is bound to what it belongs to (associated data, e.g. "edge-secret:edge-01"), so a box copied
// onto another row does not open there. Format: v1.<iv>.<ciphertext>.<tag>, base64url parts.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

function checkKey(key: Uint8Array): void {
  if (key.length !== 32) throw new SecretBoxError('the secrets key must be 32 bytes');
}

/**
 * Seal `plaintext` as `v1.<iv>.<ciphertext>.<tag>` (base64url parts), bound to `context`.
 * @example sealSecret(key, Buffer.from('s'), 'edge-secret:edge-01') // 'v1.…'
 */
export function sealSecret(key: Uint8Array, plaintext: Uint8Array, context: string): string {
  return sealWithIv(key, randomBytes(IV_BYTES), plaintext, Buffer.from(context, 'utf8'));
}

/** The seal with a given IV and associated data: for known-answer tests only (an IV must never repeat). */
export function sealWithIv(key: Uint8Array, iv: Buffer, plaintext: Uint8Array, aad: Buffer): string {
  checkKey(key);
  if (iv.length !== IV_BYTES) throw new SecretBoxError('the IV must be 12 bytes');
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** Open a box sealed for `context`; throws SecretBoxError when it was altered, moved or sealed under another key. */
export function openSecret(key: Uint8Array, sealed: string, context: string): Buffer {
  checkKey(key);
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError('not a sealed secret (v1)');
  const [iv, ciphertext, tag] = parts.slice(1).map((p) => Buffer.from(p, 'base64url')) as [
    Buffer,
    Buffer,
    Buffer,
  ];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
    throw new SecretBoxError('sealed secret is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new SecretBoxError(
      'sealed secret does not open: altered, moved from another record, or sealed under another secrets key',
    );
  }
}
