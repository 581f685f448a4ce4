// The access sections of the quarterly report (CMP-02, Q-05, Q-08): searches internal and external
// separately, by agency and role, the share with a valid case number, refused and blocked attempts by
// category, generic-justification rates per user and agency, partial-plate searches, inquiries, sharing
// changes and drift, exports and accounts. Pure: audit entries in, plain figures out.
import { type VaguenessRow, vagueReasonRates } from '../access/justification.js';
import {
  type AuditEntry,
  agencyOf,
  categoryOf,
  isPartialPlate,
  OversightKind as K,
  originOf,
  roleOf,
  SEARCH_KINDS,
  str,
  userOf,
} from './audit-entries.js';

export interface OriginSection {
  attempts: number;
  allowed: number;
  refused: number;
  blocked: number;
  pendingApproval: number;
  byAgencyRole: { agency: string; role: string; attempts: number; allowed: number }[];
  /** allowed searches whose case number matches the configured format, 0..1 (null: no search) */
  validCaseNumberShare: number | null;
  validCaseNumbers: number;
  refusedByCode: Record<string, number>;
  blockedByCategory: Record<string, number>;
  partialPlate: number;
  genericRates: { byUser: VaguenessRow[]; byAgency: VaguenessRow[] };
}

export interface AccessSections {
  internal: OriginSection;
  external: OriginSection;
  /** refused: submissions and decisions refused or blocked (who may not, prohibited purpose, already decided) */
  inquiries: { submitted: number; approved: number; denied: number; refused: number };
  sharing: {
    changes: number;
    refused: number;
    drift: number;
    entries: { seq: number; at: number; actor: string; outcome: string; category: string }[];
  };
  exports: { requested: number; approved: number; denied: number; downloaded: number; refused: number };
  complianceAlerts: number;
}

const bump = (map: Record<string, number>, key: string) => {
  map[key] = (map[key] ?? 0) + 1;
};

/** The refusal code that means "generic-only justification" (shared/access/justification.ts). */
export const GENERIC_CODE = 'generic_justification';

function originSection(entries: readonly AuditEntry[], caseNumber: RegExp): OriginSection {
  const s: OriginSection = {
    attempts: 0,
    allowed: 0,
    refused: 0,
    blocked: 0,
    pendingApproval: 0,
    byAgencyRole: [],
    validCaseNumberShare: null,
    validCaseNumbers: 0,
    refusedByCode: {},
    blockedByCategory: {},
    partialPlate: 0,
    genericRates: { byUser: [], byAgency: [] },
  };
  const groups = new Map<string, { agency: string; role: string; attempts: number; allowed: number }>();
  const vague: { username: string; agency: string; generic: boolean }[] = [];
  for (const e of entries) {
    s.attempts += 1;
    const key = `${agencyOf(e)}\u0000${roleOf(e)}`;
    const g = groups.get(key) ?? { agency: agencyOf(e), role: roleOf(e), attempts: 0, allowed: 0 };
    g.attempts += 1;
    groups.set(key, g);
    if (isPartialPlate(e)) s.partialPlate += 1;
    const generic = e.kind === K.searchRefused && categoryOf(e) === GENERIC_CODE;
    // Blocked attempts never reached the justification check; they are not counted as vague or not.
    if (e.kind !== K.searchBlocked) vague.push({ username: userOf(e), agency: agencyOf(e), generic });
    if (e.kind === K.searchAllowed) {
      s.allowed += 1;
      g.allowed += 1;
      const cn = str(e.payload.caseNumber);
      if (cn !== null && caseNumber.test(cn.trim())) s.validCaseNumbers += 1;
    } else if (e.kind === K.searchRefused) {
      s.refused += 1;
      bump(s.refusedByCode, categoryOf(e));
    } else if (e.kind === K.searchBlocked) {
      s.blocked += 1;
      bump(s.blockedByCategory, categoryOf(e));
    } else s.pendingApproval += 1;
  }
  s.byAgencyRole = [...groups.values()].sort(
    (a, b) => b.attempts - a.attempts || a.agency.localeCompare(b.agency) || a.role.localeCompare(b.role),
  );
  s.validCaseNumberShare =
    s.allowed === 0 ? null : Math.round((s.validCaseNumbers / s.allowed) * 1000) / 1000;
  s.genericRates = vagueReasonRates(vague);
  return s;
}

/**
 * The access sections over `entries` (already limited to the report period).
 * @example accessSections(entries, { caseNumberPattern: /^\d{2}-\d{6}$/, homeOri: 'CA0430100' }).external.blocked
 */
