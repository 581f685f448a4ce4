// Rows of enrolled edges: identity, sealed secret, pinned head key, and the forwarding status every
// ingest request updates. Plain SQL over HubSql (the database or one transaction); no decisions here.
import type { HubSql } from '../db/hub-db.js';

export interface EdgeAuthRow {
  id: string;
  agencyId: number;
  disabledAt: number | null;
  secretSealed: string | null;
}

export interface EdgeStatusRow {
  id: string;
  agencyOri: string;
  label: string | null;
  createdAt: number;
  disabledAt: number | null;
  secretIssuedAt: number | null;
  headKeyId: string | null;
  headPublicKey: string | null;
  lastSeenAt: number | null;
  lastRequest: string | null;
  readCursor: number;
  verdictCursor: number;
  receiptCursor: number;
  headSeq: number;
  readsAccepted: number;
  readsDuplicate: number;
  readsRefused: number;
  backlogReads: number | null;
  oldestUnforwardedAt: number | null;
  statusReportedAt: number | null;
}

const ms = (d: Date | null): number | null => (d ? d.getTime() : null);

export async function insertEdge(
  tx: HubSql,
  edge: { id: string; agencyId: number; label: string | null; secretSealed: string },
  now: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO edges (id, agency_id, label, created_at, secret_sealed, secret_issued_at)
     VALUES ($1, $2, $3, $4, $5, $4)`,
    [edge.id, edge.agencyId, edge.label, new Date(now), edge.secretSealed],
  );
  await tx.query('INSERT INTO edge_forwarding (edge_id) VALUES ($1)', [edge.id]);
}

export async function findEdgeAuth(sql: HubSql, id: string): Promise<EdgeAuthRow | undefined> {
  const rows = await sql.query<{
    id: string;
    agency_id: number;
    disabled_at: Date | null;
    secret_sealed: string | null;
  }>('SELECT id, agency_id, disabled_at, secret_sealed FROM edges WHERE id = $1', [id]);
  const r = rows[0];
  return r
    ? { id: r.id, agencyId: r.agency_id, disabledAt: ms(r.disabled_at), secretSealed: r.secret_sealed }
    : undefined;
}

/** Lock the edge row for the rest of the transaction (serialises head pinning across hub processes). */
export async function lockEdge(
  tx: HubSql,
  id: string,
): Promise<{ headPublicKey: string | null; headKeyId: string | null } | undefined> {
  const rows = await tx.query<{ head_public_key: string | null; head_key_id: string | null }>(
    'SELECT head_public_key, head_key_id FROM edges WHERE id = $1 FOR UPDATE',
    [id],
  );
  const r = rows[0];
  return r ? { headPublicKey: r.head_public_key, headKeyId: r.head_key_id } : undefined;
}

export async function setEdgeSecret(tx: HubSql, id: string, sealed: string, now: number): Promise<boolean> {
  const rows = await tx.query(
    'UPDATE edges SET secret_sealed = $2, secret_issued_at = $3 WHERE id = $1 RETURNING id',
    [id, sealed, new Date(now)],
  );
  return rows.length === 1;
}

export async function disableEdge(
  tx: HubSql,
  id: string,
  now: number,
): Promise<'disabled' | 'already' | 'missing'> {
  const rows = await tx.query<{ disabled_at: Date | null }>(
    'SELECT disabled_at FROM edges WHERE id = $1 FOR UPDATE',
    [id],
  );
  if (rows.length === 0) return 'missing';
  if (rows[0]!.disabled_at) return 'already';
  await tx.query('UPDATE edges SET disabled_at = $2 WHERE id = $1', [id, new Date(now)]);
  return 'disabled';
}

export async function pinHeadKey(
  tx: HubSql,
  id: string,
  key: { publicKey: string; keyId: string },
  now: number,
): Promise<void> {
  await tx.query(
    'UPDATE edges SET head_public_key = $2, head_key_id = $3, head_key_pinned_at = $4 WHERE id = $1',
    [id, key.publicKey, key.keyId, new Date(now)],
  );
  await tx.query(
    `INSERT INTO edge_head_keys (edge_id, key_id, public_key, pinned_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING`,
    [id, key.keyId, key.publicKey, new Date(now)],
  );
}

/** Every key pinned for an edge's chain, by key id. */
export async function headKeysOf(sql: HubSql, id: string): Promise<Map<string, string>> {
  const rows = await sql.query<{ key_id: string; public_key: string }>(
    'SELECT key_id, public_key FROM edge_head_keys WHERE edge_id = $1',
    [id],
  );
  return new Map(rows.map((r) => [r.key_id, r.public_key]));
}

interface StatusRaw {
  id: string;
  ori: string;
  label: string | null;
  created_at: Date;
  disabled_at: Date | null;
  secret_issued_at: Date | null;
  head_key_id: string | null;
  head_public_key: string | null;
  last_seen_at: Date | null;
  last_request: string | null;
  read_cursor: number;
  verdict_cursor: number;
  receipt_cursor: number;
  head_seq: number;
  reads_accepted: number;
  reads_duplicate: number;
  reads_refused: number;
  backlog_reads: number | null;
  oldest_unforwarded_at: Date | null;
  status_reported_at: Date | null;
}

/** Every edge (or one) with its agency and forwarding status, by id. */
export async function listEdgeStatus(sql: HubSql, id?: string): Promise<EdgeStatusRow[]> {
  const rows = await sql.query<StatusRaw>(
    `SELECT e.id, a.ori, e.label, e.created_at, e.disabled_at, e.secret_issued_at, e.head_key_id,
            e.head_public_key, f.last_seen_at, f.last_request, f.read_cursor, f.verdict_cursor,
            f.receipt_cursor, f.head_seq, f.reads_accepted, f.reads_duplicate, f.reads_refused,
            f.backlog_reads, f.oldest_unforwarded_at, f.status_reported_at
       FROM edges e JOIN agencies a ON a.id = e.agency_id
       LEFT JOIN edge_forwarding f ON f.edge_id = e.id
      WHERE ($1::text IS NULL OR e.id = $1)
      ORDER BY e.id`,
    [id ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    agencyOri: r.ori,
    label: r.label,
    createdAt: r.created_at.getTime(),
    disabledAt: ms(r.disabled_at),
    secretIssuedAt: ms(r.secret_issued_at),
    headKeyId: r.head_key_id,
    headPublicKey: r.head_public_key,
    lastSeenAt: ms(r.last_seen_at),
    lastRequest: r.last_request,
    readCursor: r.read_cursor ?? 0,
    verdictCursor: r.verdict_cursor ?? 0,
    receiptCursor: r.receipt_cursor ?? 0,
    headSeq: r.head_seq ?? 0,
    readsAccepted: r.reads_accepted ?? 0,
    readsDuplicate: r.reads_duplicate ?? 0,
    readsRefused: r.reads_refused ?? 0,
    backlogReads: r.backlog_reads,
    oldestUnforwardedAt: ms(r.oldest_unforwarded_at),
    statusReportedAt: ms(r.status_reported_at),
  }));
}

/** Record that the edge was heard from (every authenticated request, inside its transaction). */
export async function touchForwarding(
  tx: HubSql,
  edgeId: string,
  request: string,
  now: number,
  update: Partial<{
    readCursor: number;
    verdictCursor: number;
    receiptCursor: number;
    headSeq: number;
    accepted: number;
    duplicate: number;
    refused: number;
    status: { backlogReads: number; oldestUnforwardedAt: number | null };
  }> = {},
): Promise<void> {
  await tx.query(
    `UPDATE edge_forwarding SET
        last_seen_at = $3, last_request = $2,
        read_cursor = GREATEST(read_cursor, $4), verdict_cursor = GREATEST(verdict_cursor, $5),
        receipt_cursor = GREATEST(receipt_cursor, $6), head_seq = GREATEST(head_seq, $7),
        reads_accepted = reads_accepted + $8, reads_duplicate = reads_duplicate + $9,
        reads_refused = reads_refused + $10,
        backlog_reads = CASE WHEN $11::boolean THEN $12 ELSE backlog_reads END,
        oldest_unforwarded_at = CASE WHEN $11::boolean THEN $13 ELSE oldest_unforwarded_at END,
        status_reported_at = CASE WHEN $11::boolean THEN $3 ELSE status_reported_at END
      WHERE edge_id = $1`,
    [
      edgeId,
      request,
      new Date(now),
      update.readCursor ?? 0,
      update.verdictCursor ?? 0,
      update.receiptCursor ?? 0,
      update.headSeq ?? 0,
      update.accepted ?? 0,
      update.duplicate ?? 0,
      update.refused ?? 0,
      update.status !== undefined,
      update.status?.backlogReads ?? null,
      update.status?.oldestUnforwardedAt == null ? null : new Date(update.status.oldestUnforwardedAt),
    ],
  );
}
