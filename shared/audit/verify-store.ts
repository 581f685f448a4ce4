// Everything `alpr audit verify` checks, in one pass over a store's chain: the chain itself (every row
// against the one before, and the head record), the signed anchors outside the database, heads an
// operator expects (from a receipt or the hub), and audit times that go backwards. Each check is named,
// so a failure says which one; warnings (no anchors, a torn anchor line, a clock step) fail only in strict
// mode. The caller does the I/O (opening the store read-only, reading the anchor file and the key).
import type { KeyObject } from 'node:crypto';
import { type AnchorVerdict, checkAnchors } from './anchor-check.js';
import type { AnchorFileContents } from './anchor-file.js';
import type { AuditLog } from './audit-log.js';
import type { ChainVerdict } from './chain.js';
import { keyIdOf } from './signed-head.js';
import { describeRegression, TimeOrderWatch, type TimeRegression } from './time-order.js';

export type VerifyCheck = 'chain' | 'anchors' | 'expected-head' | 'strict';

export interface VerifyInput {
  audit: AuditLog;
  /** The chain's name in anchors: the node id. */
  chain: string;
  /** The anchor file and what it holds; undefined when there is none. */
  anchors: { file: string; contents: AnchorFileContents } | { file: string; missing: true };
  publicKey: KeyObject | undefined;
  expectedHeads: readonly { seq: number; hash: string }[];
  strict: boolean;
}

export interface StoreVerification {
  ok: boolean;
  /** The checks that failed, in order; empty when ok. */
  failed: VerifyCheck[];
  /** One line per failed check. */
  failures: string[];
  chain: ChainVerdict;
  anchors: {
    file: string;
    present: boolean;
    keyId: string | null;
    checked: number;
    latest: { seq: number; at: string } | null;
    /** Rows after the latest anchored head: only checked against the chain itself. */
    rowsAfterLatest: number;
  };
  expectedHeads: { given: number; ok: boolean };
  timeRegressions: { count: number; first: TimeRegression[] };
  warnings: string[];
}

export function verifyAuditStore(input: VerifyInput): StoreVerification {
  const watch = new TimeOrderWatch();
  const chain = input.audit.verify(watch.watch(input.audit.rows()));
  const lastSeq = chain.ok ? (chain.head?.seq ?? 0) : (input.audit.head()?.seq ?? 0);
  const view = { chain: input.chain, lastSeq, hashAt: (seq: number) => input.audit.hashAt(seq) };
  const failed: VerifyCheck[] = [];
  const failures: string[] = [];
  const warnings: string[] = [];

  if (!chain.ok) {
    failed.push('chain');
    failures.push(
      `chain: broken at row ${chain.badSeq}: ${chain.reason} (${chain.rows} row(s) verified before it)`,
    );
  }

  let anchorVerdict: AnchorVerdict = { ok: true, checked: 0, latest: undefined };
  if ('missing' in input.anchors) {
    if (lastSeq > 0)
      warnings.push(
        `no anchor file at ${input.anchors.file}: the chain was checked only against itself, and whoever can write the database could have rewritten it`,
      );
  } else {
    const { contents, file } = input.anchors;
    for (const problem of contents.problems) {
      warnings.push(`anchor file ${file} line ${problem.line}: ${problem.message} (ignored)`);
    }
    if (contents.tornTail)
      warnings.push(`anchor file ${file} ends in a torn line (a crash while appending; ignored)`);
    anchorVerdict = checkAnchors(view, contents.anchors, input.publicKey);
    if (!anchorVerdict.ok) {
      failed.push('anchors');
      failures.push(`anchors: ${anchorVerdict.reason}${input.publicKey ? '' : ' (pass --public-key)'}`);
    } else if (anchorVerdict.checked === 0) {
      warnings.push(
        `no anchored head of chain "${input.chain}" in ${file}: the chain was checked only against itself`,
      );
    }
  }

  const expected = checkAnchors(view, [], undefined, input.expectedHeads);
  if (!expected.ok) {
    failed.push('expected-head');
    failures.push(`expected head: ${expected.reason}`);
  }

  if (watch.count > 0) {
    warnings.push(
      `audit time goes backwards at ${watch.count} row(s) (a clock stepped back, or rows edited): ` +
        watch.regressions.slice(0, 3).map(describeRegression).join('; ') +
        (watch.count > 3 ? `; … (${watch.count - 3} more)` : ''),
    );
  }
  if (input.strict && warnings.length > 0 && failed.length === 0) {
    failed.push('strict');
    failures.push(`strict: ${warnings.length} warning(s) count as failures with --strict`);
  }

  const latest = anchorVerdict.ok ? anchorVerdict.latest : undefined;
  return {
    ok: failed.length === 0,
    failed,
    failures,
    chain,
    anchors: {
      file: input.anchors.file,
      present: !('missing' in input.anchors),
      keyId: input.publicKey ? keyIdOf(input.publicKey) : null,
      checked: anchorVerdict.checked,
      latest: latest ? { seq: latest.seq, at: new Date(latest.at).toISOString() } : null,
      rowsAfterLatest: Math.max(0, lastSeq - (latest?.seq ?? 0)),
    },
    expectedHeads: { given: input.expectedHeads.length, ok: expected.ok },
    timeRegressions: { count: watch.count, first: watch.regressions },
    warnings,
  };
}
