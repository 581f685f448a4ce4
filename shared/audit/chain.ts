// The audit hash chain, as pure functions: how a row's hash is computed and how a sequence of rows
// is verified. Each row hashes the previous row's hash plus its own canonical JSON, so modifying,
// deleting, inserting or reordering any row breaks the chain at that row. The payload enters the hash
// as the exact stored text, never a re-parsed copy: a payload that is not already canonical JSON
// (RFC 8785; e.g. one with a duplicate key, which parsers read differently) is refused, not hashed.
import { isCanonicalJson, sha256Hex } from '../canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRow {
  seq: number;
  /** ms since epoch, UTC */
  at: number;
  kind: string;
  actor: string;
  /** canonical JSON (RFC 8785) of the event payload, exactly as stored */
  payload: string;
  prevHash: string;
  hash: string;
}

export type AuditContent = Pick<AuditRow, 'seq' | 'at' | 'kind' | 'actor' | 'payload'>;

/** Thrown when a payload is not canonical JSON: it cannot be hashed, so it cannot be stored. */
export class NonCanonicalPayloadError extends Error {
  constructor() {
    super('audit payload is not canonical JSON (RFC 8785): refusing to hash bytes that can be read two ways');
    this.name = 'NonCanonicalPayloadError';
  }
}

/**
 * Hash of one row given the previous row's hash: sha256(prevHash + "\n" + the canonical JSON of
 * {actor, at, kind, payload, seq}), with the stored payload text spliced in verbatim (it is canonical, so
 * this equals canonicalJson of the parsed row). Throws NonCanonicalPayloadError for any other payload.
 * @example computeRowHash(GENESIS_HASH, { seq: 1, at: 0, kind: 'k', actor: 'a', payload: '{}' })
 */
export function computeRowHash(prevHash: string, row: AuditContent): string {
  if (!isCanonicalJson(row.payload)) throw new NonCanonicalPayloadError();
  if (!Number.isSafeInteger(row.seq) || !Number.isSafeInteger(row.at)) {
    throw new TypeError('audit row seq and at must be safe integers');
  }
  // Keys in RFC 8785 order: actor, at, kind, payload, seq.
  const content = `{"actor":${JSON.stringify(row.actor)},"at":${row.at},"kind":${JSON.stringify(row.kind)},"payload":${row.payload},"seq":${row.seq}}`;
  return sha256Hex(`${prevHash}\n${content}`);
}

export interface ChainHead {
  seq: number;
  hash: string;
}

export type ChainVerdict =
  | { ok: true; rows: number; head: ChainHead | undefined }
  | { ok: false; rows: number; badSeq: number; reason: string };

/**
 * Verify rows in ascending seq order against each other and against the recorded head.
 * `rowsChecked` counts rows that passed before the first bad one.
 */
export function verifyChain(rows: Iterable<AuditRow>, recordedHead: ChainHead | undefined): ChainVerdict {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (const row of rows) {
    const fail = (reason: string): ChainVerdict => ({ ok: false, rows: count, badSeq: row.seq, reason });
    if (row.seq !== expectedSeq) {
      return fail(
        row.seq > expectedSeq
          ? `expected row ${expectedSeq} next but found row ${row.seq}: row(s) deleted`
          : `row ${row.seq} appears after row ${expectedSeq - 1}: rows inserted or reordered`,
      );
    }
    if (row.prevHash !== prevHash) {
      return fail(
        `prev_hash does not match the hash of row ${row.seq - 1}: a row was inserted, deleted or reordered`,
      );
    }
    if (!isCanonicalJson(row.payload)) {
      return fail(
        'payload is not canonical JSON (duplicate key, whitespace or key order): the row was modified',
      );
    }
    const actual = computeRowHash(prevHash, row);
    if (actual !== row.hash) return fail('content does not match its hash: the row was modified');
    prevHash = row.hash;
    expectedSeq += 1;
    count += 1;
  }
  const lastSeq = expectedSeq - 1;
  if (recordedHead === undefined) {
    if (count > 0) return { ok: false, rows: count, badSeq: lastSeq, reason: 'chain head record is missing' };
    return { ok: true, rows: 0, head: undefined };
  }
  if (recordedHead.seq !== lastSeq || recordedHead.hash !== prevHash) {
    return {
      ok: false,
      rows: count,
      badSeq: Math.min(recordedHead.seq, lastSeq + 1),
      reason:
        recordedHead.seq > lastSeq
          ? `chain ends at row ${lastSeq} but the head records row ${recordedHead.seq}: rows deleted from the end`
          : `chain head records row ${recordedHead.seq} but the chain ends at row ${lastSeq} with another hash`,
    };
  }
  return { ok: true, rows: count, head: { seq: lastSeq, hash: prevHash } };
}
