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
 * Checks rows one at a time in ascending seq order, so a chain of any length can be streamed from a
 * database page by page (the hub) or row by row (the edge) without holding it in memory.
 */
export class ChainWalker {
  private prevHash = GENESIS_HASH;
  private expectedSeq = 1;
  /** rows that passed so far */
  count = 0;

  /** Undefined when `row` continues the chain; else why it breaks it. */
  step(row: AuditRow): string | undefined {
    if (row.seq !== this.expectedSeq) {
      return row.seq > this.expectedSeq
        ? `expected row ${this.expectedSeq} next but found row ${row.seq}: row(s) deleted`
        : `row ${row.seq} appears after row ${this.expectedSeq - 1}: rows inserted or reordered`;
    }
    if (row.prevHash !== this.prevHash) {
      return `prev_hash does not match the hash of row ${row.seq - 1}: a row was inserted, deleted or reordered`;
    }
    if (!isCanonicalJson(row.payload)) {
      return 'payload is not canonical JSON (duplicate key, whitespace or key order): the row was modified';
    }
    if (computeRowHash(this.prevHash, row) !== row.hash) {
      return 'content does not match its hash: the row was modified';
    }
    this.prevHash = row.hash;
    this.expectedSeq += 1;
    this.count += 1;
    return undefined;
  }

  /** The head of the rows walked so far. */
  get head(): ChainHead | undefined {
    return this.count === 0 ? undefined : { seq: this.expectedSeq - 1, hash: this.prevHash };
  }

  /** Compare the walked chain with a head recorded beside it (detects rows cut from the end). */
  finish(recordedHead: ChainHead | undefined): ChainVerdict {
    const lastSeq = this.expectedSeq - 1;
    const count = this.count;
    if (recordedHead === undefined) {
      if (count > 0)
        return { ok: false, rows: count, badSeq: lastSeq, reason: 'chain head record is missing' };
      return { ok: true, rows: 0, head: undefined };
    }
    if (recordedHead.seq !== lastSeq || recordedHead.hash !== this.prevHash) {
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
    return { ok: true, rows: count, head: { seq: lastSeq, hash: this.prevHash } };
  }
}

/**
 * Verify rows in ascending seq order against each other and against the recorded head.
 * `rows` in the verdict counts rows that passed before the first bad one.
 * @example verifyChain(rows, { seq: 5, hash }) // { ok: true, rows: 5, head: { seq: 5, hash } }
 */
export function verifyChain(rows: Iterable<AuditRow>, recordedHead: ChainHead | undefined): ChainVerdict {
  const walker = new ChainWalker();
  for (const row of rows) {
    const problem = walker.step(row);
    if (problem) return { ok: false, rows: walker.count, badSeq: row.seq, reason: problem };
  }
  return walker.finish(recordedHead);
}
