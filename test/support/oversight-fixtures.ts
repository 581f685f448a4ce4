// Oversight fixtures: a hub with the home agency, one enrolled edge with a compliant camera, signed edge
// heads and purge receipts as an edge forwards them, and access audit entries as the search, sharing and
// hotlist features write them (shared/audit/access-audit.ts), so report and portal tests need none of those.
import { generateKeyPairSync } from 'node:crypto';
import type { HubSql } from '../../hub/db/hub-db.js';
import type { HubContext } from '../../hub/hub-context.js';
import { AccessAuditKind, type AccessAuditPayload, accessPayload } from '../../shared/audit/access-audit.js';
import { keyIdOf, rawPublicKey, signHead } from '../../shared/audit/signed-head.js';
import { sha256Hex } from '../../shared/canonical-json.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { insertCamera, insertRead, insertVerdict } from './hub-factories.js';
import { enrolTestEdge, type TestHub } from './hub-ingest.js';

export const HOME_ORI = 'CA0430100';
export const OTHER_ORI = 'CA0431100';

/** Home agency, edge `edgeId`, camera cam-1 with a compliant verdict from long ago; returns the verdict id. */
export async function seedOversightHub(hub: TestHub, edgeId = 'edge-01'): Promise<number> {
  await enrolTestEdge(hub, edgeId);
  await insertCamera(hub.ctx.db, edgeId);
  return insertVerdict(hub.ctx.db, {
    edgeId,
    cameraId: 'cam-1',
    edgeVerdictId: 1,
    evaluatedAt: Date.UTC(2025, 0, 1),
  });
}

/** An unheld read at the hub captured at `capturedAt`. */
export async function hubRead(
  sql: HubSql,
  verdictId: number,
  capturedAt: number,
  edgeReadId: number,
  plate = '7ABC123',
) {
  await insertRead(sql, { verdictId, capturedAt, edgeReadId, plate });
}

/** A purge receipt as the edge forwards it (the fields shared/policy/purge-plan.ts writes). */
export async function edgeReceipt(
  sql: HubSql,
  edgeId: string,
  auditSeq: number,
  finishedAt: number,
  oldestUnheldAgeMs: number | null,
): Promise<void> {
  const receipt = {
    runId: `run-${auditSeq}`,
    status: 'completed',
    finishedAt: new Date(finishedAt).toISOString(),
    retentionDays: 30,
    cutoff: new Date(finishedAt - 30 * DAY_MS).toISOString(),
    oldestUnheldAgeMs,
    oldestUnheldCapturedAt:
      oldestUnheldAgeMs === null ? null : new Date(finishedAt - oldestUnheldAgeMs).toISOString(),
    retentionMet: oldestUnheldAgeMs === null || oldestUnheldAgeMs <= 30 * DAY_MS,
  };
  await sql.query(
    'INSERT INTO edge_receipts (edge_id, audit_seq, receipt, received_at) VALUES ($1, $2, $3::jsonb, $4)',
    [edgeId, auditSeq, JSON.stringify(receipt), new Date(finishedAt)],
  );
}

/** A pinned key and one signed head of the edge's chain, as head ingest stores them. */
export async function edgeSignedHead(sql: HubSql, edgeId: string, seq: number, at: number): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyId = keyIdOf(publicKey);
  await sql.query(
    'INSERT INTO edge_head_keys (edge_id, key_id, public_key, pinned_at) VALUES ($1, $2, $3, $4)',
    [edgeId, keyId, rawPublicKey(publicKey).toString('base64'), new Date(at)],
  );
  const head = signHead({ chain: edgeId, seq, hash: sha256Hex(`head-${seq}`), at }, privateKey);
  await sql.query(
    'INSERT INTO edge_audit_heads (edge_id, seq, hash, at, key_id, signature, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [edgeId, head.seq, head.hash, head.at, head.keyId, head.signature, new Date(at)],
  );
}

export type AccessFields = Partial<AccessAuditPayload> & { kind?: string };

/** Append access entries at `at` (one transaction), as the access features write them. */
export async function appendAccess(
  ctx: Pick<HubContext, 'db' | 'audit'>,
  at: number,
  list: AccessFields[],
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    for (const { kind, ...fields } of list) {
      await ctx.audit.append(
        tx,
        {
          kind: kind ?? AccessAuditKind.searchAllowed,
          actor: fields.user ?? 'det.a',
          payload: {
            ...accessPayload({
              user: 'det.a',
              role: 'investigator',
              agency: HOME_ORI,
              origin: 'internal',
              query: { plate: '7ABC123', mode: 'exact' },
              purpose: 'burglary suspect vehicle seen leaving 100 Main St',
              caseNumber: '26-000123',
              crimeType: 'burglary',
              outcome: 'allowed',
              ...fields,
            }),
          },
        },
        at,
      );
    }
  });
}
