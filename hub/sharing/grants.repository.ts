// Access grants and the effective sharing ACL as rows, and as the pure rule's Grant and EffectiveShare
// (shared/access/grants.ts), which speak in ORIs. Also the one question searches ask: whose reads may
// this agency see now (own agency plus owners of active, approved, unexpired California grants).
import { type EffectiveShare, type Grant, grantState } from '../../shared/access/grants.js';
import { searchableAgencies } from '../../shared/access/search-scope.js';
import type { HubSql } from '../db/hub-db.js';
import { toMs } from './sharing-context.js';

export interface GrantRecord {
  id: number;
  ownerAgencyId: number;
  ownerAgency: string;
  granteeAgencyId: number;
  granteeAgency: string;
  inquiryId: number | null;
  renewsGrantId: number | null;
  requestedBy: string;
  requestedAt: number;
  caseNumber: string;
  justification: string;
  approvalId: number | null;
  approvedBy: string | null;
  approvedAt: number | null;
  expiresAt: number | null;
  caseClosedAt: number | null;
  endedAt: number | null;
  endedBy: string | null;
  endReason: string | null;
}

interface Raw {
  id: number;
  owner_agency_id: number;
  owner_ori: string;
  grantee_agency_id: number;
  grantee_ori: string;
  inquiry_id: number | null;
  renews_grant_id: number | null;
  requested_by: string;
  requested_at: Date;
  case_number: string;
  justification: string;
  approval_id: number | null;
  approved_by: string | null;
  approved_at: Date | null;
  expires_at: Date | null;
  case_closed_at: Date | null;
  ended_at: Date | null;
  ended_by: string | null;
  end_reason: string | null;
}

export const GRANT_SELECT = `SELECT g.*, o.ori AS owner_ori, e.ori AS grantee_ori
  FROM access_grants g JOIN agencies o ON o.id = g.owner_agency_id JOIN agencies e ON e.id = g.grantee_agency_id`;

export const toGrantRecord = (r: Raw): GrantRecord => ({
  id: r.id,
  ownerAgencyId: r.owner_agency_id,
  ownerAgency: r.owner_ori,
  granteeAgencyId: r.grantee_agency_id,
  granteeAgency: r.grantee_ori,
  inquiryId: r.inquiry_id,
  renewsGrantId: r.renews_grant_id,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at.getTime(),
  caseNumber: r.case_number,
  justification: r.justification,
  approvalId: r.approval_id,
  approvedBy: r.approved_by,
  approvedAt: toMs(r.approved_at),
  expiresAt: toMs(r.expires_at),
  caseClosedAt: toMs(r.case_closed_at),
  endedAt: toMs(r.ended_at),
  endedBy: r.ended_by,
  endReason: r.end_reason,
});

/** The pure rule's view of a grant row (an ended grant counts as revoked from its end). */
export function toPureGrant(g: GrantRecord): Grant {
  return {
    id: String(g.id),
    ownerAgency: g.ownerAgency,
    granteeAgency: g.granteeAgency,
    requestedBy: g.requestedBy,
    requestedAt: g.requestedAt,
    justification: g.justification,
    approvedBy: g.approvedBy,
    approvedAt: g.approvedAt,
    expiresAt: g.expiresAt,
    revokedAt: g.endedAt,
    caseClosedAt: g.caseClosedAt,
    renews: g.renewsGrantId === null ? null : String(g.renewsGrantId),
  };
}

/** A grant as the API shows it, with its state at `now`. */
export function grantView(g: GrantRecord, now: number) {
  return { ...g, state: grantState(toPureGrant(g), now) };
}

export async function findGrant(
  sql: HubSql,
  id: number,
  forUpdate = false,
): Promise<GrantRecord | undefined> {
  const rows = await sql.query<Raw>(`${GRANT_SELECT} WHERE g.id = $1${forUpdate ? ' FOR UPDATE OF g' : ''}`, [
    id,
  ]);
  return rows[0] ? toGrantRecord(rows[0]) : undefined;
}

