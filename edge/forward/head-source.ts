// Where the forwarder finds this edge's signed audit heads and the public key they verify under. Today:
// the anchor file the edge appends its signed heads to, read incrementally from where the last call
// stopped, and the public key derived from the signing-key file. The anchoring work of issue 10 may hand
// heads over directly instead (its onAnchored seam); only `anchorFileHeadSource` changes then.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { parseAnchors } from '../../shared/audit/anchor-file.js';
import type { SignedHead } from '../../shared/audit/signed-head.js';
import { loadSigningKey } from '../../shared/audit/signing-key.js';

export interface HeadSource {
  /** base64 raw Ed25519 public key of this edge's chain; undefined while there is no key yet */
  publicKey(): string | undefined;
  /** signed heads of this chain with seq > `afterSeq`, ascending, at most `limit` */
  headsAfter(afterSeq: number, limit: number): SignedHead[];
}

/**
 * Default places of the edge's anchor file and signing key: beside the store, as the edge's audit
 * anchoring lays them out (audit-anchors.jsonl, keys/audit-head.key). The seam to point at the configured
 * paths (config.audit) once that is on this branch.
 */
export function defaultHeadPaths(storeFile: string): { anchorFile: string; keyFile: string } {
  const dir = path.dirname(path.resolve(storeFile));
  return {
    anchorFile: path.join(dir, 'audit-anchors.jsonl'),
    keyFile: path.join(dir, 'keys', 'audit-head.key'),
  };
}

const CHUNK = 1 << 20;

export function anchorFileHeadSource(options: {
  anchorFile: string;
  keyFile: string;
  chain: string;
}): HeadSource {
  let offset = 0;
  let pending: SignedHead[] = [];
  let key: string | undefined;

  /** Read complete lines appended since the last call. */
  function readNew(): void {
    let fd: number;
    try {
      fd = openSync(options.anchorFile, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      const size = fstatSync(fd).size;
      if (size < offset) offset = 0; // replaced by a shorter file: read it all again
      while (offset < size) {
        const buffer = Buffer.alloc(Math.min(CHUNK, size - offset));
        const n = readSync(fd, buffer, 0, buffer.length, offset);
        const text = buffer.subarray(0, n).toString('utf8');
        const end = text.lastIndexOf('\n');
        if (end < 0) break; // a line still being written
        const parsed = parseAnchors(text.slice(0, end + 1));
        pending.push(
          ...parsed.anchors.filter((h) => h && typeof h === 'object' && h.chain === options.chain),
        );
        offset += Buffer.byteLength(text.slice(0, end + 1));
      }
    } finally {
      closeSync(fd);
    }
  }

  return {
    publicKey() {
      if (key === undefined) {
        try {
          key = loadSigningKey(options.keyFile).publicKeyBase64;
        } catch {
          return undefined; // no key yet (anchoring not set up, or not started): nothing to forward
        }
      }
      return key;
    },
    headsAfter(afterSeq, limit) {
      readNew();
      pending = pending
        .filter((h) => Number.isSafeInteger(h.seq) && h.seq > afterSeq)
        .sort((a, b) => a.seq - b.seq);
      return pending.slice(0, limit);
    },
  };
}
