// Signed chain heads: a statement "chain C had row SEQ with hash H at time T", signed with Ed25519 by a
// key kept outside the chain's database. Whoever can rewrite the database can recompute every hash,
// but not a signature, so a head anchored elsewhere (an append-only file, the hub, the portal) pins
// history up to it. Pure apart from node:crypto's sign/verify.
import { createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../canonical-json.js';

/** What a signature covers. `chain` names the chain (an edge id, or "hub"). */
export interface HeadStatement {
  chain: string;
  seq: number;
  hash: string;
  /** ms since epoch, UTC, when the head was signed */
  at: number;
}

export interface SignedHead extends HeadStatement {
  /** first 16 hex digits of sha256 of the raw 32-byte public key */
  keyId: string;
  /** base64 Ed25519 signature over headStatementText(statement) */
  signature: string;
}

const STATEMENT_TYPE = 'alpr.audit-head.v1';
const HASH_PATTERN = /^[0-9a-f]{64}$/;

/**
 * The exact bytes signed: RFC 8785 canonical JSON with a type tag, so a head signature can never be
 * replayed as a signature over some other kind of message.
 * @example headStatementText({ chain: 'edge-1', seq: 3, hash: 'ab…', at: 0 })
 */
export function headStatementText(statement: HeadStatement): string {
  return canonicalJson({
    type: STATEMENT_TYPE,
    chain: statement.chain,
    seq: statement.seq,
    hash: statement.hash,
    at: statement.at,
  });
}

/** Raw 32-byte Ed25519 public key of a KeyObject (public or private). */
export function rawPublicKey(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' }) as { x?: string; crv?: string };
  if (jwk.crv !== 'Ed25519' || !jwk.x) throw new TypeError('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

/** Short, stable id of a public key (what anchors and reports print). */
export function keyIdOf(key: KeyObject): string {
  return sha256Hex(rawPublicKey(key)).slice(0, 16);
}

/** A public key from its base64 raw form (what `alpr audit key` prints) or PEM. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return createPublicKey(trimmed);
  const raw = Buffer.from(trimmed, 'base64');
  if (raw.length !== 32) throw new TypeError('an Ed25519 public key is 32 bytes (base64 or PEM)');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

/**
 * Sign a head with an Ed25519 private key.
 * @example signHead({ chain: 'edge-1', seq: 3, hash, at: now }, privateKey)
 */
export function signHead(statement: HeadStatement, privateKey: KeyObject): SignedHead {
  if (!HASH_PATTERN.test(statement.hash)) throw new TypeError('head hash must be 64 lowercase hex digits');
  if (!Number.isSafeInteger(statement.seq) || statement.seq < 0) throw new TypeError('head seq must be >= 0');
  const signature = sign(null, Buffer.from(headStatementText(statement)), privateKey).toString('base64');
  return {
    chain: statement.chain,
    seq: statement.seq,
    hash: statement.hash,
    at: statement.at,
    keyId: keyIdOf(privateKey),
    signature,
  };
}

export type HeadCheck = { ok: true } | { ok: false; reason: string };

/**
 * Check a signed head's shape, key id and signature against a public key.
 * @example verifySignedHead(anchor, publicKey) // { ok: true }
 */
export function verifySignedHead(head: unknown, publicKey: KeyObject): HeadCheck {
  const h = head as Partial<SignedHead> | null;
  if (
    !h ||
    typeof h.chain !== 'string' ||
    typeof h.hash !== 'string' ||
    !HASH_PATTERN.test(h.hash) ||
    !Number.isSafeInteger(h.seq) ||
    !Number.isSafeInteger(h.at) ||
    typeof h.keyId !== 'string' ||
    typeof h.signature !== 'string'
  ) {
    return { ok: false, reason: 'not a signed head (chain, seq, hash, at, keyId, signature)' };
  }
  const keyId = keyIdOf(publicKey);
  if (h.keyId !== keyId) return { ok: false, reason: `signed by key ${h.keyId}, not by ${keyId}` };
  const statement = { chain: h.chain, seq: h.seq as number, hash: h.hash, at: h.at as number };
  const good = verify(
    null,
    Buffer.from(headStatementText(statement)),
    publicKey,
    Buffer.from(h.signature, 'base64'),
  );
  return good ? { ok: true } : { ok: false, reason: 'signature does not verify: the head was altered' };
}
