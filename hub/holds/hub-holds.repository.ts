// Hub holds and their pinned reads (schema version 10): plain data access inside the caller's transaction.
// Which reads a hold may cover, and when, is decided by the service and shared/policy; the schema refuses
// everything that would break a hold whatever this code does.
import { foldPlateText } from '../../shared/plates/plate-format.js';
import type { NewHubHold } from '../../shared/policy/hub-holds.js';
import type { HoldScope } from '../../shared/store/holds.repository.js';
import type { HubSql } from '../db/hub-db.js';
import { pinnedInPartitionSql, withinRetentionSql } from '../store/retention-cutoff.js';

export interface HubHoldRecord extends NewHubHold {
  id: number;
  createdAt: number;
  reviewBy: number | null;
  releasedAt: number | null;
  releasedBy: string | null;
  releaseReason: string | null;
  /** reads the hold covers */
  readCount: number;
  /** of those, in evidence_reads (their day was dropped) */
  inEvidence: number;
}

/** A read a hold can pin: in its day partition, or (already held) in evidence. */
export interface MatchedRead {
  edgeId: string;
  edgeReadId: number;
  capturedAt: Date;
  place: 'partition' | 'evidence';
}

interface Raw {
  id: number;
  edge_id: string;
  case_number: string;
  crime_type: string;
  reason: string;
  requested_by: string;
  approved_by: string;
  scope: HoldScope;
  created_at: Date;
  review_by: Date | null;
  released_at: Date | null;
  released_by: string | null;
  release_reason: string | null;
  read_count: number;
  in_evidence: number;
}

const ms = (d: Date | null) => (d === null ? null : d.getTime());
const toRecord = (r: Raw): HubHoldRecord => ({
  id: r.id,
  edgeId: r.edge_id,
  caseNumber: r.case_number,
  crimeType: r.crime_type,
  reason: r.reason,
  requestedBy: r.requested_by,
  approvedBy: r.approved_by,
  scope: r.scope,
  createdAt: r.created_at.getTime(),
  reviewBy: ms(r.review_by),
  releasedAt: ms(r.released_at),
  releasedBy: r.released_by,
  releaseReason: r.release_reason,
  readCount: r.read_count,
  inEvidence: r.in_evidence,
});

const SELECT_HOLD = `SELECT h.*,
    (SELECT count(*)::int FROM hold_reads l WHERE l.hold_id = h.id) AS read_count,
    (SELECT count(*)::int FROM hold_reads l WHERE l.hold_id = h.id AND l.evidence_read_id IS NOT NULL) AS in_evidence
  FROM holds h`;

// Visible to a new hold: within retention, or already pinned by another hold (in its partition or in
// evidence). An expired read nobody holds is gone, even before retention removes it.
const MATCH_COLUMNS = `edge_id AS "edgeId", edge_read_id AS "edgeReadId", captured_at AS "capturedAt"`;
const EVIDENCE_PINNED = `EXISTS (SELECT 1 FROM hold_reads p WHERE p.edge_id = e.edge_id AND p.evidence_read_id = e.edge_read_id)`;

export class HubHoldsRepository {
  /** Reads of `scope` on `edgeId` that a hold created with retention cutoff `cutoff` may cover. */
  async match(sql: HubSql, edgeId: string, scope: HoldScope, cutoff: Date): Promise<MatchedRead[]> {
    const visible = `(${withinRetentionSql('r', 2)} OR ${pinnedInPartitionSql('r')})`;
    if (scope.kind === 'reads') {
      return sql.query<MatchedRead>(
        `SELECT ${MATCH_COLUMNS}, 'partition' AS place FROM reads r
          WHERE r.edge_id = $1 AND r.edge_read_id = ANY($3::bigint[]) AND ${visible}
         UNION ALL
         SELECT ${MATCH_COLUMNS}, 'evidence' FROM evidence_reads e
          WHERE e.edge_id = $1 AND e.edge_read_id = ANY($3::bigint[]) AND ${EVIDENCE_PINNED}
         ORDER BY 2`,
        [edgeId, cutoff, scope.readIds],
      );
    }
    // Half-open range [from, to); a plate matches on the folded key (O=0, I=1), as a search would.
    const range = (a: string) =>
      `${a}.camera_id = $3 AND ${a}.captured_at >= $4 AND ${a}.captured_at < $5 AND ($6::text IS NULL OR ${a}.plate_key = $6)`;
    return sql.query<MatchedRead>(
      `SELECT ${MATCH_COLUMNS}, 'partition' AS place FROM reads r
        WHERE r.edge_id = $1 AND ${range('r')} AND ${visible}
       UNION ALL
       SELECT ${MATCH_COLUMNS}, 'evidence' FROM evidence_reads e
        WHERE e.edge_id = $1 AND ${range('e')} AND ${EVIDENCE_PINNED}
       ORDER BY 2`,
      [
        edgeId,
        cutoff,
        scope.cameraId,
        new Date(scope.from),
        new Date(scope.to),
        scope.plate === undefined ? null : foldPlateText(scope.plate),
      ],
    );
  }

