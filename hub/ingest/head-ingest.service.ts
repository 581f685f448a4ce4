// POST /api/v1/ingest/audit-heads: the signed heads of an edge's audit chain, its external anchor at the
// hub. The edge's public key is pinned the first time it is seen (trust on first use, audited); heads under
// another key, a head whose seq the hub holds with another hash (a fork), and heads going back in seq or
// time (a rewritten chain) are refused with 409, audited, and nothing of the request is stored.
import type { KeyObject } from 'node:crypto';
import {
  keyIdOf,
  parsePublicKey,
  type SignedHead,
  verifySignedHead,
} from '../../shared/audit/signed-head.js';
import { HubAuditKind } from '../audit/hub-audit-kinds.js';
import type { HubAuditLog } from '../audit/hub-audit-log.js';
import type { HubDb, HubSql } from '../db/hub-db.js';
import { lockEdge, pinHeadKey, touchForwarding } from '../edges/edges.repository.js';
import { badRequest, conflict, HttpError } from '../http/http-errors.js';

export interface HeadsRequest {
  publicKey: string;
  heads: SignedHead[];
}

interface StoredHead {
  seq: number;
  hash: string;
  at: number;
}

type Outcome =
  | { ok: true; latest: StoredHead | undefined }
  | { ok: false; reason: 'key_mismatch' | 'fork' | 'goes_back'; message: string; seq?: number };

/** Check one request's heads against what the hub holds (pure): which to add, or why all are refused. */
export function judgeHeads(
  heads: readonly SignedHead[],
  held: ReadonlyMap<number, string>,
  latest: StoredHead | undefined,
): { add: SignedHead[]; latest: StoredHead | undefined } | Extract<Outcome, { ok: false }> {
  const add: SignedHead[] = [];
  let top = latest;
  for (const head of [...heads].sort((a, b) => a.seq - b.seq)) {
    const stored = held.get(head.seq) ?? add.find((h) => h.seq === head.seq)?.hash;
    if (stored !== undefined) {
      if (stored !== head.hash) {
        return {
          ok: false,
          reason: 'fork',
          seq: head.seq,
          message: `head ${head.seq} has hash ${head.hash.slice(0, 16)}… but the hub holds ${stored.slice(0, 16)}… for it: the edge chain forked or was rewritten`,
        };
      }
      continue; // sent before
    }
    if (top && head.seq < top.seq) {
      return {
        ok: false,
        reason: 'goes_back',
        seq: head.seq,
        message: `head ${head.seq} goes back from head ${top.seq} already anchored here`,
      };
    }
    if (top && head.at < top.at) {
      return {
        ok: false,
        reason: 'goes_back',
        seq: head.seq,
        message: `head ${head.seq} was signed at ${new Date(head.at).toISOString()}, before head ${top.seq} (${new Date(top.at).toISOString()})`,
      };
    }
    add.push(head);
    top = { seq: head.seq, hash: head.hash, at: head.at };
  }
  return { add, latest: top };
}

function checkShape(edgeId: string, body: HeadsRequest): KeyObject {
  let key: KeyObject;
  try {
    key = parsePublicKey(body.publicKey);
  } catch (error) {
    throw badRequest(`publicKey: ${(error as Error).message}`);
  }
  for (const [i, head] of body.heads.entries()) {
    const check = verifySignedHead(head, key);
    if (!check.ok) throw badRequest(`heads[${i}]: ${check.reason}`);
    if (head.chain !== edgeId)
      throw badRequest(`heads[${i}] is of chain "${head.chain}", not of this edge (${edgeId})`);
  }
  return key;
}

export async function ingestHeads(
  db: HubDb,
  audit: HubAuditLog,
  edgeId: string,
  body: HeadsRequest,
  now: number,
  /** runs first in the transaction (the request's nonce) */
  first?: (tx: HubSql) => Promise<void>,
): Promise<{ latest: { seq: number; hash: string } | null }> {
  const key = checkShape(edgeId, body);
  const keyId = keyIdOf(key);
  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    await first?.(tx);
    const edge = await lockEdge(tx, edgeId);
    if (!edge) throw new HttpError(401, 'unauthorized', `edge ${edgeId} is not enrolled`);
    const actor = `edge:${edgeId}`;
    const refuse = async (o: Extract<Outcome, { ok: false }>) => {
      await audit.append(
        tx,
        {
          kind: HubAuditKind.edgeHeadsRefused,
          actor,
          payload: { edgeId, reason: o.reason, seq: o.seq ?? null, keyId, message: o.message },
        },
        now,
      );
      return o;
    };
    if (edge.headKeyId && edge.headKeyId !== keyId) {
      return refuse({
        ok: false,
        reason: 'key_mismatch',
        message: `heads signed by key ${keyId}, but key ${edge.headKeyId} is pinned for this edge: an admin must re-pin it (alpr hub edges pin)`,
      });
    }
    if (!edge.headKeyId) {
      await pinHeadKey(tx, edgeId, { publicKey: body.publicKey.trim(), keyId }, now);
      await audit.append(
        tx,
        {
          kind: HubAuditKind.edgeKeyPinned,
          actor,
          payload: { edgeId, keyId, previousKeyId: null, how: 'first_use' },
        },
        now,
      );
    }
    const judged = judgeHeads(
      body.heads,
      await heldHashes(tx, edgeId, body.heads),
      await latestHead(tx, edgeId),
    );
    if ('ok' in judged) return refuse(judged);
    for (const head of judged.add) {
      await tx.query(
        `INSERT INTO edge_audit_heads (edge_id, seq, hash, at, key_id, signature, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [edgeId, head.seq, head.hash, head.at, head.keyId, head.signature, new Date(now)],
      );
    }
    await touchForwarding(tx, edgeId, 'audit-heads', now, { headSeq: judged.latest?.seq ?? 0 });
    return { ok: true, latest: judged.latest };
  });
  if (!outcome.ok) throw conflict(outcome.message);
  return { latest: outcome.latest ? { seq: outcome.latest.seq, hash: outcome.latest.hash } : null };
}

async function heldHashes(
  tx: HubSql,
  edgeId: string,
  heads: readonly SignedHead[],
): Promise<Map<number, string>> {
  const rows = await tx.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM edge_audit_heads WHERE edge_id = $1 AND seq = ANY($2::bigint[])',
    [edgeId, heads.map((h) => h.seq)],
  );
  return new Map(rows.map((r) => [r.seq, r.hash]));
}

async function latestHead(tx: HubSql, edgeId: string): Promise<StoredHead | undefined> {
  const rows = await tx.query<StoredHead>(
    'SELECT seq, hash, at FROM edge_audit_heads WHERE edge_id = $1 ORDER BY seq DESC LIMIT 1',
    [edgeId],
  );
  return rows[0];
}

/** Every stored head of an edge, oldest first (for `alpr hub audit verify`). */
export async function storedHeads(sql: HubSql, edgeId: string): Promise<SignedHead[]> {
  const rows = await sql.query<{ seq: number; hash: string; at: number; key_id: string; signature: string }>(
    'SELECT seq, hash, at, key_id, signature FROM edge_audit_heads WHERE edge_id = $1 ORDER BY seq',
    [edgeId],
  );
  return rows.map((r) => ({
    chain: edgeId,
    seq: r.seq,
    hash: r.hash,
    at: r.at,
    keyId: r.key_id,
    signature: r.signature,
  }));
}
