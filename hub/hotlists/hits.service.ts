// Hits as people see and decide them (HIT-01, HIT-03, HIT-04): the agency's list (no plates in it),
// one hit with its read, crop reference and entry (the plate opened from its seal; viewing it is audited),
// and the verification — transitionHit() from shared/access/hits.ts decides, the row and its audit entry
// are written in one transaction, and the table refuses a second decision.
import {
  type Hit,
  type HitEvent,
  type HitRules,
  isStaleHit,
  overdueHits,
  transitionHit,
} from '../../shared/access/hits.js';
import { hotlistFreshness } from '../../shared/access/hotlist.js';
import type { AccessProblem } from '../../shared/access/problems.js';
import { AccessAuditKind } from '../../shared/audit/access-audit.js';
import type { HubAuditLog } from '../audit/hub-audit-log.js';
import type { HubSql } from '../db/hub-db.js';
import { type HotlistKey, hotlistPayload } from './hotlist-key.js';

export interface HitSummary {
  id: number;
  state: Hit['state'];
  createdAt: string;
  capturedAt: string;
  edgeId: string;
  cameraId: string;
  source: string;
  stale: boolean;
  /** unverified past access.hotlist.unverifiedReportHours (HIT-03) */
  overdue: boolean;
  disposition: string | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
}

export interface Verifier {
  userId: number;
  username: string;
  role: string;
  agencyId: number;
}

interface HitRow {
  id: number;
  agency_id: number;
  entry_id: number;
  state: Hit['state'];
  created_at: Date;
  captured_at: Date;
  edge_id: string;
  edge_read_id: number;
  camera_id: string;
  source: string;
  stale: boolean;
  list_refreshed_at: Date | null;
  disposition: string | null;
  rejection_reason: string | null;
  verified_by: string | null;
  verified_at: Date | null;
  note: string | null;
}

const HIT_SELECT = `SELECT h.*, l.source FROM hits h JOIN hotlists l ON l.id = h.hotlist_id`;

function summary(r: HitRow, now: number, overdueHours: number): HitSummary {
  return {
    id: r.id,
    state: r.state,
    createdAt: r.created_at.toISOString(),
    capturedAt: r.captured_at.toISOString(),
    edgeId: r.edge_id,
    cameraId: r.camera_id,
    source: r.source,
    stale: r.stale,
    overdue:
      overdueHits([{ state: r.state, createdAt: r.created_at.getTime() }], now, overdueHours).length > 0,
    disposition: r.disposition ?? r.rejection_reason,
    verifiedBy: r.verified_by,
    verifiedAt: r.verified_at?.toISOString() ?? null,
  };
}

export class HitsService {
  constructor(
    private readonly audit: HubAuditLog,
    private readonly key: HotlistKey,
    private readonly rules: HitRules & { unverifiedReportHours: number; staleAfterHours: number },
  ) {}

  /** The agency's hits, newest first; `state` filters. No plate, entry reason or case number. */
  async list(sql: HubSql, agencyId: number, now: number, state?: string, limit = 200): Promise<HitSummary[]> {
    const rows = await sql.query<HitRow>(
      `${HIT_SELECT} WHERE h.agency_id = $1 AND ($2::text IS NULL OR h.state = $2)
        ORDER BY h.created_at DESC, h.id DESC LIMIT $3`,
      [agencyId, state ?? null, limit],
    );
    return rows.map((r) => summary(r, now, this.rules.unverifiedReportHours));
  }

