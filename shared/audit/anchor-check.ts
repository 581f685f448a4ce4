// Does a verified chain agree with the heads anchored outside it? Pure: the caller passes the chain's
// last seq, a lookup of the stored hash at a seq (valid once the chain itself verified), the anchors
// and the public key. A chain that was rewritten and re-hashed, or cut below an anchored head, fails.
import type { KeyObject } from 'node:crypto';
import { type HeadStatement, verifySignedHead } from './signed-head.js';

export type AnchorVerdict =
  | { ok: true; checked: number; latest: HeadStatement | undefined }
  | { ok: false; checked: number; reason: string; seq?: number };

export interface ChainView {
  chain: string;
  /** seq of the last row (0 for an empty chain) */
  lastSeq: number;
  hashAt(seq: number): string | undefined;
}

/**
 * Check every signed anchor of this chain (in file order), then any heads an operator expects (unsigned,
 * e.g. from `--expect-head SEQ:HASH`, taken from a receipt or the hub).
 * @example checkAnchors(view, anchors, publicKey, [{ seq: 10, hash }])
 */
export function checkAnchors(
  view: ChainView,
  anchors: readonly unknown[],
  publicKey: KeyObject | undefined,
  expected: readonly { seq: number; hash: string }[] = [],
): AnchorVerdict {
  let checked = 0;
  let latest: HeadStatement | undefined;
  for (const [index, raw] of anchors.entries()) {
    if (!publicKey) {
      return { ok: false, checked, reason: 'anchors exist but no public key was given to check them' };
    }
    const signature = verifySignedHead(raw, publicKey);
    if (!signature.ok) return { ok: false, checked, reason: `anchor ${index + 1}: ${signature.reason}` };
    const head = raw as HeadStatement;
    if (head.chain !== view.chain) continue;
    if (latest && (head.seq < latest.seq || head.at < latest.at)) {
      return {
        ok: false,
        checked,
        seq: head.seq,
        reason: `anchor ${index + 1} (row ${head.seq}) goes back from an earlier anchor (row ${latest.seq}): the anchor file was edited`,
      };
    }
    const problem = compareHead(view, head, `anchored head ${index + 1}`);
    if (problem) return { ok: false, checked, ...problem };
    latest = head;
    checked += 1;
  }
  for (const head of expected) {
    const problem = compareHead(view, head, 'expected head');
    if (problem) return { ok: false, checked, ...problem };
    checked += 1;
  }
  return { ok: true, checked, latest };
}

function compareHead(
  view: ChainView,
  head: { seq: number; hash: string },
  what: string,
): { reason: string; seq: number } | undefined {
  if (head.seq === 0) return undefined;
  if (head.seq > view.lastSeq) {
    return {
      seq: head.seq,
      reason: `${what} is row ${head.seq} but the chain ends at row ${view.lastSeq}: rows were cut below a head signed earlier`,
    };
  }
  const stored = view.hashAt(head.seq);
  if (stored !== head.hash) {
    return {
      seq: head.seq,
      reason: `${what} says row ${head.seq} has hash ${head.hash.slice(0, 16)}… but the chain has ${stored?.slice(0, 16) ?? 'nothing'}…: the chain was rewritten`,
    };
  }
  return undefined;
}
