// The SQL of read ingest: the one INSERT of a batch (arrays unnested, idempotent on the read's key), and
// the fast path's single statement that also claims the request nonce and updates the edge's status.

import type { WireRead } from '../../shared/forward/wire.js';
import { foldPlateText } from '../../shared/plates/plate-format.js';
import type { SqlParam } from '../db/hub-db.js';

/** A read the checks let through, with the hub verdict id it is stored under. */
export interface Admitted {
  read: WireRead;
  index: number;
  verdictId: number;
}

export const INSERT_READS = `
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
export function fastSql(withNonce: boolean): string {
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

export function insertParams(edgeId: string, now: Date, rows: Admitted[]): SqlParam[] {
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
