// Access grants after they exist (SH-05, SH-06): list them, request a renewal with a fresh, screened
// justification, approve or deny it (command of the owning agency, not the requester), revoke one. Every
// change is one grant.changed entry with before/after and the approval id, in the change's transaction.
import { checkApproval } from '../../shared/access/approvals.js';
import { approveGrant, checkRenewal, grantState } from '../../shared/access/grants.js';
import { checkJustification } from '../../shared/access/justification.js';
import { screenPurpose } from '../../shared/access/purpose-screen.js';
import { AccessAuditKind } from '../../shared/audit/access-audit.js';
import type { HubSql } from '../db/hub-db.js';
import { conflict, forbidden, notFound } from '../http/http-errors.js';
import { findGrant, type GrantRecord, grantView, listGrantsOf, toPureGrant } from './grants.repository.js';
import {
  type Actor,
  actorPayload,
  personKey,
  refused,
  type SharingServices,
  sharingRules,
} from './sharing-context.js';
import {
  deleteShare,
  insertApproval,
  insertComplianceAlert,
  readDecision,
  upsertShare,
} from './sharing-writes.js';

export async function listGrants(hub: SharingServices, actor: Actor) {
  const now = hub.clock();
  return (await listGrantsOf(hub.db, actor.agencyId)).map((g) => grantView(g, now));
}

/** A grant only for a party to it (owner or grantee); anything else is "not found" (AC-02). */
async function partyGrant(tx: HubSql, actor: Actor, id: number, forUpdate = true): Promise<GrantRecord> {
  const grant = await findGrant(tx, id, forUpdate);
  if (!grant || (grant.ownerAgencyId !== actor.agencyId && grant.granteeAgencyId !== actor.agencyId)) {
    throw notFound(`no grant ${id}`);
  }
  return grant;
}

const changed = (
  actor: Actor,
  grant: GrantRecord,
  outcome: string,
  category: string,
  detail: Record<string, unknown>,
) => ({
  kind: AccessAuditKind.grantChanged,
  actor: actor.username,
  payload: actorPayload(actor, {
    origin: 'external',
    purpose: grant.justification,
    caseNumber: grant.caseNumber,
    outcome,
    category,
    detail: { grantId: grant.id, ...detail },
  }),
});

/** The justifications a grant and its predecessors used (a renewal must say something new). */
async function previousJustifications(tx: HubSql, grant: GrantRecord): Promise<string[]> {
  const out: string[] = [];
  let at: GrantRecord | undefined = grant;
  for (let i = 0; at?.renewsGrantId && i < 100; i++) {
    at = await findGrant(tx, at.renewsGrantId);
    if (at) out.push(at.justification);
  }
  return out;
}