  async insert(sql: HubSql, hold: NewHubHold, createdAt: number): Promise<number> {
    const rows = await sql.query<{ id: number }>(
      `INSERT INTO holds (edge_id, case_number, crime_type, reason, requested_by, approved_by, scope, created_at, review_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        hold.edgeId,
        hold.caseNumber,
        hold.crimeType,
        hold.reason,
        hold.requestedBy,
        hold.approvedBy,
        JSON.stringify(hold.scope),
        new Date(createdAt),
        hold.reviewBy ? new Date(hold.reviewBy) : null,
      ],
    );
    return rows[0]!.id;
  }

  /** Pin `reads` for hold `holdId`: the foreign keys lock each read until the transaction ends. */
  async pin(sql: HubSql, holdId: number, reads: readonly MatchedRead[]): Promise<number> {
    if (reads.length === 0) return 0;
    const rows = await sql.query<{ n: number }>(
      `WITH pinned AS (
         INSERT INTO hold_reads (hold_id, edge_id, edge_read_id, captured_at, live_at, evidence_read_id)
         SELECT $1, x.edge_id, x.edge_read_id, x.captured_at,
                CASE WHEN x.in_evidence THEN NULL ELSE x.captured_at END,
                CASE WHEN x.in_evidence THEN x.edge_read_id ELSE NULL END
           FROM unnest($2::text[], $3::bigint[], $4::timestamptz[], $5::boolean[])
                AS x(edge_id, edge_read_id, captured_at, in_evidence)
         RETURNING 1)
       SELECT count(*)::int AS n FROM pinned`,
      [
        holdId,
        reads.map((r) => r.edgeId),
        reads.map((r) => r.edgeReadId),
        reads.map((r) => r.capturedAt),
        reads.map((r) => r.place === 'evidence'),
      ],
    );
    return rows[0]!.n;
  }

  /** Release an active hold and unpin its reads; false when it is not active. */
  async release(sql: HubSql, id: number, by: string, reason: string, at: number): Promise<boolean> {
    const rows = await sql.query(
      `UPDATE holds SET released_at = $2, released_by = $3, release_reason = $4
        WHERE id = $1 AND released_at IS NULL RETURNING 1`,
      [id, new Date(at), by, reason],
    );
    if (rows.length !== 1) return false;
    await sql.query('UPDATE hold_reads SET live_at = NULL, evidence_read_id = NULL WHERE hold_id = $1', [id]);
    return true;
  }

  /**
   * After a release: delete the reads of hold `id` that are past `cutoff` and that no other active hold
   * pins (evidence, and reads of days not dropped yet). Returns the "edge/read" ids deleted.
   */
  async deleteUnprotected(sql: HubSql, id: number, cutoff: Date): Promise<string[]> {
    const unpinned = `NOT EXISTS (SELECT 1 FROM hold_reads o WHERE o.edge_id = l.edge_id AND o.edge_read_id = l.edge_read_id
        AND (o.live_at IS NOT NULL OR o.evidence_read_id IS NOT NULL))`;
    const evidence = await sql.query<{ ref: string }>(
      `DELETE FROM evidence_reads e USING hold_reads l
        WHERE l.hold_id = $1 AND e.edge_id = l.edge_id AND e.edge_read_id = l.edge_read_id
          AND e.captured_at < $2 AND ${unpinned}
        RETURNING e.edge_id || '/' || e.edge_read_id AS ref`,
      [id, cutoff],
    );
    const live = await sql.query<{ ref: string }>(
      `DELETE FROM reads r USING hold_reads l
        WHERE l.hold_id = $1 AND r.edge_id = l.edge_id AND r.edge_read_id = l.edge_read_id
          AND r.captured_at = l.captured_at AND r.captured_at < $2 AND ${unpinned}
        RETURNING r.edge_id || '/' || r.edge_read_id AS ref`,
      [id, cutoff],
    );
    return [...evidence, ...live].map((r) => r.ref).sort();
  }

  async get(
    sql: HubSql,
    id: number,
    options: { forUpdate?: boolean } = {},
  ): Promise<HubHoldRecord | undefined> {
    if (options.forUpdate) await sql.query('SELECT 1 FROM holds WHERE id = $1 FOR UPDATE', [id]);
    const rows = await sql.query<Raw>(`${SELECT_HOLD} WHERE h.id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async list(sql: HubSql, options: { activeOnly?: boolean; edgeId?: string } = {}): Promise<HubHoldRecord[]> {
    const rows = await sql.query<Raw>(
      `${SELECT_HOLD} WHERE ($1::boolean IS NOT TRUE OR h.released_at IS NULL)
         AND ($2::text IS NULL OR h.edge_id = $2) ORDER BY h.id`,
      [options.activeOnly ?? false, options.edgeId ?? null],
    );
    return rows.map(toRecord);
  }
}
