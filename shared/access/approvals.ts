// Who may approve what (AC-03, SH-03, RET-04, Q-06, Q-07): the approver holds the approving permission,
// is active, belongs to the right agency, and is never the requester, compared on folded identities so
// "det.a", "Det.A " and a Cyrillic "det.а" are one person. The database re-checks approver ≠ requester.
import type { Checked } from './problems.js';
import { can, type Permission, type Role } from './roles.js';
import { identityKey } from './text-fold.js';

export type ApprovalKind =
  | 'hold'
  | 'export'
  | 'inquiry'
  | 'grant'
  | 'grant_renewal'
  | 'sensitive_search'
  | 'account'
  | 'registry_change';

/** The permission each kind of approval needs. */
export const APPROVAL_PERMISSION: Readonly<Record<ApprovalKind, Permission>> = {
  hold: 'hold.approve',
  export: 'export.approve',
  inquiry: 'inquiry.approve',
  grant: 'grant.approve',
  grant_renewal: 'grant.approve',
  sensitive_search: 'sensitive_search.approve',
  account: 'account.approve',
  registry_change: 'registry.approve',
};

/** Approvals made for the data-owning agency (sharing) rather than the requester's own agency. */
const OWNER_AGENCY_KINDS: readonly ApprovalKind[] = ['inquiry', 'grant', 'grant_renewal'];

export interface ApprovalParty {
  username: string;
  /** ORI of the person's agency. */
  agency: string;
  role: Role | string;
  status?: 'active' | 'disabled' | 'pending';
}

export interface ApprovalInput {
  kind: ApprovalKind;
  requester: { username: string; agency: string };
  approver: ApprovalParty;
  /** For inquiries and grants: the ORI of the agency whose data would be shared. */
  ownerAgency?: string;
}

/**
 * True when two usernames name the same person (folded: case, spaces, invisible and look-alike letters).
 * @example samePerson('det.a', ' DET.A\u200b') // true
 */
export function samePerson(a: string, b: string): boolean {
  return identityKey(a) === identityKey(b);
}

/**
 * Check that `approver` may approve this request. All problems name the field `approver`.
 * @example checkApproval({ kind: 'hold', requester: { username: 'det.a', agency: 'CA0430100' },
 *   approver: { username: 'lt.b', agency: 'CA0430100', role: 'supervisor', status: 'active' } }) // { ok: true, ... }
 */
export function checkApproval(input: ApprovalInput): Checked<{ approvedBy: string; permission: Permission }> {
  const { kind, requester, approver } = input;
  const permission = APPROVAL_PERMISSION[kind];
  const problems: { field: string; code: string; message: string }[] = [];
  const field = 'approver';
  if (approver.status !== undefined && approver.status !== 'active') {
    problems.push({
      field,
      code: 'approver_inactive',
      message: `the approver's account is ${approver.status}`,
    });
  }
  if (!can(approver.role, permission)) {
    problems.push({
      field,
      code: 'approver_not_permitted',
      message: `a ${approver.role} may not approve a ${kind.replace('_', ' ')} (needs ${permission})`,
    });
  }
  if (samePerson(approver.username, requester.username)) {
    problems.push({
      field,
      code: 'self_approval',
      message: 'the approver must be a different person from the requester',
    });
  }
  if (OWNER_AGENCY_KINDS.includes(kind)) {
    if (!input.ownerAgency) {
      problems.push({
        field: 'ownerAgency',
        code: 'missing',
        message: 'the agency whose data is shared is required',
      });
    } else if (approver.agency !== input.ownerAgency) {
      problems.push({
        field,
        code: 'wrong_agency',
        message: `only command staff of ${input.ownerAgency} (the agency sharing its data) may approve`,
      });
    }
  } else if (kind !== 'registry_change' && approver.agency !== requester.agency) {
    problems.push({
      field,
      code: 'wrong_agency',
      message: `the approver must belong to the requester's agency (${requester.agency})`,
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { approvedBy: approver.username, permission } };
}