/** Ask to renew grant `id` (by the grantee agency), with a fresh justification; command then decides. */
export async function requestRenewal(
  hub: SharingServices,
  actor: Actor,
  id: number,
  body: { justification?: unknown },
) {
  const now = hub.clock();
  const { access, lexicon } = sharingRules(hub.config);
  const text = typeof body.justification === 'string' ? body.justification : undefined;
  let thrown: Error | undefined;
  const result = await hub.db.transaction(async (tx) => {
    const grant = await partyGrant(tx, actor, id);
    if (grant.granteeAgencyId !== actor.agencyId)
      throw forbidden('only the agency holding the grant asks to renew it');
    const screen = screenPurpose({ justification: text }, lexicon);
    const justification = checkJustification(text, access.search.justification);
    const renewal = checkRenewal(
      toPureGrant(grant),
      justification.ok ? justification.value.text : (text ?? ''),
      await previousJustifications(tx, grant),
      now,
    );
    const problems = [
      ...(justification.ok ? [] : justification.problems),
      ...(renewal.ok ? [] : renewal.problems),
    ];
    if (screen.blocked || problems.length > 0 || !justification.ok) {
      const category = screen.blocked ? screen.category : (problems[0]?.code ?? 'invalid');
      await hub.audit.append(
        tx,
        changed(actor, grant, screen.blocked ? 'blocked' : 'refused', category, {
          request: 'renewal',
          before: grantView(grant, now),
          after: null,
        }),
        now,
      );
      if (screen.blocked) {
        await hub.audit.append(
          tx,
          {
            kind: AccessAuditKind.complianceAlert,
            actor: actor.username,
            payload: actorPayload(actor, {
              outcome: 'blocked',
              category,
              purpose: text ?? null,
              lexiconVersion: lexicon.version,
              detail: { source: 'grant_renewal', grantId: grant.id },
            }),
          },
          now,
        );
        await insertComplianceAlert(
          tx,
          {
            kind: 'grant_renewal.blocked',
            agencyId: actor.agencyId,
            userId: actor.userId,
            username: actor.username,
            category,
            detail: { grantId: grant.id },
          },
          now,
        );
        thrown = refused(
          'prohibited_purpose',
          `refused: the justification names a prohibited purpose (${screen.categoryLabel}); ${screen.basis}`,
          problems,
        );
      } else thrown = refused('invalid_renewal', 'the renewal was refused; nothing was stored', problems);
      return undefined;
    }
    const rows = await tx.query<{ id: number }>(
      `INSERT INTO access_grants (owner_agency_id, grantee_agency_id, grantee_type, inquiry_id, renews_grant_id,
         requested_by, requested_key, requested_at, case_number, justification)
       SELECT owner_agency_id, grantee_agency_id, grantee_type, inquiry_id, id, $2, $3, $4, case_number, $5
         FROM access_grants WHERE id = $1
       ON CONFLICT (renews_grant_id) WHERE renews_grant_id IS NOT NULL AND approved_at IS NULL AND ended_at IS NULL
       DO NOTHING RETURNING id`,
      [id, actor.username, personKey(actor.username), new Date(now), justification.value.text],
    );
    if (!rows[0]) {
      thrown = conflict(`grant ${id} already has a renewal waiting for command approval`);
      return undefined;
    }
    const pending = (await findGrant(tx, rows[0].id))!;
    await hub.audit.append(
      tx,
      changed(actor, pending, 'pending', 'renewal_requested', {
        renews: id,
        before: grantView(grant, now),
        after: grantView(pending, now),
      }),
      now,
    );
    return grantView(pending, now);
  });
  if (!result) throw thrown!;
  return result;
}

