// Access grants to other agencies (SH-03, SH-05, SH-07): a grant lets one California agency search
// another's cameras. It is active only once a command user of the data-owning agency other than the
// requester approved it, until it expires (90 days by default) or its case closes; renewal is a new
// request with a fresh justification, approved again. The drift rule compares the sharing the system
// actually applies with the approved grants and names what to revoke.
import { type ApprovalParty, checkApproval, samePerson } from './approvals.js';
import { type AccessProblem, type Checked, DAY_MS } from './problems.js';
import { identityKey } from './text-fold.js';

export interface GrantRules {
  /** Days a grant lasts from approval (default 90). */
  validDays: number;
}

export const DEFAULT_GRANT_RULES: GrantRules = { validDays: 90 };

export interface Grant {
  id: string;
  /** ORI of the agency whose cameras are shared. */
  ownerAgency: string;
  /** ORI of the agency that may search them. */
  granteeAgency: string;
  requestedBy: string;
  requestedAt: number;
  justification: string;
  approvedBy?: string | null;
  approvedAt?: number | null;
  expiresAt?: number | null;
  revokedAt?: number | null;
  /** The case closed: the grant ends then, whatever its expiry. */
  caseClosedAt?: number | null;
  /** The grant this one renews. */
  renews?: string | null;
}

export type GrantState = 'pending' | 'active' | 'expired' | 'revoked' | 'invalid';

/**
 * The state of a grant at `now`. "invalid" is a grant that claims approval it cannot have (self-approved,
 * approved before it was requested, no expiry, owner = grantee): never active, revoked by the drift check.
 * @example grantState(grant, now) // 'active'
 */
export function grantState(grant: Grant, now: number): GrantState {
  if (grant.revokedAt !== null && grant.revokedAt !== undefined && grant.revokedAt <= now) return 'revoked';
  if (!grant.approvedBy || grant.approvedAt === null || grant.approvedAt === undefined) return 'pending';
  if (
    samePerson(grant.approvedBy, grant.requestedBy) ||
    grant.approvedAt < grant.requestedAt ||
    grant.approvedAt > now ||
    grant.expiresAt === null ||
    grant.expiresAt === undefined ||
    grant.ownerAgency === grant.granteeAgency
  ) {
    return 'invalid';
  }
  if (now >= grant.expiresAt) return 'expired';
  if (grant.caseClosedAt !== null && grant.caseClosedAt !== undefined && grant.caseClosedAt <= now)
    return 'expired';
  return 'active';
}

/**
 * Is the grant in force at `now`?
 * @example isGrantActive(grant, now) // true
 */
export function isGrantActive(grant: Grant, now: number): boolean {
  return grantState(grant, now) === 'active';
}

/**
 * Approve a pending grant (or renewal): the approver must be command staff of the owning agency and not
 * the requester; the grant then runs `validDays` from now.
 * @example approveGrant(pending, { username: 'cmdr.diaz', agency: 'CA0431100', role: 'command', status: 'active' }, now)
 *   // { ok: true, value: { ...pending, approvedBy: 'cmdr.diaz', approvedAt: now, expiresAt: now + 90 days } }
 */
export function approveGrant(
  grant: Grant,
  approver: ApprovalParty,
  now: number,
  rules: GrantRules = DEFAULT_GRANT_RULES,
): Checked<Grant> {
  const state = grantState(grant, now);
  if (state !== 'pending') {
    return {
      ok: false,
      problems: [
        { field: 'grant', code: `grant_${state}`, message: `the grant is ${state}, not awaiting approval` },
      ],
    };
  }
  const check = checkApproval({
    kind: grant.renews ? 'grant_renewal' : 'grant',
    requester: { username: grant.requestedBy, agency: grant.granteeAgency },
    approver,
    ownerAgency: grant.ownerAgency,
  });
  if (!check.ok) return check;
  return {
    ok: true,
    value: {
      ...grant,
      approvedBy: approver.username,
      approvedAt: now,
      expiresAt: now + rules.validDays * DAY_MS,
    },
  };
}

