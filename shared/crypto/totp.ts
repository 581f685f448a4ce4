// One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238) with SHA-1/256/512, 6 or 8 digits, and a
// verifier that accepts only the current time step ±1 and says which step matched, so the caller can
// refuse a step already used (the pure rule is shared/access/totp-replay.ts).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { base32Encode } from './base32.js';

export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';
export type TotpDigits = 6 | 8;

export interface OtpOptions {
  algorithm?: TotpAlgorithm;
  digits?: TotpDigits;
}

export interface TotpOptions extends OtpOptions {
  /** Time step X in seconds (RFC 6238 default 30). */
  periodS?: number;
  /** Unix time T0 in seconds the steps count from (default 0). */
  t0S?: number;
}

/** Seeds shorter than this are refused outright (RFC 4226 R6: at least 128 bits). */
export const MIN_SECRET_BYTES = 16;
/** Seeds we generate: 160 bits, RFC 4226's recommendation, or the hash length for SHA-256/512. */
export const SEED_BYTES: Record<TotpAlgorithm, number> = { SHA1: 20, SHA256: 32, SHA512: 64 };

const HMAC_NAME: Record<TotpAlgorithm, string> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

/**
 * HOTP value for one counter (RFC 4226 §5.3: HMAC, dynamic truncation, modulo 10^digits).
 * @example hotp(Buffer.from('12345678901234567890'), 1) // '287082'
 */
export function hotp(secret: Uint8Array, counter: number, options: OtpOptions = {}): string {
  const algorithm = options.algorithm ?? 'SHA1';
  const digits = options.digits ?? 6;
  if (secret.length < MIN_SECRET_BYTES) {
    throw new RangeError(`OTP secret is ${secret.length} bytes; at least ${MIN_SECRET_BYTES} are required`);
  }
  if (!Number.isSafeInteger(counter) || counter < 0) throw new RangeError(`bad OTP counter ${counter}`);
  if (digits !== 6 && digits !== 8) throw new RangeError(`OTP digits must be 6 or 8, got ${digits}`);
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(HMAC_NAME[algorithm], secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return binary.toString().padStart(digits, '0');
}

/**
 * The TOTP time step containing `nowMs`: floor((now - T0) / X).
 * @example totpStep(59_000) // 1
 */
export function totpStep(nowMs: number, options: TotpOptions = {}): number {
  const period = options.periodS ?? 30;
  if (!(period > 0)) throw new RangeError(`TOTP period must be positive, got ${period}`);
  return Math.floor((nowMs / 1000 - (options.t0S ?? 0)) / period);
}

/**
 * The TOTP code at `nowMs`.
 * @example totpGenerate(Buffer.from('12345678901234567890'), 59_000, { digits: 8 }) // '94287082'
 */
export function totpGenerate(secret: Uint8Array, nowMs: number, options: TotpOptions = {}): string {
  return hotp(secret, totpStep(nowMs, options), options);
}

export type TotpVerification =
  | { ok: true; step: number; drift: -1 | 0 | 1 }
  | { ok: false; reason: 'malformed' | 'mismatch' };

/**
 * Check a typed code against the steps now−1, now and now+1 (RFC 6238 §5.2: at most one step of
 * network delay or clock drift each way; AUTH-03). Every candidate is computed and compared in
 * constant time, so timing does not say which step was close. Spaces in the code are ignored.
 * The caller must still refuse a step at or below the user's last accepted step (AUTH-04).
 * @example totpVerify(seed, '287082', now) // { ok: true, step: 57727531, drift: 0 }
 */
export function totpVerify(
  secret: Uint8Array,
  code: string,
  nowMs: number,
  options: TotpOptions = {},
): TotpVerification {
  const digits = options.digits ?? 6;
  const typed = code.replace(/\s/g, '');
  if (!new RegExp(`^\\d{${digits}}$`).test(typed)) return { ok: false, reason: 'malformed' };
  const current = totpStep(nowMs, options);
  const typedBytes = Buffer.from(typed);
  let matched: -1 | 0 | 1 | undefined;
  for (const drift of [-1, 0, 1] as const) {
    const step = current + drift;
    if (step < 0) continue;
    const equal = timingSafeEqual(Buffer.from(hotp(secret, step, options)), typedBytes);
    if (equal && matched === undefined) matched = drift;
  }
  return matched === undefined
    ? { ok: false, reason: 'mismatch' }
    : { ok: true, step: current + matched, drift: matched };
}

/**
 * A new TOTP seed from the CSPRNG (AUTH-05): 160 bits for SHA-1, the hash length otherwise.
 * @example generateTotpSeed().length // 20
 */
export function generateTotpSeed(algorithm: TotpAlgorithm = 'SHA1'): Buffer {
  return randomBytes(SEED_BYTES[algorithm]);
}

export interface OtpauthUriInput extends TotpOptions {
  /** The service name shown in the authenticator app, e.g. "San José ALPR hub". */
  issuer: string;
  /** The account, e.g. the username. */
  account: string;
  secret: Uint8Array;
}

/**
 * The enrolment URI authenticator apps read from a QR code (Key Uri Format):
 * otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30.
 * Show it once at enrolment; it carries the seed in clear.
 * @example otpauthUri({ issuer: 'ALPR hub', account: 'det.alvarez', secret })
 *   // 'otpauth://totp/ALPR%20hub:det.alvarez?secret=...&issuer=ALPR%20hub&algorithm=SHA1&digits=6&period=30'
 */
export function otpauthUri(input: OtpauthUriInput): string {
  for (const [field, value] of [
    ['issuer', input.issuer],
    ['account', input.account],
  ] as const) {
    if (value.trim().length === 0) throw new RangeError(`otpauth ${field} must not be empty`);
    if (value.includes(':')) throw new RangeError(`otpauth ${field} must not contain ":"`);
  }
  const label = `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.account)}`;
  const params = [
    `secret=${base32Encode(input.secret, { padding: false })}`,
    `issuer=${encodeURIComponent(input.issuer)}`,
    `algorithm=${input.algorithm ?? 'SHA1'}`,
    `digits=${input.digits ?? 6}`,
    `period=${input.periodS ?? 30}`,
  ];
  return `otpauth://totp/${label}?${params.join('&')}`;
}
