// The results of an own, allowed search, computed when they are viewed (Q-09, RET-02): only reads within
// retention at view time, only from cameras whose latest verdict is compliant, only from the edges of
// the agencies searchableAgencyIds returns. The view and its one audit entry (results.viewed) are one
// transaction: if the entry cannot be written, no read is returned.

import { AccessAuditKind } from '../../shared/audit/access-audit.js';
import { canonicalJson, sha256Hex } from '../../shared/canonical-json.js';
import type { HubAuditLog } from '../audit/hub-audit-log.js';
import type { HubDb, HubSql } from '../db/hub-db.js';
import { hubRetentionCutoff, withinRetentionSql } from '../store/retention-cutoff.js';
import { accessActor, accessEvent, type UserPrincipal } from './access-actor.js';
import { searchableAgencyIds } from './searchable-agencies.js';
import { SearchesRepository, type SearchRecord } from './searches.repository.js';

export interface SearchResultRead {
  id: string;
  edgeId: string;
  readId: number;
  cameraId: string;
  capturedAt: string;
  plate: string;
  confidence: number;
}

export type SearchResultsAnswer =
  | { ok: true; search: SearchRecord; reads: SearchResultRead[]; truncated: boolean }
  | { ok: false; code: 'not_found' | 'not_runnable'; message: string };

/** Matching reads, newest first, at most `limit` + 1 (to tell a truncated list). */
export async function matchReads(
  sql: HubSql,
  search: SearchRecord,
  agencyIds: readonly number[],
  cutoff: Date,
  limit: number,
): Promise<SearchResultRead[]> {
  const plateCondition = search.plateMode === 'partial' ? 'r.plate_key LIKE $2' : 'r.plate_key = $2';
  const likeOrKey =
    search.plateMode === 'partial' ? search.plate!.replace(/\?/g, '_').replace(/\*/g, '%') : search.plate!;
  const rows = await sql.query<{
    edge_id: string;
    edge_read_id: number;
    camera_id: string;
    captured_at: Date;
    plate: string;
    confidence: number;
  }>(
    `SELECT r.edge_id, r.edge_read_id, r.camera_id, r.captured_at, r.plate, r.confidence
       FROM reads r JOIN edges e ON e.id = r.edge_id
      WHERE e.agency_id = ANY($1::bigint[])
        AND ${plateCondition}
        AND ${withinRetentionSql('r', 3)}
        AND r.captured_at >= $4 AND r.captured_at <= $5
        AND ($6::jsonb IS NULL OR $6::jsonb ? r.camera_id)
        AND (SELECT v.compliant FROM camera_verdicts v
              WHERE v.edge_id = r.edge_id AND v.camera_id = r.camera_id
              ORDER BY v.edge_verdict_id DESC LIMIT 1)
      ORDER BY r.captured_at DESC, r.edge_id, r.edge_read_id
      LIMIT $7`,
    [
      agencyIds,
      likeOrKey,
      cutoff,
      new Date(search.from!),
      new Date(search.to!),
      search.cameras ? JSON.stringify(search.cameras) : null,
      limit + 1,
    ],
  );
  return rows.map((r) => ({
    id: `${r.edge_id}/${r.edge_read_id}`,
    edgeId: r.edge_id,
    readId: r.edge_read_id,
    cameraId: r.camera_id,
    capturedAt: r.captured_at.toISOString(),
    plate: r.plate,
    confidence: r.confidence,
  }));
}

export class SearchResultsService {
  private readonly repo = new SearchesRepository();

  constructor(
    private readonly db: HubDb,
    private readonly audit: HubAuditLog,
    private readonly retentionDays: number,
    /** Most rows shown; larger result sets need an approved export (next issue). */
    private readonly maxRows: number,
  ) {}

  async view(
    principal: UserPrincipal,
    searchId: number,
    options: { now: number; clientAddress: string | null },
  ): Promise<SearchResultsAnswer> {
    return this.db.transaction(async (tx): Promise<SearchResultsAnswer> => {
      const actor = await accessActor(tx, principal, options.clientAddress);
      const search = await this.repo.get(tx, searchId);
      // Only the searcher sees a search's results; anyone else is told it does not exist.
      if (!search || search.userId !== actor.userId) {
        return { ok: false, code: 'not_found', message: `no search ${searchId} of yours` };
      }
      if (search.outcome !== 'allowed') {
        return {
          ok: false,
          code: 'not_runnable',
          message:
            search.outcome === 'pending'
              ? `search ${searchId} touches a sensitive site and waits for a command approval`
              : `search ${searchId} was ${search.outcome}; it has no results`,
        };
      }
      const agencyIds = await searchableAgencyIds(tx, actor.agencyId, options.now);
      const cutoff = hubRetentionCutoff(options.now, this.retentionDays);
      const found = await matchReads(tx, search, agencyIds, cutoff, this.maxRows);
      const truncated = found.length > this.maxRows;
      const reads = found.slice(0, this.maxRows);
      await this.audit.append(
        tx,
        accessEvent(AccessAuditKind.resultsViewed, actor, {
          query: {
            plate: search.plate,
            mode: search.plateMode,
            from: search.from,
            to: search.to,
            cameras: search.cameras,
          },
          purpose: search.justification,
          caseNumber: search.caseNumber,
          crimeType: search.crimeType,
          outcome: 'ok',
          lexiconVersion: search.lexiconVersion,
          detail: {
            searchId,
            count: reads.length,
            truncated,
            readIdsSha256: sha256Hex(canonicalJson(reads.map((r) => r.id))),
            cutoff: cutoff.toISOString(),
          },
        }),
        options.now,
      );
      return { ok: true, search, reads, truncated };
    });
  }
}
