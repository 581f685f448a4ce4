// Session and one-time tokens: random from the CSPRNG, at least 128 bits (SESS-05), stored only as
// a SHA-256 digest so a copy of the database cannot be replayed as a live session.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const MIN_TOKEN_BYTES = 16;

/**
 * A new random token, base64url (URL- and cookie-safe). Default 32 bytes = 256 bits.
 * @example generateToken() // 'q3Xk...' (43 characters)
 */
export function generateToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_TOKEN_BYTES) {
    throw new RangeError(`a token needs at least ${MIN_TOKEN_BYTES} bytes (128 bits), got ${bytes}`);
  }
  return randomBytes(bytes).toString('base64url');
}

/**
 * The digest to store and look a token up by (hex SHA-256). The token itself is never stored.
 * @example hashToken('q3Xk...') // '5f1c...' (64 hex characters)
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Constant-time equality of two strings (different lengths return false without comparing).
 * @example safeEqual('abc', 'abc') // true
 */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
