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
  type ReadRefusalReason,
  type ReadsAnswer,
  type WireForwardStatus,
  type WireRead,
  wireReadId,
} from '../../shared/forward/wire.js';
import { foldPlateText } from '../../shared/plates/plate-format.js';
import { retentionCutoff } from '../../shared/policy/retention.js';
import { HubAuditKind } from '../audit/hub-audit-kinds.js';
import type { HubAuditLog } from '../audit/hub-audit-log.js';
import { type HubSql, type SqlParam, sqlState } from '../db/hub-db.js';
import { touchForwarding } from '../edges/edges.repository.js';
import { HttpError } from '../http/http-errors.js';
import { ensureReadPartition, partitionName, utcDayStart } from '../store/read-partitions.js';

export interface ReadIngestLimits {
  retentionDays: number;
  maxCaptureSkewMs: number;
}

interface VerdictInfo {
  id: number;
  cameraId: string;
  compliant: boolean;
  /** evaluated_at of the camera's next verdict (ms), if any: reads captured from then on are stale */
  supersededAt: number | null;
}

/** A read the checks let through, with the hub verdict id it is stored under. */
interface Admitted {
  read: WireRead;
  index: number;
  verdictId: number;
}

const INSERT_READS = `
INSERT INTO reads (edge_id, edge_read_id, camera_id, captured_at, plate, plate_key, raw_text, confidence,
                   box_x, box_y, box_w, box_h, model_id, verdict_id, crop_sha256, received_at)
SELECT $1, t.* , $2::timestamptz FROM unnest($3::bigint[], $4::text[], $5::timestamptz[], $6::text[], $7::text[],
  $8::text[], $9::real[], $10::int[], $11::int[], $12::int[], $13::int[], $14::text[], $15::bigint[], $16::text[])
  AS t(edge_read_id, camera_id, captured_at, plate, plate_key, raw_text, confidence, box_x, box_y, box_w, box_h,
       model_id, verdict_id, crop_sha256)
ON CONFLICT (edge_id, edge_read_id, captured_at) DO NOTHING
RETURNING edge_read_id`;

/**
 * The fast path's one statement: the nonce (or nothing to claim), the reads, the edge's status; the reads
 * and status only when the nonce was fresh. $1-$16 as INSERT_READS, then cursor, batch reads, status.
 */
function fastSql(withNonce: boolean): string {
  const nonce = withNonce
    ? 'INSERT INTO edge_nonces (edge_id, nonce, seen_at) VALUES ($1, $22, $23) ON CONFLICT DO NOTHING RETURNING 1'
    : 'SELECT 1';
  const insert = INSERT_READS.replace('ON CONFLICT', 'WHERE EXISTS (SELECT 1 FROM nonce) ON CONFLICT');
  return `WITH nonce AS (${nonce}),
ins AS (${insert}),
upd AS (
  UPDATE edge_forwarding SET last_seen_at = $2, last_request = 'reads', read_cursor = GREATEST(read_cursor, $17),
         reads_accepted = reads_accepted + (SELECT count(*) FROM ins),
         reads_duplicate = reads_duplicate + $18 - (SELECT count(*) FROM ins),
         backlog_reads = CASE WHEN $19::boolean THEN $20 ELSE backlog_reads END,
         oldest_unforwarded_at = CASE WHEN $19::boolean THEN $21::timestamptz ELSE oldest_unforwarded_at END,
         status_reported_at = CASE WHEN $19::boolean THEN $2 ELSE status_reported_at END
   WHERE edge_id = $1 AND EXISTS (SELECT 1 FROM nonce)
   RETURNING 1)
SELECT (SELECT count(*) FROM nonce)::int AS fresh,
       (SELECT string_agg(edge_read_id::text, ',') FROM ins) AS accepted,
       (SELECT count(*) FROM upd)::int AS updated`;
}