/** Grants where `agencyId` is owner or grantee, newest first. */
export async function listGrantsOf(sql: HubSql, agencyId: number): Promise<GrantRecord[]> {
  const rows = await sql.query<Raw>(
    `${GRANT_SELECT} WHERE g.owner_agency_id = $1 OR g.grantee_agency_id = $1 ORDER BY g.id DESC`,
    [agencyId],
  );
  return rows.map(toGrantRecord);
}

/** Every grant not ended (the approved baseline the drift check compares against, plus pending ones). */
export async function listOpenGrants(sql: HubSql): Promise<GrantRecord[]> {
  return (await sql.query<Raw>(`${GRANT_SELECT} WHERE g.ended_at IS NULL ORDER BY g.id`)).map(toGrantRecord);
}

export interface ShareRecord extends EffectiveShare {
  ownerAgencyId: number;
  granteeAgencyId: number;
}

/** The effective sharing ACL, as searches apply it. */
export async function listShares(sql: HubSql, granteeAgencyId?: number): Promise<ShareRecord[]> {
  const rows = await sql.query<{
    owner_agency_id: number;
    grantee_agency_id: number;
    owner_ori: string;
    grantee_ori: string;
    grant_id: number | null;
    expires_at: Date;
  }>(
    `SELECT s.owner_agency_id, s.grantee_agency_id, o.ori AS owner_ori, e.ori AS grantee_ori, s.grant_id,
            s.expires_at
       FROM agency_shares s JOIN agencies o ON o.id = s.owner_agency_id JOIN agencies e ON e.id = s.grantee_agency_id
      WHERE $1::bigint IS NULL OR s.grantee_agency_id = $1
      ORDER BY s.owner_agency_id, s.grantee_agency_id`,
    [granteeAgencyId ?? null],
  );
  return rows.map((r) => ({
    ownerAgencyId: r.owner_agency_id,
    granteeAgencyId: r.grantee_agency_id,
    ownerAgency: r.owner_ori,
    granteeAgency: r.grantee_ori,
    grantId: r.grant_id === null ? null : String(r.grant_id),
    expiresAt: r.expires_at.getTime(),
  }));
}

/**
 * The agencies (ids) whose reads a user of `agencyId` may search at `now`: the own agency, then each
 * owner whose share to it is backed by an active, approved, unexpired grant of the same pair to a
 * California law-enforcement agency (a share without one widens nothing, even before the drift job
 * removes it). Nothing else widens it (Q-09, AC-02).
 */
export async function searchableAgencyIdsFor(sql: HubSql, agencyId: number, now: number): Promise<number[]> {
  const shares = await listShares(sql, agencyId);
  if (shares.length === 0) return [agencyId];
  const grants = (
    await sql.query<Raw>(
      `${GRANT_SELECT} WHERE g.grantee_agency_id = $1 AND g.ended_at IS NULL AND g.approved_at IS NOT NULL
         AND e.state = 'CA' AND e.agency_type IN ('local_le', 'state_le')`,
      [agencyId],
    )
  ).map(toGrantRecord);
  const byId = new Map(grants.map((g) => [String(g.id), g]));
  const backed = shares
    .filter((s) => {
      const g = s.grantId ? byId.get(s.grantId) : undefined;
      return (
        g !== undefined &&
        g.ownerAgencyId === s.ownerAgencyId &&
        s.expiresAt !== null &&
        s.expiresAt !== undefined &&
        s.expiresAt > now &&
        g.expiresAt !== null &&
        s.expiresAt <= g.expiresAt
      );
    })
    .map((s) => byId.get(s.grantId!)!);
  const own = shares[0]!.granteeAgency;
  const allowed = new Set(searchableAgencies(own, backed.map(toPureGrant), now));
  const ids = backed.filter((g) => allowed.has(g.ownerAgency)).map((g) => g.ownerAgencyId);
  return [agencyId, ...[...new Set(ids)].sort((a, b) => a - b)];
}
