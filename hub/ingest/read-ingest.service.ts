// POST /api/v1/ingest/reads: one edge's batch of at most 500 reads, judged one by one (shape, capture time,
// camera, verdict), the good ones inserted idempotently on (edge, edge read id) in one statement, the
// edge's forwarding status updated, and any refusals audited, all in one transaction. The schema's
// verdict trigger re-checks what the code checked (fail closed twice); should it still refuse a read the
// code let through, the transaction fails with TriggerRefusal and the caller runs the batch again read by
// read ('one-by-one'), so only that read is refused. Day partitions are created before the transaction
// (preparePartitions): DDL racing another hub process must not abort an ingest transaction.

import {
  captureTimeRefusal,
  checkWireRead,
  type ReadRefusal,
  type ReadsAnswer,
  type WireForwardStatus,
  type WireRead,
  wireReadId,
} from '../../shared/forward/wire.js';
import { retentionCutoff } from '../../shared/policy/retention.js';
import { HubAuditKind } from '../audit/hub-audit-kinds.js';
import type { HubAuditLog } from '../audit/hub-audit-log.js';
import { type HubSql, sqlState } from '../db/hub-db.js';
import { touchForwarding } from '../edges/edges.repository.js';
import type { CreatedHit, HitMatcher } from '../hotlists/hit-matcher.js';
import { HttpError } from '../http/http-errors.js';
import { ensureReadPartition, partitionName, utcDayStart } from '../store/read-partitions.js';
import { type Admitted, fastSql, INSERT_READS, insertParams } from './read-ingest.sql.js';
import { judgeAgainstVerdicts } from './verdict-check.js';

export interface ReadIngestLimits {
  retentionDays: number;
  maxCaptureSkewMs: number;
}

/** The store's verdict trigger refused a read the code admitted: run the batch again, read by read. */
export class TriggerRefusal extends Error {
  constructor(cause: unknown) {
    super('the hub store refused a read the ingest checks admitted', { cause });
    this.name = 'TriggerRefusal';
  }
}

export type IngestMode = 'batch' | 'one-by-one';

export class ReadIngest {
  /**
   * Partitions this process created or saw, so a batch does not run DDL each time. Only a cache: a day is
   * dropped by retention only once wholly past the cutoff, and such reads are refused before insert; an
   * insert that still finds no partition clears the cache and retries once.
   */
  private readonly partitions = new Set<string>();

  constructor(
    private readonly audit: HubAuditLog,
    private readonly limits: ReadIngestLimits,
    /** hotlist matching (HIT-01): hits are created in the same transaction as the reads */
    private readonly matcher?: HitMatcher,
  ) {}

  /**
   * Create (outside any transaction, on the database itself) the day partitions the batch's storable
   * reads need; idempotent, and safe when hub processes race to create the same day.
   */
  async preparePartitions(db: HubSql, reads: unknown[], now: number): Promise<void> {
    const cutoff = retentionCutoff(now, this.limits.retentionDays);
    const days = new Set<number>();
    for (const raw of reads) {
      const at = (raw as { capturedAt?: unknown } | null)?.capturedAt;
      if (typeof at !== 'number' || !Number.isSafeInteger(at)) continue;
      if (captureTimeRefusal(at, now, { maxSkewMs: this.limits.maxCaptureSkewMs, cutoff })) continue;
      days.add(utcDayStart(at));
    }
    for (const day of days) {
      const name = partitionName(day);
      if (this.partitions.has(name)) continue;
      await ensureReadPartition(db, day);
      this.partitions.add(name);
    }
  }

  /** The code's checks of a batch that need no database: shape, duplicates within it, capture time. */
  private screen(batch: { reads: unknown[] }, now: number) {
    const refused: ReadRefusal[] = [];
    const duplicates: number[] = [];
    const candidates: { read: WireRead; index: number }[] = [];
    const seen = new Set<number>();
    let cursor = 0;
    const cutoff = retentionCutoff(now, this.limits.retentionDays);
    batch.reads.forEach((raw, index) => {
      const id = wireReadId(raw);
      if (id !== null) cursor = Math.max(cursor, id);
      const checked = checkWireRead(raw);
      if (!checked.ok) {
        refused.push({ edgeReadId: id, index, reason: 'malformed', message: checked.message });
        return;
      }
      const read = checked.read;
      if (seen.has(read.edgeReadId)) {
        duplicates.push(read.edgeReadId); // the same read twice in one batch
        return;
      }
      seen.add(read.edgeReadId);
      const timing = captureTimeRefusal(read.capturedAt, now, {
        maxSkewMs: this.limits.maxCaptureSkewMs,
        cutoff,
      });
      if (timing) {
        refused.push({ edgeReadId: read.edgeReadId, index, ...timing });
        return;
      }
      candidates.push({ read, index });
    });
    return { refused, duplicates, candidates, cursor };
  }

