// The edge→hub request signature of docs/hub-protocol.md: HMAC-SHA-256 under the edge's 32-byte secret over
// a fixed string that binds method, path, edge id, timestamp, nonce and the exact body bytes. Both sides
// use this one module, so they cannot drift apart. Pure apart from node:crypto.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_SCHEME = 'ALPR-HMAC-SHA256-v1';
/** How far an edge's timestamp may be from the hub's clock, either way. */
export const SIGNATURE_WINDOW_MS = 300_000;

export const EDGE_HEADERS = {
  edge: 'x-alpr-edge',
  timestamp: 'x-alpr-timestamp',
  nonce: 'x-alpr-nonce',
  signature: 'x-alpr-signature',
} as const;

export interface SignedRequestParts {
  method: string;
  /** path including any query string, exactly as sent */
  path: string;
  edgeId: string;
  /** ms since epoch, UTC */
  timestamp: number;
  /** 32 lowercase hex digits */
  nonce: string;
  body: Uint8Array;
}

const SECRET_TEXT = /^[A-Za-z0-9_-]{43}$/;

/**
 * The edge secret's text form (what `alpr hub edges add` prints and the edge key file holds) → its 32 bytes.
 * @example parseEdgeSecret(generateEdgeSecret()).length // 32
 */
export function parseEdgeSecret(text: string): Buffer {
  const trimmed = text.trim();
  if (!SECRET_TEXT.test(trimmed))
    throw new TypeError('an edge secret is 32 bytes in base64url (43 characters)');
  return Buffer.from(trimmed, 'base64url');
}

/** A new random edge secret in its text form. */
export function generateEdgeSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A fresh request nonce. */
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The exact text the signature covers (lines joined by "\n", no trailing newline).
 * @example stringToSign({ method: 'POST', path: '/api/v1/ingest/reads', edgeId: 'e1', timestamp: 0, nonce: '00…', body })
 */
export function stringToSign(parts: SignedRequestParts): string {
  return [
    SIGNATURE_SCHEME,
    parts.method.toUpperCase(),
    parts.path,
    parts.edgeId,
    String(parts.timestamp),
    parts.nonce,
    createHash('sha256').update(parts.body).digest('hex'),
  ].join('\n');
}

/** `v1=` + hex HMAC-SHA-256 of stringToSign under `secret` (32 bytes). */
export function computeSignature(secret: Buffer, parts: SignedRequestParts): string {
  return `v1=${createHmac('sha256', secret).update(stringToSign(parts)).digest('hex')}`;
}

/** The four headers of a signed edge request. */
export function signRequest(
  secret: Buffer,
  parts: Omit<SignedRequestParts, 'nonce'> & { nonce?: string },
): Record<string, string> {
  const nonce = parts.nonce ?? newNonce();
  return {
    [EDGE_HEADERS.edge]: parts.edgeId,
    [EDGE_HEADERS.timestamp]: String(parts.timestamp),
    [EDGE_HEADERS.nonce]: nonce,
    [EDGE_HEADERS.signature]: computeSignature(secret, { ...parts, nonce }),
  };
}

/** Constant-time comparison of a presented signature header with the expected one. */
export function signatureMatches(secret: Buffer, parts: SignedRequestParts, presented: string): boolean {
  const expected = Buffer.from(computeSignature(secret, parts));
  const given = Buffer.from(presented);
  // Lengths are public (the format is fixed); only equal-length buffers can be compared in constant time.
  return expected.length === given.length && timingSafeEqual(expected, given);
}
