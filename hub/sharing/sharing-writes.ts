// The writes inquiries, grants and exports share: an approval record, an approved grant, the share that
// makes a grant effective, and reading a decision body. Each runs inside the caller's transaction, next
// to the audit entry that records it.
import type { HubSql } from '../db/hub-db.js';
import { badRequest } from '../http/http-errors.js';
import { type Actor, personKey } from './sharing-context.js';

/** `{ reason }` of an approval or denial: a denial needs a reason of 3-2000 characters. */
export function readDecision(body: { decision: 'approve' | 'deny'; reason?: unknown }): {
  approve: boolean;
  reason: string | null;
} {
  const reason =
    typeof body.reason === 'string' ? body.reason.normalize('NFKC').trim().replace(/\s+/gu, ' ') : '';
  if (body.reason !== undefined && typeof body.reason !== 'string') throw badRequest('reason must be text');
  if (reason.length > 2000) throw badRequest('reason: at most 2000 characters');
  if (body.decision === 'deny' && reason.length < 3)
    throw badRequest('a denial needs a reason (3+ characters)');
  return { approve: body.decision === 'approve', reason: reason === '' ? null : reason };
}

export async function insertApproval(
  tx: HubSql,
  a: {
    subject: 'inquiry' | 'grant' | 'grant_renewal' | 'export';
    subjectId: number;
    approve: boolean;
    requester: string;
    requesterKey: string;
    actor: Actor;
    deciderRole: 'command' | 'supervisor';
    reason: string | null;
    now: number;
  },
): Promise<number> {
  const rows = await tx.query<{ id: number }>(
    `INSERT INTO sharing_approvals (subject, subject_id, decision, requester, requester_key, decider, decider_key,
       decider_role, decider_agency_id, reason, decided_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      a.subject,
      a.subjectId,
      a.approve ? 'approved' : 'denied',
      a.requester,
      a.requesterKey,
      a.actor.username,
      personKey(a.actor.username),
      a.deciderRole,
      a.actor.agencyId,
      a.reason,
      new Date(a.now),
    ],
  );
  return rows[0]!.id;
}

/** Insert a grant that is approved in the same step (an inquiry's approval creates it). */
export async function insertApprovedGrant(
  tx: HubSql,
  g: {
    inquiryId: number | null;
    renewsGrantId: number | null;
    requestedBy: string;
    requestedAt: number;
    caseNumber: string;
    justification: string;
    approvalId: number;
    approver: Actor;
    approvedAt: number;
    expiresAt: number;
    ownerOri: string;
    granteeOri: string;
  },
): Promise<number> {
  const rows = await tx.query<{ id: number }>(
    `INSERT INTO access_grants (owner_agency_id, grantee_agency_id, grantee_type, inquiry_id, renews_grant_id,
       requested_by, requested_key, requested_at, case_number, justification, approval_id, approved_by, approved_key,
       approved_at, expires_at)
     SELECT o.id, e.id, e.agency_type, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14
       FROM agencies o, agencies e WHERE o.ori = $1 AND e.ori = $2
     RETURNING id`,
    [
      g.ownerOri,
      g.granteeOri,
      g.inquiryId,
      g.renewsGrantId,
      g.requestedBy,
      personKey(g.requestedBy),
      new Date(g.requestedAt),
      g.caseNumber,
      g.justification,
      g.approvalId,
      g.approver.username,
      personKey(g.approver.username),
      new Date(g.approvedAt),
      new Date(g.expiresAt),
    ],
  );
  return rows[0]!.id;
}

/** Make grant `grantId` the effective share of its pair (replacing an older one), lasting as long. */
export async function upsertShare(tx: HubSql, grantId: number, now: number): Promise<void> {
  await tx.query(
    `INSERT INTO agency_shares (owner_agency_id, grantee_agency_id, grantee_type, grant_id, expires_at, created_at)
     SELECT owner_agency_id, grantee_agency_id, grantee_type, id, expires_at, $2 FROM access_grants WHERE id = $1
     ON CONFLICT (owner_agency_id, grantee_agency_id) DO UPDATE
       SET grant_id = EXCLUDED.grant_id, expires_at = EXCLUDED.expires_at, grantee_type = EXCLUDED.grantee_type,
           created_at = EXCLUDED.created_at`,
    [grantId, new Date(now)],
  );
}

/** Remove the effective share of a grant's pair (revocation, expiry, drift). */
export async function deleteShare(
  tx: HubSql,
  ownerAgencyId: number,
  granteeAgencyId: number,
): Promise<number> {
  const rows = await tx.query(
    'DELETE FROM agency_shares WHERE owner_agency_id = $1 AND grantee_agency_id = $2 RETURNING 1',
    [ownerAgencyId, granteeAgencyId],
  );
  return rows.length;
}

/** A row in compliance_alerts (counted by the quarterly report), beside its compliance.alert entry. */
export async function insertComplianceAlert(
  tx: HubSql,
  alert: {
    kind: 'sharing.drift' | 'inquiry.blocked' | 'grant_renewal.blocked' | 'export.blocked';
    agencyId: number | null;
    userId: number | null;
    username: string | null;
    category: string;
    detail: Record<string, unknown>;
  },
  now: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO compliance_alerts (kind, agency_id, user_id, username, category, detail, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      alert.kind,
      alert.agencyId,
      alert.userId,
      alert.username,
      alert.category,
      JSON.stringify(alert.detail),
      new Date(now),
    ],
  );
}
