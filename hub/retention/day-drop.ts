// Drops one expired day of reads in ONE transaction: copy the reads active holds pin into evidence_reads,
// move their pins there, detach and drop the day's partition, and append the receipt to the hub's audit
// chain. A hold placed meanwhile is never violated: the pins are foreign keys, so the detach refuses to run
// while any pin still points into the day, and the whole transaction rolls back to be tried again.
import { canonicalJson, sha256Hex } from '../../shared/canonical-json.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import type { HubAuditLog } from '../audit/hub-audit-log.js';
import type { HubDb, HubSql } from '../db/hub-db.js';
import { pinnedInPartitionSql } from '../store/retention-cutoff.js';

export const RetentionKind = {
  partitionDropped: 'retention.partition_dropped',
  rowsTrimmed: 'retention.rows_trimmed',
  evidenceDeleted: 'retention.evidence_deleted',
  run: 'retention.run',
} as const;

/** Points a test may stop a drop at, to interleave a concurrent hold with each step. */
export type DropStep = 'counted' | 'copied' | 'pins-moved' | 'detached';

export interface DayDropInput {
  partition: { name: string; day: number };
  cutoff: number;
  now: number;
  retentionDays: number;
  runId: string;
  actor: string;
  /** reads' columns, in order (evidence_reads has them all, plus moved_at) */
  columns: readonly string[];
  lockTimeoutMs: number;
  /** Renews the run's lease inside the transaction (fencing). */
  fence(tx: HubSql): Promise<void>;
  audit: HubAuditLog;
  pause?: (step: DropStep) => Promise<void>;
}

export interface DayDropReceipt {
  day: string;
  partition: string;
  rowsDropped: number;
  rowsKeptUnderHold: number;
  /** SHA-256 of the sorted "edge/read" ids moved to evidence: what was kept, without naming plates. */
  keptReadsSha256: string;
  cutoff: string;
  retentionDays: number;
  durationMs: number;
  runId: string;
}

const NAME = /^reads_p\d{8}$/;

/** Run the drop; undefined when the partition is already gone (another run dropped it). */
export async function dropExpiredDay(db: HubDb, input: DayDropInput): Promise<DayDropReceipt | undefined> {
  const { partition, cutoff } = input;
  if (!NAME.test(partition.name)) throw new TypeError(`not a read partition: ${partition.name}`);
  if (partition.day + DAY_MS > cutoff) {
    throw new RangeError(`${partition.name} is not wholly past the cutoff ${new Date(cutoff).toISOString()}`);
  }
  const started = performance.now();
  const dayStart = new Date(partition.day);
  const dayEnd = new Date(partition.day + DAY_MS);
  const cols = input.columns.join(', ');
  return db.transaction(async (tx) => {
    await input.fence(tx);
    await tx.exec(`SET LOCAL lock_timeout = ${Math.round(input.lockTimeoutMs)}`);
    const attached = await tx.query(
      `SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'reads'::regclass AND c.relname = $1`,
      [partition.name],
    );
    if (attached.length === 0) return undefined;
    const total = (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${partition.name}`))[0]!.n;
    await input.pause?.('counted');
    const kept = await tx.query<{ edge_id: string; edge_read_id: number }>(
      `INSERT INTO evidence_reads (${cols}, moved_at)
       SELECT ${cols}, $1 FROM ${partition.name} r WHERE ${pinnedInPartitionSql('r')}
       RETURNING edge_id, edge_read_id`,
      [new Date(input.now)],
    );
    await input.pause?.('copied');
    // Every pin into this day now points at its copy; the evidence foreign key refuses a pin whose read
    // was not copied (a hold committed after the copy), which rolls the drop back.
    await tx.query(
      `UPDATE hold_reads SET live_at = NULL, evidence_read_id = edge_read_id
        WHERE live_at >= $1 AND live_at < $2`,
      [dayStart, dayEnd],
    );
    await input.pause?.('pins-moved');
    // Refused (foreign key) while any pin still points into the partition: nothing is lost.
    await tx.exec(`ALTER TABLE reads DETACH PARTITION ${partition.name}`);
    await tx.exec(`DROP TABLE ${partition.name}`);
    await input.pause?.('detached');
    const keptIds = kept.map((r) => `${r.edge_id}/${r.edge_read_id}`).sort();
    const receipt: DayDropReceipt = {
      day: dayStart.toISOString().slice(0, 10),
      partition: partition.name,
      rowsDropped: total - kept.length,
      rowsKeptUnderHold: kept.length,
      keptReadsSha256: sha256Hex(canonicalJson(keptIds)),
      cutoff: new Date(cutoff).toISOString(),
      retentionDays: input.retentionDays,
      durationMs: Math.round(performance.now() - started),
      runId: input.runId,
    };
    await input.audit.append(
      tx,
      { kind: RetentionKind.partitionDropped, actor: input.actor, payload: { ...receipt } },
      input.now,
    );
    return receipt;
  });
}