/** Approve or deny a pending renewal (command of the owning agency, not the requester). */
export async function decideRenewal(
  hub: SharingServices,
  actor: Actor,
  id: number,
  body: { decision: 'approve' | 'deny'; reason?: unknown },
) {
  const now = hub.clock();
  const { access } = sharingRules(hub.config);
  const decision = readDecision(body);
  let thrown: Error | undefined;
  const result = await hub.db.transaction(async (tx) => {
    const grant = await partyGrant(tx, actor, id);
    const state = grantState(toPureGrant(grant), now);
    const approver = {
      username: actor.username,
      agency: actor.agency,
      role: actor.role,
      status: 'active' as const,
    };
    const check = checkApproval({
      kind: grant.renewsGrantId ? 'grant_renewal' : 'grant',
      requester: { username: grant.requestedBy, agency: grant.granteeAgency },
      approver,
      ownerAgency: grant.ownerAgency,
    });
    if (!check.ok || state !== 'pending') {
      const code = !check.ok ? (check.problems[0]!.code ?? 'forbidden') : `grant_${state}`;
      await hub.audit.append(
        tx,
        changed(actor, grant, 'refused', code, {
          request: decision.approve ? 'approve' : 'deny',
          before: grantView(grant, now),
          after: null,
        }),
        now,
      );
      thrown = !check.ok
        ? forbidden(check.problems.map((p) => p.message).join('; '), code)
        : conflict(`grant ${id} is ${state}, not awaiting approval`);
      return undefined;
    }
    const approvalId = await insertApproval(tx, {
      subject: grant.renewsGrantId ? 'grant_renewal' : 'grant',
      subjectId: id,
      approve: decision.approve,
      requester: grant.requestedBy,
      requesterKey: personKey(grant.requestedBy),
      actor,
      deciderRole: 'command',
      reason: decision.reason,
      now,
    });
    if (!decision.approve) {
      await tx.query(
        `UPDATE access_grants SET ended_at = $2, ended_by = $3, end_reason = 'denied' WHERE id = $1`,
        [id, new Date(now), actor.username],
      );
      const after = (await findGrant(tx, id))!;
      await hub.audit.append(
        tx,
        changed(actor, after, 'denied', 'renewal_denied', {
          approvalId,
          reason: decision.reason,
          before: grantView(grant, now),
          after: grantView(after, now),
        }),
        now,
      );
      return grantView(after, now);
    }
    const approved = approveGrant(toPureGrant(grant), approver, now, access.grants);
    if (!approved.ok) throw forbidden(approved.problems.map((p) => p.message).join('; '));
    await tx.query(
      `UPDATE access_grants SET approval_id = $2, approved_by = $3, approved_key = $4, approved_at = $5, expires_at = $6 WHERE id = $1`,
      [
        id,
        approvalId,
        actor.username,
        personKey(actor.username),
        new Date(now),
        new Date(approved.value.expiresAt!),
      ],
    );
    const previous = grant.renewsGrantId ? await findGrant(tx, grant.renewsGrantId, true) : undefined;
    if (previous && previous.endedAt === null) {
      await tx.query(
        `UPDATE access_grants SET ended_at = $2, ended_by = $3, end_reason = 'renewed' WHERE id = $1`,
        [previous.id, new Date(now), actor.username],
      );
    }
    await upsertShare(tx, id, now);
    const after = (await findGrant(tx, id))!;
    await hub.audit.append(
      tx,
      changed(actor, after, 'approved', 'renewed', {
        approvalId,
        renews: grant.renewsGrantId,
        before: previous ? grantView(previous, now) : null,
        after: grantView(after, now),
      }),
      now,
    );
    return grantView(after, now);
  });
  if (!result) throw thrown!;
  return result;
}

/** Revoke a grant at once (command of the owning agency); its share goes in the same transaction. */
export async function revokeGrant(
  hub: SharingServices,
  actor: Actor,
  id: number,
  body: { reason?: unknown },
) {
  const now = hub.clock();
  const { reason } = readDecision({ decision: 'deny', reason: body.reason });
  let thrown: Error | undefined;
  const result = await hub.db.transaction(async (tx) => {
    const grant = await partyGrant(tx, actor, id);
    if (grant.ownerAgencyId !== actor.agencyId) {
      await hub.audit.append(
        tx,
        changed(actor, grant, 'refused', 'wrong_agency', {
          request: 'revoke',
          before: grantView(grant, now),
          after: null,
        }),
        now,
      );
      thrown = forbidden(
        `only command staff of ${grant.ownerAgency} (the agency sharing its data) may revoke`,
        'wrong_agency',
      );
      return undefined;
    }
    if (grant.endedAt !== null) {
      thrown = conflict(`grant ${id} already ended (${grant.endReason})`);
      return undefined;
    }
    await tx.query(
      `UPDATE access_grants SET ended_at = $2, ended_by = $3, end_reason = 'revoked' WHERE id = $1`,
      [id, new Date(now), actor.username],
    );
    const current = await tx.query<{ grant_id: number | null }>(
      'SELECT grant_id FROM agency_shares WHERE owner_agency_id = $1 AND grantee_agency_id = $2',
      [grant.ownerAgencyId, grant.granteeAgencyId],
    );
    const removed =
      current[0]?.grant_id === id ? await deleteShare(tx, grant.ownerAgencyId, grant.granteeAgencyId) : 0;
    const after = (await findGrant(tx, id))!;
    await hub.audit.append(
      tx,
      changed(actor, after, 'ok', 'revoked', {
        reason,
        shareRemoved: removed > 0,
        before: grantView(grant, now),
        after: grantView(after, now),
      }),
      now,
    );
    return grantView(after, now);
  });
  if (!result) throw thrown!;
  return result;
}
