// Base32 (RFC 4648 §6, the alphabet TOTP apps expect): encoding a seed for an otpauth URI and
// decoding what a person typed, with every mistake reported rather than silently skipped.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * Encode bytes as base32. Padding (`=`) is on by default, as in RFC 4648; otpauth URIs leave it off.
 * @example base32Encode(Buffer.from('foobar')) // 'MZXW6YTBOI======'
 */
export function base32Encode(bytes: Uint8Array, options: { padding?: boolean } = {}): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  if (options.padding !== false) while (out.length % 8 !== 0) out += '=';
  return out;
}

export type Base32Result = { ok: true; bytes: Buffer } | { ok: false; message: string };

/**
 * Decode base32: case-insensitive, spaces and dashes ignored (people type seeds in groups), padding
 * optional. Characters outside the alphabet, misplaced padding and impossible lengths are errors.
 * @example base32Decode('mzxw 6ytb oi') // { ok: true, bytes: <Buffer 66 6f 6f 62 61 72> }
 */
export function base32Decode(text: string): Base32Result {
  const compact = text.replace(/[\s-]/g, '').toUpperCase();
  const unpadded = compact.replace(/=+$/, '');
  if (compact.length !== unpadded.length && compact.length % 8 !== 0) {
    return { ok: false, message: 'padded base32 must be a multiple of 8 characters' };
  }
  // 1, 3 and 6 leftover characters cannot come from whole bytes.
  if ([1, 3, 6].includes(unpadded.length % 8)) {
    return { ok: false, message: `${unpadded.length} base32 characters cannot encode whole bytes` };
  }
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < unpadded.length; i++) {
    const value = ALPHABET.indexOf(unpadded[i]!);
    if (value < 0) {
      return { ok: false, message: `"${unpadded[i]}" at position ${i + 1} is not a base32 character` };
    }
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 255);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  if (buffer !== 0)
    return { ok: false, message: 'base32 text has non-zero trailing bits (mistyped last character?)' };
  return { ok: true, bytes: Buffer.from(out) };
}
