// Password hashing (AUTH-07): scrypt from node:crypto with a unique 16-byte salt per hash and the cost
// parameters written into the stored string, so parameters can be raised later and old hashes still
// verify (and are flagged for rehash at the next login). Comparison is constant-time.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  logN: number;
  /** Block size r. */
  r: number;
  /** Parallelism p. */
  p: number;
}

/**
 * OWASP's scrypt row N=2^15, r=8, p=3 (32 MiB, about 0.1-0.3 s on one core of a small server):
 * memory-hard enough, and light enough for a 2-core hub serving logins.
 */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { logN: 15, r: 8, p: 3 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Bounds on stored parameters: a tampered row must not make verification take minutes or gigabytes.
const LIMITS = { logN: [10, 20], r: [1, 32], p: [1, 16] } as const;
const PREFIX = '$scrypt$';

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.logN;
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_BYTES,
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

function checkParams(params: ScryptParams): void {
  for (const key of ['logN', 'r', 'p'] as const) {
    const [min, max] = LIMITS[key];
    const v = params[key];
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new RangeError(`scrypt ${key} must be an integer in ${min}..${max}, got ${v}`);
    }
  }
}

/**
 * Hash a password (NFKC-normalised first, as the policy checks it) for storage:
 * `$scrypt$ln=15,r=8,p=3$<salt base64>$<key base64>`.
 * @example await hashPassword('correct horse battery staple') // '$scrypt$ln=15,r=8,p=3$...$...'
 */
export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<string> {
  checkParams(params);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return `${PREFIX}ln=${params.logN},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export interface ParsedPasswordHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

/**
 * Parse a stored hash; throws on anything malformed (a corrupt row is not a wrong password).
 * @example parsePasswordHash(stored).params // { logN: 15, r: 8, p: 3 }
 */
export function parsePasswordHash(stored: string): ParsedPasswordHash {
  const match = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/.exec(
    stored,
  );
  if (!match) throw new Error('stored password hash is not in the $scrypt$ln=..,r=..,p=..$salt$key format');
  const params = { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  checkParams(params);
  const salt = Buffer.from(match[4]!, 'base64');
  const key = Buffer.from(match[5]!, 'base64');
  if (salt.length < SALT_BYTES)
    throw new Error(`stored password salt is ${salt.length} bytes; ${SALT_BYTES} required`);
  if (key.length !== KEY_BYTES)
    throw new Error(`stored password key is ${key.length} bytes; ${KEY_BYTES} expected`);
  return { params, salt, key };
}

/**
 * Check a password against a stored hash, in constant time over the derived key.
 * @example await verifyPassword('correct horse battery staple', stored) // true
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const { params, salt, key } = parsePasswordHash(stored);
  const candidate = await derive(password, salt, params);
  return timingSafeEqual(candidate, key);
}

/**
 * True when a stored hash used weaker parameters than `params` (rehash it after the next good login).
 * @example needsRehash('$scrypt$ln=14,r=8,p=1$...$...') // true
 */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): boolean {
  const current = parsePasswordHash(stored).params;
  return current.logN < params.logN || current.r < params.r || current.p < params.p;
}
