// The contract for the hub's access audit (AUD-01, AUD-02, AUD-07): the event kinds a person's actions
// write, and the SB 34 fields every one of them carries. One owner, so the features that write entries
// (sessions, searches, holds, sharing, hotlists) and the ones that read them back (quarterly report,
// anomaly queue, transparency portal) agree on names. Payloads never carry a password, a TOTP code or
// seed, or a session id; a search's query terms (the plate pattern) are kept, as SB 34 requires, and
// never leave the hub except to auditors.

export const AccessAuditKind = {
  loginSucceeded: 'login.succeeded',
  /** payload.reason: the precise refusal (bad_password, totp_mismatch, totp_reused, locked…) */
  loginFailed: 'login.failed',
  accountLocked: 'account.locked',
  mfaEnrolled: 'mfa.enrolled',
  noticeAccepted: 'notice.accepted',
  sessionEnded: 'session.ended',

  userCreated: 'user.created',
  userChanged: 'user.changed',
  userDisabled: 'user.disabled',

  /** outcome allowed: the search ran */
  searchAllowed: 'search.allowed',
  /** outcome refused: a field failed validation (bad case number, generic justification, out of retention…) */
  searchRefused: 'search.refused',
  /** outcome blocked: prohibited purpose (payload.category: immigration, reproductive_health, protected_activity, religious) */
  searchBlocked: 'search.blocked',
  /** a search touching a sensitive site waits for a command user */
  searchPendingApproval: 'search.pending_approval',
  searchApproved: 'search.approved',
  searchDenied: 'search.denied',
  resultsViewed: 'results.viewed',

  holdRequested: 'hold.requested',
  holdApproved: 'hold.approved',
  holdReleased: 'hold.released',

  exportRequested: 'export.requested',
  exportApproved: 'export.approved',
  exportDownloaded: 'export.downloaded',

  inquirySubmitted: 'inquiry.submitted',
  inquiryApproved: 'inquiry.approved',
  inquiryDenied: 'inquiry.denied',
  /** payload.before / payload.after (SH-06) */
  grantChanged: 'grant.changed',
  grantDrift: 'grant.drift',

  hotlistImported: 'hotlist.imported',
  hotlistChanged: 'hotlist.changed',
  hitCreated: 'hit.created',
  hitConfirmed: 'hit.confirmed',
  hitRejected: 'hit.rejected',

  reportWritten: 'report.written',
  reportSignedOff: 'report.signed_off',
  anomalyReviewed: 'anomaly.reviewed',
  /** a compliance alert (blocked search, drift, report FAILED…); counted in the quarterly report */
  complianceAlert: 'compliance.alert',
} as const;

export type AccessAuditKindName = (typeof AccessAuditKind)[keyof typeof AccessAuditKind];

/** Internal (own agency) or external (another California agency, through a grant or an inquiry). */
export type AccessOrigin = 'internal' | 'external';

/**
 * The fields every access entry's payload has (SB 34: time is the row's `at`; query terms, user, agency,
 * purpose), plus what the quarterly report counts by. Fields that do not apply are null, never absent,
 * so readers need no guessing.
 */
export interface AccessAuditPayload {
  /** the acting user's username (also the row's actor) */
  user: string;
  role: string | null;
  /** the acting user's agency ORI */
  agency: string | null;
  origin: AccessOrigin | null;
  /** the search, export, hold or inquiry terms; for a search { plate, mode, from, to, cameras } */
  query: Record<string, unknown> | null;
  /** the justification given */
  purpose: string | null;
  caseNumber: string | null;
  crimeType: string | null;
  /** allowed | refused | blocked | pending | approved | denied | ok | failed */
  outcome: string;
  /** the blocked category or refusal code */
  category: string | null;
  clientAddress: string | null;
  noticeHash: string | null;
  lexiconVersion: string | null;
  /** kind-specific details (ids, counts, before/after) */
  detail?: Record<string, unknown>;
}

/**
 * Fill the nulls so every payload has every field.
 * @example accessPayload({ user: 'det.a', outcome: 'ok' }).caseNumber // null
 */
export function accessPayload(
  fields: Partial<AccessAuditPayload> & Pick<AccessAuditPayload, 'user' | 'outcome'>,
): AccessAuditPayload {
  return {
    role: null,
    agency: null,
    origin: null,
    query: null,
    purpose: null,
    caseNumber: null,
    crimeType: null,
    category: null,
    clientAddress: null,
    noticeHash: null,
    lexiconVersion: null,
    ...fields,
  };
}