/**
 * Check a renewal request: the grant must not be revoked, and the justification must be new (not one
 * already used for this grant or its predecessors, compared folded). The caller then screens and
 * validates the justification like any other (checkJustification, screenPurpose) and sends the renewal
 * to command for approval (approveGrant).
 * @example checkRenewal(grant, 'same words as before', [grant.justification], now)
 *   // { ok: false, problems: [{ field: 'justification', code: 'stale_justification', ... }] }
 */
export function checkRenewal(
  grant: Grant,
  justification: string,
  previousJustifications: readonly string[],
  now: number,
): Checked<true> {
  const problems: AccessProblem[] = [];
  const state = grantState(grant, now);
  if (state === 'revoked' || state === 'invalid') {
    problems.push({
      field: 'grant',
      code: `grant_${state}`,
      message: `a ${state} grant cannot be renewed; request a new one`,
    });
  }
  const key = (t: string) =>
    identityKey(t)
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  if ([grant.justification, ...previousJustifications].some((p) => key(p) === key(justification))) {
    problems.push({
      field: 'justification',
      code: 'stale_justification',
      message: 'a renewal needs a fresh justification: say why access is still needed now',
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: true };
}

/** A share as the system applies it right now (the live ACL), whatever approved it. */
export interface EffectiveShare {
  ownerAgency: string;
  granteeAgency: string;
  /** The grant the share claims to come from. */
  grantId?: string | null;
  expiresAt?: number | null;
}

export type DriftReason =
  | 'not_approved'
  | 'pending'
  | 'expired'
  | 'revoked'
  | 'invalid'
  | 'scope_mismatch'
  | 'outlives_approval'
  | 'ineligible_agency';

export interface SharingDrift {
  /** Shares to revoke now, with why (each is also a compliance alert). */
  revoke: Array<{ share: EffectiveShare; reason: DriftReason }>;
  /** Active approved grants the system does not apply (reported, never added automatically). */
  missing: Grant[];
}

/**
 * The daily drift rule (SH-07): every effective share must match an active approved grant for the same
 * pair, expiring no later than it, to an eligible agency. Anything else is revoked.
 * @example sharingDrift([{ ownerAgency: 'CA0431100', granteeAgency: 'CA0010000' }], [], now)
 *   // { revoke: [{ share, reason: 'not_approved' }], missing: [] }
 */
export function sharingDrift(
  effective: readonly EffectiveShare[],
  approved: readonly Grant[],
  now: number,
  eligibleAgency: (ori: string) => boolean = () => true,
): SharingDrift {
  const byId = new Map(approved.map((g) => [g.id, g]));
  const revoke: SharingDrift['revoke'] = [];
  const used = new Set<string>();
  for (const share of effective) {
    const grant = share.grantId
      ? byId.get(share.grantId)
      : approved.find(
          (g) =>
            g.ownerAgency === share.ownerAgency &&
            g.granteeAgency === share.granteeAgency &&
            isGrantActive(g, now),
        );
    let reason: DriftReason | undefined;
    if (!grant) reason = 'not_approved';
    else if (grant.ownerAgency !== share.ownerAgency || grant.granteeAgency !== share.granteeAgency)
      reason = 'scope_mismatch';
    else {
      const state = grantState(grant, now);
      if (state !== 'active') reason = state;
      else if (
        share.expiresAt === null ||
        share.expiresAt === undefined ||
        share.expiresAt > grant.expiresAt!
      ) {
        reason = 'outlives_approval';
      } else if (!eligibleAgency(share.granteeAgency)) reason = 'ineligible_agency';
    }
    if (reason) revoke.push({ share, reason });
    else used.add(grant!.id);
  }
  const missing = approved.filter((g) => isGrantActive(g, now) && !used.has(g.id));
  return { revoke, missing };
}
