// Hotlist matching at ingest (HIT-01, HIT-04, MIN-02): each newly stored read's folded plate, HMAC'd under
// the hotlist key, is looked up among the active entries of the edge's agency; a match becomes a hit in
// state "unverified", audited, inside the ingest transaction. Nothing about the hit leaves the hub here:
// the caller publishes only the plate-free `hit.unverified_waiting` event after the commit.
import { isStaleHit } from '../../shared/access/hits.js';
import { AccessAuditKind } from '../../shared/audit/access-audit.js';
import type { WireRead } from '../../shared/forward/wire.js';
import type { HubAuditLog } from '../audit/hub-audit-log.js';
import type { HubSql } from '../db/hub-db.js';
import { type HotlistKey, hotlistPayload } from './hotlist-key.js';

/** A hit just created: ids only (what the plate-free event may carry). */
export interface CreatedHit {
  hitId: number;
  agencyId: number;
  edgeId: string;
  cameraId: string;
  stale: boolean;
}

const ACTIVE_MATCHES = `
SELECT e.id AS entry_id, e.hotlist_id, e.agency_id, e.plate_hmac, l.refreshed_at, l.source, a.ori
  FROM hotlist_entries e
  JOIN hotlists l ON l.id = e.hotlist_id
  JOIN agencies a ON a.id = e.agency_id
 WHERE e.plate_hmac = ANY($1::text[]) AND e.expired_at IS NULL AND e.expires_at > $2
   AND e.agency_id = (SELECT agency_id FROM edges WHERE id = $3)`;

interface MatchRow {
  entry_id: number;
  hotlist_id: number;
  agency_id: number;
  plate_hmac: string;
  refreshed_at: Date;
  source: string;
  ori: string;
}

export class HitMatcher {
  constructor(
    private readonly key: HotlistKey,
    private readonly audit: HubAuditLog,
    private readonly staleAfterHours: number,
  ) {}

  /** Might any of these reads match? (The fast path takes the transaction path when so.) */
  async anyCandidate(sql: HubSql, edgeId: string, reads: readonly WireRead[], now: number): Promise<boolean> {
    if (reads.length === 0) return false;
    const rows = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (${ACTIVE_MATCHES} LIMIT 1) m`,
      [[...new Set(reads.map((r) => this.key.match(r.plate)))], new Date(now), edgeId],
    );
    return (rows[0]?.n ?? 0) > 0;
  }

  /** Create the hits of the reads just stored (only those accepted now: a resent read matched already). */
  async match(tx: HubSql, edgeId: string, stored: readonly WireRead[], now: number): Promise<CreatedHit[]> {
    if (stored.length === 0) return [];
    const byKey = new Map<string, WireRead[]>();
    for (const read of stored) {
      const k = this.key.match(read.plate);
      byKey.set(k, [...(byKey.get(k) ?? []), read]);
    }
    const matches = await tx.query<MatchRow>(ACTIVE_MATCHES, [[...byKey.keys()], new Date(now), edgeId]);
    const created: CreatedHit[] = [];
    for (const m of matches) {
      for (const read of byKey.get(m.plate_hmac) ?? []) {
        const refreshedAt = m.refreshed_at.getTime();
        const stale = isStaleHit({ createdAt: now, listRefreshedAt: refreshedAt }, this.staleAfterHours);
        const [hit] = await tx.query<{ id: number }>(
          `INSERT INTO hits (agency_id, entry_id, hotlist_id, edge_id, edge_read_id, camera_id, captured_at,
                             created_at, list_refreshed_at, stale)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (entry_id, edge_id, edge_read_id) DO NOTHING RETURNING id`,
          [
            m.agency_id,
            m.entry_id,
            m.hotlist_id,
            edgeId,
            read.edgeReadId,
            read.cameraId,
            new Date(read.capturedAt),
            new Date(now),
            m.refreshed_at,
            stale,
          ],
        );
        if (!hit) continue;
        // No plate in the entry: the hit row points at the read; the audit records what matched.
        await this.audit.append(
          tx,
          {
            kind: AccessAuditKind.hitCreated,
            actor: `edge:${edgeId}`,
            payload: hotlistPayload({
              user: `edge:${edgeId}`,
              agency: m.ori,
              outcome: 'unverified',
              category: stale ? 'stale_list' : null,
              detail: {
                hitId: hit.id,
                entryId: m.entry_id,
                hotlistId: m.hotlist_id,
                source: m.source,
                edgeId,
                cameraId: read.cameraId,
                edgeReadId: read.edgeReadId,
                capturedAt: new Date(read.capturedAt).toISOString(),
                stale,
              },
            }),
          },
          now,
        );
        created.push({ hitId: hit.id, agencyId: m.agency_id, edgeId, cameraId: read.cameraId, stale });
      }
    }
    return created;
  }
}