function insertParams(edgeId: string, now: Date, rows: Admitted[]): SqlParam[] {
  const r = rows.map((x) => x.read);
  return [
    edgeId,
    now,
    r.map((x) => x.edgeReadId),
    r.map((x) => x.cameraId),
    r.map((x) => new Date(x.capturedAt)),
    r.map((x) => x.plate),
    r.map((x) => foldPlateText(x.plate)),
    r.map((x) => x.rawText),
    r.map((x) => x.confidence),
    r.map((x) => x.box.x),
    r.map((x) => x.box.y),
    r.map((x) => x.box.w),
    r.map((x) => x.box.h),
    r.map((x) => x.modelId),
    rows.map((x) => x.verdictId),
    r.map((x) => x.cropSha256),
  ];
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
    const admitted = await this.judgeAgainstVerdicts(db, edgeId, candidates, refused);
    if (refused.length > 0) return { kind: 'transaction' };
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
  ): Promise<ReadsAnswer> {
    const { refused, duplicates, candidates, cursor } = this.screen(batch, now);
    const admitted = await this.judgeAgainstVerdicts(tx, edgeId, candidates, refused);
    const accepted =
      admitted.length === 0
        ? []
        : mode === 'batch'
          ? await this.insertBatch(tx, edgeId, admitted, now)
          : await this.oneByOne(tx, edgeId, admitted, refused, now);
    const settled = new Set([...accepted, ...refused.map((r) => r.edgeReadId)]);
    for (const a of admitted) if (!settled.has(a.read.edgeReadId)) duplicates.push(a.read.edgeReadId);
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

  private async judgeAgainstVerdicts(
    tx: HubSql,
    edgeId: string,
    candidates: { read: WireRead; index: number }[],
    refused: ReadRefusal[],
  ): Promise<Admitted[]> {
    if (candidates.length === 0) return [];
    const verdictIds = [...new Set(candidates.map((c) => c.read.edgeVerdictId))];
    const verdictRows = await tx.query<{
      id: number;
      edge_verdict_id: number;
      camera_id: string;
      compliant: boolean;
      superseded_at: Date | null;
    }>(
      `SELECT v.id, v.edge_verdict_id, v.camera_id, v.compliant,
              (SELECT min(n.evaluated_at) FROM camera_verdicts n
                WHERE n.edge_id = v.edge_id AND n.camera_id = v.camera_id
                  AND n.edge_verdict_id > v.edge_verdict_id) AS superseded_at
         FROM camera_verdicts v WHERE v.edge_id = $1 AND v.edge_verdict_id = ANY($2::bigint[])`,
      [edgeId, verdictIds],
    );
    const verdicts = new Map<number, VerdictInfo>(
      verdictRows.map((r) => [
        r.edge_verdict_id,
        {
          id: r.id,
          cameraId: r.camera_id,
          compliant: r.compliant,
          supersededAt: r.superseded_at?.getTime() ?? null,
        },
      ]),
    );
    // A verdict names its camera (which therefore exists); only reads whose verdict does not match need
    // the camera table, to tell an unknown camera from a missing verdict.
    const unmatched = [
      ...new Set(
        candidates
          .filter((c) => verdicts.get(c.read.edgeVerdictId)?.cameraId !== c.read.cameraId)
          .map((c) => c.read.cameraId),
      ),
    ];
    const cameras = new Set<string>(verdictRows.map((r) => r.camera_id));
    if (unmatched.length > 0) {
      const rows = await tx.query<{ camera_id: string }>(
        'SELECT camera_id FROM cameras WHERE edge_id = $1 AND camera_id = ANY($2::text[])',
        [edgeId, unmatched],
      );
      for (const r of rows) cameras.add(r.camera_id);
    }
    const admitted: Admitted[] = [];
    for (const { read, index } of candidates) {
      const refuse = (reason: ReadRefusalReason, message: string) =>
        refused.push({ edgeReadId: read.edgeReadId, index, reason, message });
      if (!cameras.has(read.cameraId)) {
        refuse('unknown_camera', `camera ${read.cameraId} is not registered at the hub for this edge`);
        continue;
      }
      const v = verdicts.get(read.edgeVerdictId);
      if (!v || v.cameraId !== read.cameraId || !v.compliant) {
        refuse(
          'no_compliant_verdict',
          !v
            ? `verdict ${read.edgeVerdictId} is not at the hub`
            : v.cameraId !== read.cameraId
              ? `verdict ${read.edgeVerdictId} is camera ${v.cameraId}'s, not ${read.cameraId}'s`
              : `verdict ${read.edgeVerdictId} is not compliant`,
        );
        continue;
      }
      if (v.supersededAt !== null && v.supersededAt <= read.capturedAt) {
        refuse('stale_verdict', `verdict ${read.edgeVerdictId} was superseded before the read was captured`);
        continue;
      }
      admitted.push({ read, index, verdictId: v.id });
    }
    return admitted;
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