  /**
   * The common case in one write statement (no transaction round trips): when every read of the batch
   * passes the checks, the nonce, the reads and the edge's status are written by one atomic statement.
   * Returns 'transaction' when something is refused (refusals are audited, in a transaction: ingest()),
   * 'replay' when the nonce was used before.
   */
  async ingestFast(
    db: HubSql,
    edgeId: string,
    batch: { reads: unknown[]; status?: WireForwardStatus },
    now: number,
    nonce: { nonce: string; at: number } | undefined,
  ): Promise<{ kind: 'answer'; answer: ReadsAnswer } | { kind: 'transaction' } | { kind: 'replay' }> {
    const { refused, duplicates, candidates, cursor } = this.screen(batch, now);
    if (refused.length > 0) return { kind: 'transaction' };
    const admitted = await judgeAgainstVerdicts(db, edgeId, candidates, refused);
    if (refused.length > 0) return { kind: 'transaction' };
    // A read that may match a hotlist entry makes a hit, audited: that needs the transaction path.
    if (
      this.matcher &&
      (await this.matcher.anyCandidate(
        db,
        edgeId,
        admitted.map((a) => a.read),
        now,
      ))
    )
      return { kind: 'transaction' };
    const status = batch.status;
    let row: { fresh: number; accepted: string | null } | undefined;
    try {
      [row] = await db.query<{ fresh: number; accepted: string | null }>(fastSql(nonce !== undefined), [
        ...insertParams(edgeId, new Date(now), admitted),
        cursor,
        admitted.length + duplicates.length,
        status !== undefined,
        status?.backlogReads ?? null,
        status?.oldestUnforwardedAt == null ? null : new Date(status.oldestUnforwardedAt),
        ...(nonce ? [nonce.nonce, new Date(nonce.at)] : []),
      ]);
    } catch (error) {
      throw this.translate(error);
    }
    if (row?.fresh !== 1) return { kind: 'replay' };
    const accepted = row.accepted ? row.accepted.split(',').map(Number) : [];
    const settled = new Set(accepted);
    for (const a of admitted) if (!settled.has(a.read.edgeReadId)) duplicates.push(a.read.edgeReadId);
    return { kind: 'answer', answer: { accepted, duplicates, refused: [], cursor } };
  }

  async ingest(
    tx: HubSql,
    edgeId: string,
    batch: { reads: unknown[]; status?: WireForwardStatus },
    now: number,
    mode: IngestMode = 'batch',
    /** receives the hits this batch created (for the plate-free event after the commit) */
    hits: CreatedHit[] = [],
  ): Promise<ReadsAnswer> {
    const { refused, duplicates, candidates, cursor } = this.screen(batch, now);
    const admitted = await judgeAgainstVerdicts(tx, edgeId, candidates, refused);
    const accepted =
      admitted.length === 0
        ? []
        : mode === 'batch'
          ? await this.insertBatch(tx, edgeId, admitted, now)
          : await this.oneByOne(tx, edgeId, admitted, refused, now);
    const settled = new Set([...accepted, ...refused.map((r) => r.edgeReadId)]);
    for (const a of admitted) if (!settled.has(a.read.edgeReadId)) duplicates.push(a.read.edgeReadId);
    if (this.matcher && accepted.length > 0) {
      const stored = new Set(accepted);
      const reads = admitted.filter((a) => stored.has(a.read.edgeReadId)).map((a) => a.read);
      hits.push(...(await this.matcher.match(tx, edgeId, reads, now)));
    }
    refused.sort((a, b) => a.index - b.index);
    await touchForwarding(tx, edgeId, 'reads', now, {
      readCursor: cursor,
      accepted: accepted.length,
      duplicate: duplicates.length,
      refused: refused.length,
      status: batch.status,
    });
    if (refused.length > 0) await this.auditRefusals(tx, edgeId, refused, now);
    return { accepted, duplicates, refused, cursor };
  }

  private async insertBatch(tx: HubSql, edgeId: string, rows: Admitted[], now: number): Promise<number[]> {
    try {
      const inserted = await tx.query<{ edge_read_id: number }>(
        INSERT_READS,
        insertParams(edgeId, new Date(now), rows),
      );
      return inserted.map((r) => r.edge_read_id);
    } catch (error) {
      throw this.translate(error);
    }
  }

  private translate(error: unknown): unknown {
    const state = sqlState(error);
    if (state === 'P0001') return new TriggerRefusal(error);
    if (state === '23514' && /no partition/.test((error as Error).message)) {
      // Our cache said the day existed, but it does not (dropped under us): forget, and let the edge resend.
      this.partitions.clear();
      return new HttpError(503, 'unavailable', 'a day partition was missing; retry the batch');
    }
    return error;
  }

  /** The slow path: each read under its own savepoint, so the trigger's refusal names the read. */
  private async oneByOne(
    tx: HubSql,
    edgeId: string,
    rows: Admitted[],
    refused: ReadRefusal[],
    now: number,
  ): Promise<number[]> {
    const accepted: number[] = [];
    for (const row of rows) {
      await tx.query('SAVEPOINT one_read');
      try {
        const inserted = await tx.query<{ edge_read_id: number }>(
          INSERT_READS,
          insertParams(edgeId, new Date(now), [row]),
        );
        await tx.query('RELEASE SAVEPOINT one_read');
        if (inserted.length === 1) accepted.push(row.read.edgeReadId);
      } catch (error) {
        await tx.query('ROLLBACK TO SAVEPOINT one_read');
        if (sqlState(error) !== 'P0001') throw this.translate(error);
        const hint = /superseded/.test((error as Error).message) ? 'stale_verdict' : 'no_compliant_verdict';
        refused.push({
          edgeReadId: row.read.edgeReadId,
          index: row.index,
          reason: hint,
          message: 'refused by the hub store: no compliant verdict in force at capture',
        });
      }
    }
    return accepted;
  }

  private async auditRefusals(
    tx: HubSql,
    edgeId: string,
    refused: ReadRefusal[],
    now: number,
  ): Promise<void> {
    const byReason: Record<string, number> = {};
    for (const r of refused) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
    await this.audit.append(
      tx,
      {
        kind: HubAuditKind.ingestReadsRefused,
        actor: `edge:${edgeId}`,
        payload: {
          edgeId,
          byReason,
          edgeReadIds: refused.slice(0, 100).map((r) => r.edgeReadId),
          more: Math.max(0, refused.length - 100),
        },
      },
      now,
    );
  }
}
