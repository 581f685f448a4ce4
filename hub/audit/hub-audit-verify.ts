// `alpr hub audit verify`: the hub chain recomputed row by row, then compared with the hub's signed anchors
// (and any head an operator expects), then every edge's anchored heads checked: each signed by a key
// pinned for that edge, seqs and times only going forward. Read-only.

import { type AnchorVerdict, checkAnchors } from '../../shared/audit/anchor-check.js';
import { readAnchors } from '../../shared/audit/anchor-file.js';
import type { ChainVerdict } from '../../shared/audit/chain.js';
import { parsePublicKey, verifySignedHead } from '../../shared/audit/signed-head.js';
import type { HeadSigningKey } from '../../shared/audit/signing-key.js';
import type { HubSql } from '../db/hub-db.js';
import { headKeysOf } from '../edges/edges.repository.js';
import { storedHeads } from '../ingest/head-ingest.service.js';
import { HUB_CHAIN } from './hub-anchor.js';
import type { HubAuditLog } from './hub-audit-log.js';

export interface EdgeHeadsVerdict {
  edgeId: string;
  heads: number;
  latest: { seq: number; hash: string; at: number } | null;
  ok: boolean;
  reason?: string;
}

export interface HubAuditReport {
  ok: boolean;
  chain: ChainVerdict;
  anchorFile: string;
  anchors: AnchorVerdict;
  anchorFileProblems: string[];
  edges: EdgeHeadsVerdict[];
}

/** Check one edge's stored heads (pure but for the key parsing). */
export function checkEdgeHeads(
  edgeId: string,
  heads: readonly {
    chain: string;
    seq: number;
    hash: string;
    at: number;
    keyId: string;
    signature: string;
  }[],
  keys: ReadonlyMap<string, string>,
): EdgeHeadsVerdict {
  let latest: EdgeHeadsVerdict['latest'] = null;
  for (const head of heads) {
    const fail = (reason: string): EdgeHeadsVerdict => ({
      edgeId,
      heads: heads.length,
      latest,
      ok: false,
      reason,
    });
    const keyText = keys.get(head.keyId);
    if (!keyText)
      return fail(`head ${head.seq} is signed by key ${head.keyId}, which was never pinned for this edge`);
    const check = verifySignedHead(head, parsePublicKey(keyText));
    if (!check.ok) return fail(`head ${head.seq}: ${check.reason}`);
    if (latest && (head.seq <= latest.seq || head.at < latest.at)) {
      return fail(`head ${head.seq} does not go forward from head ${latest.seq}`);
    }
    latest = { seq: head.seq, hash: head.hash, at: head.at };
  }
  return { edgeId, heads: heads.length, latest, ok: true };
}

export async function verifyHubAudit(
  sql: HubSql,
  audit: HubAuditLog,
  options: {
    anchorFile: string;
    signing: Pick<HeadSigningKey, 'publicKey'>;
    expected?: { seq: number; hash: string }[];
  },
): Promise<HubAuditReport> {
  const chain = await audit.verify(sql);
  const file = readAnchors(options.anchorFile);
  const problems = file.problems.map((p) => `line ${p.line}: ${p.message}`);
  if (file.tornTail) problems.push('the last line was cut short by a crash while appending (ignored)');
  const hubAnchors = file.anchors.filter((a) => (a as { chain?: unknown })?.chain === HUB_CHAIN);
  const expected = options.expected ?? [];
  const seqs = [...new Set([...hubAnchors.map((a) => a.seq), ...expected.map((e) => e.seq)])].filter((s) =>
    Number.isSafeInteger(s),
  );
  const hashes = new Map(
    (
      await sql.query<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM audit_events WHERE seq = ANY($1::bigint[])',
        [seqs],
      )
    ).map((r) => [r.seq, r.hash]),
  );
  const lastSeq = chain.ok ? (chain.head?.seq ?? 0) : 0;
  const anchors = chain.ok
    ? checkAnchors(
        { chain: HUB_CHAIN, lastSeq, hashAt: (seq) => hashes.get(seq) },
        hubAnchors,
        options.signing.publicKey,
        expected,
      )
    : ({ ok: false, checked: 0, reason: 'the chain itself did not verify' } as AnchorVerdict);

  const edges: EdgeHeadsVerdict[] = [];
  const edgeIds = await sql.query<{ edge_id: string }>(
    'SELECT DISTINCT edge_id FROM edge_audit_heads ORDER BY edge_id',
  );
  for (const { edge_id: edgeId } of edgeIds) {
    edges.push(checkEdgeHeads(edgeId, await storedHeads(sql, edgeId), await headKeysOf(sql, edgeId)));
  }
  return {
    ok: chain.ok && anchors.ok && edges.every((e) => e.ok),
    chain,
    anchorFile: options.anchorFile,
    anchors,
    anchorFileProblems: problems,
    edges,
  };
}