  /** HIT-03 reporting: the agency's hits unverified for longer than unverifiedReportHours. */
  async overdueCount(sql: HubSql, agencyId: number | null, now: number): Promise<number> {
    const rows = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM hits WHERE state = 'unverified' AND created_at < $1
          AND ($2::bigint IS NULL OR agency_id = $2)`,
      [new Date(now - this.rules.unverifiedReportHours * 3_600_000), agencyId],
    );
    return rows[0]?.n ?? 0;
  }

  /** One hit of the caller's agency with its read and entry; audited as a view (it shows a plate). */
  async get(tx: HubSql, viewer: Verifier & { ori: string }, id: number, now: number) {
    const [r] = await tx.query<HitRow>(`${HIT_SELECT} WHERE h.id = $1 AND h.agency_id = $2`, [
      id,
      viewer.agencyId,
    ]);
    if (!r) return undefined;
    const [read] = await tx.query<{
      plate: string;
      raw_text: string;
      confidence: number;
      crop_sha256: string | null;
      model_id: string;
    }>(
      `SELECT plate, raw_text, confidence, crop_sha256, model_id FROM reads
        WHERE edge_id = $1 AND edge_read_id = $2 AND captured_at = $3`,
      [r.edge_id, r.edge_read_id, r.captured_at],
    );
    const [entry] = await tx.query<{
      id: number;
      plate_hmac: string;
      plate_sealed: string;
      reason: string;
      case_number: string;
      expires_at: Date;
      expired_at: Date | null;
      refreshed_at: Date;
    }>(
      `SELECT e.*, l.refreshed_at FROM hotlist_entries e JOIN hotlists l ON l.id = e.hotlist_id WHERE e.id = $1`,
      [r.entry_id],
    );
    await this.audit.append(
      tx,
      {
        kind: AccessAuditKind.resultsViewed,
        actor: viewer.username,
        payload: hotlistPayload({
          user: viewer.username,
          role: viewer.role,
          agency: viewer.ori,
          origin: 'internal',
          outcome: 'ok',
          detail: { hitId: r.id, entryId: r.entry_id, state: r.state },
        }),
      },
      now,
    );
    const freshness = hotlistFreshness(
      entry?.refreshed_at.getTime() ?? null,
      now,
      this.rules.staleAfterHours,
    );
    return {
      ...summary(r, now, this.rules.unverifiedReportHours),
      rejectionReason: r.rejection_reason,
      note: r.note,
      read: read
        ? {
            edgeReadId: r.edge_read_id,
            plate: read.plate,
            rawText: read.raw_text,
            confidence: read.confidence,
            modelId: read.model_id,
            // the hub keeps the crop's hash; the crop itself, when stored, is on the edge
            crop: read.crop_sha256 ? { sha256: read.crop_sha256 } : null,
          }
        : null,
      entry: entry
        ? {
            id: entry.id,
            plate: this.key.open(entry.plate_sealed, `${r.agency_id}:${r.source}:${entry.plate_hmac}`),
            reason: entry.reason,
            caseNumber: entry.case_number,
            source: r.source,
            expiresAt: entry.expires_at.toISOString(),
            active: entry.expired_at === null && entry.expires_at.getTime() > now,
            listRefreshedAt: entry.refreshed_at.toISOString(),
            listStaleNow: freshness.stale,
          }
        : null,
    };
  }

  /**
   * A person's decision. `confirmed`: the read (and crop) match the entry; `entryCurrent`: the entry is
   * still listed at its source, checked with `checkedWith` at `checkedAt` (default now).
   */
  async verify(
    tx: HubSql,
    who: Verifier & { ori: string },
    id: number,
    body: {
      confirmed: boolean;
      entryCurrent: boolean;
      disposition?: string;
      rejectionReason?: string;
      checkedWith?: string;
      checkedAt?: number;
      note?: string;
    },
    now: number,
  ): Promise<{ ok: true; hit: Hit } | { ok: false; status: 404 | 409 | 422; problems: AccessProblem[] }> {
    const [r] = await tx.query<HitRow>(`${HIT_SELECT} WHERE h.id = $1 AND h.agency_id = $2 FOR UPDATE OF h`, [
      id,
      who.agencyId,
    ]);
    if (!r)
      return {
        ok: false,
        status: 404,
        problems: [{ field: 'id', code: 'not_found', message: 'no such hit' }],
      };
    const hit: Hit = {
      id: String(r.id),
      state: r.state,
      createdAt: r.created_at.getTime(),
      listRefreshedAt: r.list_refreshed_at?.getTime() ?? null,
    };
    const note = body.note?.trim() || undefined;
    const event: HitEvent = body.confirmed
      ? {
          type: 'confirm',
          by: who.username,
          role: who.role,
          visualMatch: true,
          currency: {
            checkedAt: body.checkedAt ?? now,
            stillListed: body.entryCurrent,
            checkedWith: body.checkedWith ?? '',
          },
          disposition: body.disposition ?? '',
          note,
        }
      : { type: 'reject', by: who.username, role: who.role, reason: body.rejectionReason ?? '', note };
    const next = transitionHit(hit, event, now, this.rules);
    if (!next.ok) {
      const final = next.problems.some((p) => p.code === 'hit_final');
      return { ok: false, status: final ? 409 : 422, problems: next.problems };
    }
    const h = next.value;
    await tx.query(
      `UPDATE hits SET state = $2, verified_by_user_id = $3, verified_by = $4, verified_at = $5,
              currency_checked_at = $6, currency_checked_with = $7, disposition = $8, rejection_reason = $9,
              note = $10
        WHERE id = $1`,
      [
        r.id,
        h.state,
        who.userId,
        who.username,
        new Date(now),
        h.confirmation ? new Date(h.confirmation.currencyCheckedAt) : null,
        h.confirmation?.currencyCheckedWith ?? null,
        h.confirmation?.disposition ?? null,
        h.rejection?.reason ?? null,
        note ?? null,
      ],
    );
    const stale = isStaleHit(hit, this.rules.staleAfterHours);
    await this.audit.append(
      tx,
      {
        kind: h.state === 'confirmed' ? AccessAuditKind.hitConfirmed : AccessAuditKind.hitRejected,
        actor: who.username,
        payload: hotlistPayload({
          user: who.username,
          role: who.role,
          agency: who.ori,
          origin: 'internal',
          outcome: h.state,
          category: h.confirmation?.disposition ?? h.rejection?.reason ?? null,
          detail: {
            hitId: r.id,
            entryId: r.entry_id,
            source: r.source,
            stale,
            visualMatch: h.state === 'confirmed',
            currencyCheckedAt: h.confirmation
              ? new Date(h.confirmation.currencyCheckedAt).toISOString()
              : null,
            currencyCheckedWith: h.confirmation?.currencyCheckedWith ?? null,
            note: note ?? null,
          },
        }),
      },
      now,
    );
    return { ok: true, hit: h };
  }
}