export function accessSections(
  entries: readonly AuditEntry[],
  options: { caseNumberPattern: RegExp; homeOri?: string },
): AccessSections {
  const searches = entries.filter((e) => SEARCH_KINDS.includes(e.kind));
  // The sharing services (hub/sharing/*) write one entry per attempt under the kind of the action asked
  // for: a refused approval is still inquiry.approved with outcome "refused", an export's denial is
  // export.approved with outcome "denied". So the counts read the outcome, not the kind alone.
  const outcome = (e: AuditEntry) => str(e.payload.outcome) ?? '';
  const refusal = (e: AuditEntry) => outcome(e) === 'refused' || outcome(e) === 'blocked';
  const count = (kind: string, when: (e: AuditEntry) => boolean = () => true) =>
    entries.filter((e) => e.kind === kind && when(e)).length;
  const done = (e: AuditEntry) => !refusal(e);
  const approvedOnly = (e: AuditEntry) => done(e) && outcome(e) !== 'denied';
  const deniedOnly = (e: AuditEntry) => outcome(e) === 'denied';
  const refusedOf = (kinds: string[]) => entries.filter((e) => kinds.includes(e.kind) && refusal(e)).length;
  const sharingEntries = entries.filter((e) => e.kind === K.grantChanged && done(e));
  return {
    internal: originSection(
      searches.filter((e) => originOf(e, options.homeOri) === 'internal'),
      options.caseNumberPattern,
    ),
    external: originSection(
      searches.filter((e) => originOf(e, options.homeOri) === 'external'),
      options.caseNumberPattern,
    ),
    inquiries: {
      submitted: count(K.inquirySubmitted, done),
      approved: count(K.inquiryApproved, approvedOnly),
      denied: count(K.inquiryDenied, done) + count(K.inquiryApproved, deniedOnly),
      refused: refusedOf([K.inquirySubmitted, K.inquiryApproved, K.inquiryDenied]),
    },
    sharing: {
      changes: sharingEntries.length,
      refused: count(K.grantChanged, refusal),
      drift: count(K.grantDrift),
      entries: sharingEntries.map((e) => ({
        seq: e.seq,
        at: e.at,
        actor: e.actor,
        outcome: outcome(e),
        category: categoryOf(e),
      })),
    },
    exports: {
      requested: count(K.exportRequested, done),
      approved: count(K.exportApproved, approvedOnly),
      denied: count(K.exportApproved, deniedOnly),
      downloaded: count(K.exportDownloaded, done),
      refused: refusedOf([K.exportRequested, K.exportApproved, K.exportDownloaded]),
    },
    complianceAlerts: count(K.complianceAlert),
  };
}

export interface AccountRow {
  username: string;
  agency: string;
  lastActiveAt: number | null;
  trainingCompletedAt: number | null;
  disabled: boolean;
  inactive: boolean;
  trainingCurrent: boolean;
}

const timeOf = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : null;
  }
  return null;
};

/**
 * Accounts from the audit chain alone (AC-04, AC-05): who was created, last signed in, was disabled,
 * and the training date recorded in user.created / user.changed details (detail.trainingCompletedAt).
 * Inactive: no sign-in for `inactiveDays` at `now`; training current: within `trainingValidDays`.
 * @example accountSections(allEntries, { now, inactiveDays: 90, trainingValidDays: 730 })
 */
export function accountSections(
  entries: readonly AuditEntry[],
  rules: { now: number; inactiveDays: number; trainingValidDays: number },
): AccountRow[] {
  const day = 86_400_000;
  const rows = new Map<string, Omit<AccountRow, 'inactive' | 'trainingCurrent'>>();
  const touch = (e: AuditEntry) => {
    const detail = (e.payload.detail ?? {}) as Record<string, unknown>;
    // user.* entries name the account changed in detail.target (the payload's user is whoever changed it).
    const target = (detail.target && typeof detail.target === 'object' ? detail.target : {}) as Record<
      string,
      unknown
    >;
    const username = str(detail.username) ?? str(target.username) ?? userOf(e);
    const row = rows.get(username) ?? {
      username,
      agency: str(detail.agency) ?? str(target.agency) ?? agencyOf(e),
      lastActiveAt: null,
      trainingCompletedAt: null,
      disabled: false,
    };
    rows.set(username, row);
    return { row, detail };
  };
  for (const e of entries) {
    if (e.kind === K.userCreated || e.kind === K.userChanged) {
      const { row, detail } = touch(e);
      const t = timeOf(detail.trainingCompletedAt);
      if (t !== null) row.trainingCompletedAt = t;
      if (e.kind === K.userCreated) row.lastActiveAt ??= e.at;
      if (detail.status === 'active') row.disabled = false;
    } else if (e.kind === K.userDisabled) touch(e).row.disabled = true;
    else if (e.kind === K.loginSucceeded) {
      const { row } = touch(e);
      row.lastActiveAt = Math.max(row.lastActiveAt ?? 0, e.at);
    }
  }
  return [...rows.values()]
    .map((r) => ({
      ...r,
      inactive:
        !r.disabled && (r.lastActiveAt === null || rules.now - r.lastActiveAt > rules.inactiveDays * day),
      trainingCurrent:
        r.trainingCompletedAt !== null && rules.now - r.trainingCompletedAt <= rules.trainingValidDays * day,
    }))
    .sort((a, b) => a.username.localeCompare(b.username));
}
