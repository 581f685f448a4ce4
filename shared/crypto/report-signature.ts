// Detached Ed25519 signatures of report files: FILE.sig holds the file's SHA-256 and a signature over a
// typed statement of it, by the hub signing key (hub/hub-keys.ts). Verifying recomputes the hash of the
// bytes on disk, so one changed byte, a swapped signature or another key fails. Pure but for node:crypto.
import { createHash, type KeyObject, sign, verify } from 'node:crypto';
import { keyIdOf } from '../audit/signed-head.js';
import { canonicalJson } from '../canonical-json.js';

const TYPE = 'alpr.report-signature.v1';

export interface ReportSignature {
  type: typeof TYPE;
  /** the signed file's name (informative; the hash is what binds) */
  file: string;
  sha256: string;
  bytes: number;
  keyId: string;
  /** ms since epoch */
  signedAt: number;
  /** base64 Ed25519 over the canonical JSON of { type, sha256, bytes, signedAt } */
  signature: string;
}

export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const statement = (s: Pick<ReportSignature, 'sha256' | 'bytes' | 'signedAt'>) =>
  Buffer.from(canonicalJson({ type: TYPE, sha256: s.sha256, bytes: s.bytes, signedAt: s.signedAt }));

/**
 * @example signReport(bytes, 'report.json', privateKey, now).sha256 // hex of bytes
 */
export function signReport(
  bytes: Uint8Array,
  file: string,
  privateKey: KeyObject,
  signedAt: number,
): ReportSignature {
  const base = { sha256: sha256Of(bytes), bytes: bytes.length, signedAt };
  return {
    type: TYPE,
    file,
    ...base,
    keyId: keyIdOf(privateKey),
    signedAt,
    signature: sign(null, statement(base), privateKey).toString('base64'),
  };
}

export type ReportCheck =
  | { ok: true; sha256: string; keyId: string; signedAt: number }
  | { ok: false; reason: string };

/**
 * @example verifyReport(bytes, JSON.parse(sigText), publicKey) // { ok: true, … }
 */
export function verifyReport(bytes: Uint8Array, sig: unknown, publicKey: KeyObject): ReportCheck {
  const s = sig as Partial<ReportSignature> | null;
  if (
    !s ||
    s.type !== TYPE ||
    typeof s.sha256 !== 'string' ||
    typeof s.signature !== 'string' ||
    !Number.isSafeInteger(s.bytes) ||
    !Number.isSafeInteger(s.signedAt)
  ) {
    return { ok: false, reason: `not a report signature (${TYPE})` };
  }
  const keyId = keyIdOf(publicKey);
  if (s.keyId !== keyId)
    return { ok: false, reason: `signed by key ${s.keyId}, not by the hub key ${keyId}` };
  const actual = sha256Of(bytes);
  if (actual !== s.sha256 || bytes.length !== s.bytes) {
    return {
      ok: false,
      reason: `the file's SHA-256 is ${actual.slice(0, 16)}…, the signature covers ${s.sha256.slice(0, 16)}…: the file was changed`,
    };
  }
  const good = verify(
    null,
    statement({ sha256: s.sha256, bytes: s.bytes!, signedAt: s.signedAt! }),
    publicKey,
    Buffer.from(s.signature, 'base64'),
  );
  return good
    ? { ok: true, sha256: actual, keyId, signedAt: s.signedAt! }
    : { ok: false, reason: 'the signature does not verify: the signature file was altered' };
}
