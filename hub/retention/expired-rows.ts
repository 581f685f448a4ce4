// The row-level half of hub retention, each step one transaction with its receipt: trim the expired part
// of the boundary day (a day partly past the cutoff, so no read outlives retention by the day a partition
// spans, RET-01), delete evidence no active hold pins any more, and count what is left.
import { canonicalJson, sha256Hex } from '../../shared/canonical-json.js';
import type { HubAuditLog } from '../audit/hub-audit-log.js';
import type { HubDb, HubSql } from '../db/hub-db.js';
import { pinnedInPartitionSql } from '../store/retention-cutoff.js';
import { RetentionKind } from './day-drop.js';

interface StepInput {
  cutoff: number;
  now: number;
  runId: string;
  actor: string;
  lockTimeoutMs: number;
  fence(tx: HubSql): Promise<void>;
  audit: HubAuditLog;
}

export interface TrimReceipt {
  day: string;
  partition: string;
  rowsDeleted: number;
  heldKept: number;
  cutoff: string;
  runId: string;
}

/** Delete the unheld reads of `partition` captured before the cutoff; receipted when any went. */
export async function trimBoundaryDay(
  db: HubDb,
  partition: { name: string; day: number },
  input: StepInput,
): Promise<TrimReceipt> {
  if (!/^reads_p\d{8}$/.test(partition.name)) throw new TypeError(`not a read partition: ${partition.name}`);
  const cutoff = new Date(input.cutoff);
  return db.transaction(async (tx) => {
    await input.fence(tx);
    await tx.exec(`SET LOCAL lock_timeout = ${Math.round(input.lockTimeoutMs)}`);
    // A pin committed after this statement's snapshot makes the foreign key refuse the delete: the
    // transaction rolls back and the next attempt sees the pin.
    const deleted = await tx.query<{ n: number }>(
      `WITH gone AS (DELETE FROM ${partition.name} r WHERE r.captured_at < $1 AND NOT ${pinnedInPartitionSql('r')}
                     RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [cutoff],
    );
    const held = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${partition.name} r WHERE r.captured_at < $1 AND ${pinnedInPartitionSql('r')}`,
      [cutoff],
    );
    const receipt: TrimReceipt = {
      day: new Date(partition.day).toISOString().slice(0, 10),
      partition: partition.name,
      rowsDeleted: deleted[0]!.n,
      heldKept: held[0]!.n,
      cutoff: cutoff.toISOString(),
      runId: input.runId,
    };
    if (receipt.rowsDeleted > 0) {
      await input.audit.append(
        tx,
        { kind: RetentionKind.rowsTrimmed, actor: input.actor, payload: { ...receipt } },
        input.now,
      );
    }
    return receipt;
  });
}

export interface EvidenceReceipt {
  rowsDeleted: number;
  deletedReadsSha256: string;
  cutoff: string;
  runId: string;
}

/** Delete evidence reads past the cutoff that no active hold pins (their holds were released). */
export async function deleteReleasedEvidence(db: HubDb, input: StepInput): Promise<EvidenceReceipt> {
  return db.transaction(async (tx) => {
    await input.fence(tx);
    await tx.exec(`SET LOCAL lock_timeout = ${Math.round(input.lockTimeoutMs)}`);
    const gone = await tx.query<{ edge_id: string; edge_read_id: number }>(
      `DELETE FROM evidence_reads e WHERE e.captured_at < $1 AND NOT EXISTS (
         SELECT 1 FROM hold_reads p WHERE p.edge_id = e.edge_id AND p.evidence_read_id = e.edge_read_id)
       RETURNING edge_id, edge_read_id`,
      [new Date(input.cutoff)],
    );
    const receipt: EvidenceReceipt = {
      rowsDeleted: gone.length,
      deletedReadsSha256: sha256Hex(canonicalJson(gone.map((r) => `${r.edge_id}/${r.edge_read_id}`).sort())),
      cutoff: new Date(input.cutoff).toISOString(),
      runId: input.runId,
    };
    if (gone.length > 0) {
      await input.audit.append(
        tx,
        { kind: RetentionKind.evidenceDeleted, actor: input.actor, payload: { ...receipt } },
        input.now,
      );
    }
    return receipt;
  });
}

/** After a run: expired reads still stored without a hold (0 when retention is met), and held ones. */
export async function countExpired(
  sql: HubSql,
  cutoff: number,
): Promise<{ unheldExpiredLeft: number; heldKept: number }> {
  const at = new Date(cutoff);
  const unheld = await sql.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM reads r WHERE r.captured_at < $1 AND NOT ${pinnedInPartitionSql('r')})
          + (SELECT count(*) FROM evidence_reads e WHERE e.captured_at < $1 AND NOT EXISTS (
               SELECT 1 FROM hold_reads p WHERE p.edge_id = e.edge_id AND p.evidence_read_id = e.edge_read_id))
            AS n`,
    [at],
  );
  const held = await sql.query<{ n: number }>(
    `SELECT count(DISTINCT (edge_id, edge_read_id))::int AS n FROM hold_reads
      WHERE live_at < $1 OR evidence_read_id IS NOT NULL`,
    [at],
  );
  return { unheldExpiredLeft: Number(unheld[0]!.n), heldKept: held[0]!.n };
}
