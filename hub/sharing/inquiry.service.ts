// Inquiries from agencies without standing access (SH-03, SH-04, SH-08): validated and screened like a
// search (shared/access/inquiry.ts), stored with every required field, and decided by a command user of
// the data-owning agency who is not the requester. Approval creates the access grant and its share in
// the same transaction as the audit entries; a refused, blocked or denied inquiry runs nothing.
import { type Agency, validateAgency } from '../../shared/access/agencies.js';
import { checkApproval } from '../../shared/access/approvals.js';
import { approveGrant, type Grant } from '../../shared/access/grants.js';
import { validateInquiry } from '../../shared/access/inquiry.js';
import type { SearchRequest } from '../../shared/access/search-request.js';
import { AccessAuditKind } from '../../shared/audit/access-audit.js';
import type { HubSql } from '../db/hub-db.js';
import { conflict, forbidden, notFound } from '../http/http-errors.js';
import { findGrant, grantView, searchableAgencyIdsFor } from './grants.repository.js';
import {
  type Actor,
  actorPayload,
  personKey,
  refused,
  type SharingServices,
  sharingRules,
  toMs,
} from './sharing-context.js';
import {
  insertApproval,
  insertApprovedGrant,
  insertComplianceAlert,
  readDecision,
  upsertShare,
} from './sharing-writes.js';

export interface InquiryRecord {
  id: number;
  requestingAgency: string;
  ownerAgency: string;
  submittedBy: string;
  officer: string;
  crimeType: string;
  caseNumber: string;
  justification: string;
  search: Record<string, unknown>;
  lexiconVersion: string;
  status: 'pending' | 'approved' | 'denied';
  approvalId: number | null;
  grantId: number | null;
  createdAt: number;
  decidedAt: number | null;
}

interface Raw {
  id: number;
  requesting_agency_id: number;
  owner_agency_id: number;
  req_ori: string;
  own_ori: string;
  submitted_by: string;
  submitted_key: string;
  submitted_by_agency_id: number;
  officer: string;
  crime_type: string;
  case_number: string;
  justification: string;
  search: Record<string, unknown>;
  lexicon_version: string;
  status: InquiryRecord['status'];
  approval_id: number | null;
  grant_id: number | null;
  created_at: Date;
  decided_at: Date | null;
}

const SELECT = `SELECT i.*, r.ori AS req_ori, o.ori AS own_ori FROM inquiries i
  JOIN agencies r ON r.id = i.requesting_agency_id JOIN agencies o ON o.id = i.owner_agency_id`;

const toRecord = (r: Raw): InquiryRecord => ({
  id: r.id,
  requestingAgency: r.req_ori,
  ownerAgency: r.own_ori,
  submittedBy: r.submitted_by,
  officer: r.officer,
  crimeType: r.crime_type,
  caseNumber: r.case_number,
  justification: r.justification,
  search: r.search,
  lexiconVersion: r.lexicon_version,
  status: r.status,
  approvalId: r.approval_id,
  grantId: r.grant_id,
  createdAt: r.created_at.getTime(),
  decidedAt: toMs(r.decided_at),
});

/** The search terms as stored and audited (SB 34 query terms), without the purpose fields. */
function searchTerms(s: SearchRequest): Record<string, unknown> {
  return {
    plate: s.plate.kind === 'exact' ? s.plate.plate : s.plate.pattern,
    mode: s.plate.kind,
    from: new Date(s.from).toISOString(),
    to: new Date(s.to).toISOString(),
    cameras: s.cameraIds,
    area: s.area,
  };
}

interface AgencyRow {
  id: number;
  ori: string;
  name: string;
  agency_type: string;
  state: string;
  is_home: boolean;
}

const INPUT_KEYS = ['agency', 'ownerAgency', 'officer', 'search'];

/** Submit an inquiry for `actor` at `now`; refused and blocked ones are audited and thrown (422). */
export async function submitInquiry(
  hub: SharingServices,
  actor: Actor,
  input: Record<string, unknown>,
): Promise<InquiryRecord> {
  const now = hub.clock();
  const { access, lexicon } = sharingRules(hub.config);
  const agencies = await hub.db.query<AgencyRow>('SELECT * FROM agencies');
  const byOri = new Map(agencies.map((a) => [a.ori, a]));
  const asAgency = (a: AgencyRow): Agency | Record<string, unknown> => ({
    name: a.name,
    ori: a.ori,
    type: a.agency_type,
    state: a.state,
  });
  const checked = validateInquiry(
    input,
    now,
    (ori) => {
      const a = byOri.get(ori);
      return a ? asAgency(a) : undefined;
    },
    access.search,
    lexicon,
  );
  const problems = checked.ok ? [] : [...checked.problems];
  for (const key of Object.keys(input)) {
    if (!INPUT_KEYS.includes(key)) {
      problems.push({
        field: key,
        code: 'unknown_field',
        message: `unknown field (${INPUT_KEYS.join(', ')})`,
      });
    }
  }
  const home = agencies.find((a) => a.is_home);
  const ownerOri = typeof input.ownerAgency === 'string' ? input.ownerAgency.trim().toUpperCase() : home?.ori;
  const owner = ownerOri ? byOri.get(ownerOri) : undefined;
  if (!owner) {
    problems.push({
      field: 'ownerAgency',
      code: 'unknown_agency',
      message: 'no registered agency owns that data',
    });
  }
  const base = {
    origin: 'external' as const,
    purpose:
      typeof (input.search as { justification?: unknown })?.justification === 'string'
        ? (input.search as { justification: string }).justification
        : null,
    caseNumber: checked.ok ? checked.value.search.caseNumber : null,
    crimeType: checked.ok ? checked.value.search.crimeType.code : null,
    lexiconVersion: lexicon.version,
  };
  const detail = {
    requestingAgency: typeof input.agency === 'string' ? input.agency : null,
    ownerAgency: owner?.ori ?? null,
    officer: typeof input.officer === 'string' ? input.officer : null,
  };
  const refuse = async (code: string, category: string, message: string, alert: boolean) => {
    await hub.db.transaction(async (tx) => {
      await hub.audit.append(
        tx,
        {
          kind: AccessAuditKind.inquirySubmitted,
          actor: actor.username,
          payload: actorPayload(actor, {
            ...base,
            outcome: alert ? 'blocked' : 'refused',
            category,
            detail,
          }),
        },
        now,
      );
      if (alert) {
        await hub.audit.append(
          tx,
          {
            kind: AccessAuditKind.complianceAlert,
            actor: actor.username,
            payload: actorPayload(actor, {
              ...base,
              outcome: 'blocked',
              category,
              detail: { ...detail, source: 'inquiry' },
            }),
          },
          now,
        );
        await insertComplianceAlert(
          tx,
          {
            kind: 'inquiry.blocked',
            agencyId: actor.agencyId,
            userId: actor.userId,
            username: actor.username,
            category,
            detail,
          },
          now,
        );
      }
    });
    return refused(code, message, problems);
  };
  if (!checked.ok && checked.outcome === 'prohibited') {
    throw await refuse(
      'prohibited_purpose',
      checked.screen.category,
      `refused: the inquiry names a prohibited purpose (${checked.screen.categoryLabel}); ${checked.screen.basis}`,
      true,
    );
  }
  if (!checked.ok || problems.length > 0 || !owner) {
    const first = problems[0]?.code ?? 'invalid';
    throw await refuse(
      'invalid_inquiry',
      first,
      'the inquiry is incomplete or invalid; nothing was stored',
      false,
    );
  }
  const requesting = byOri.get(checked.value.agency.ori)!;
  const eligible = validateAgency(asAgency(requesting));
  if (!eligible.ok)
    throw await refuse('ineligible_agency', 'ineligible_agency', 'agency refused (SH-01)', false);
  if (requesting.id === owner.id) {
    problems.push({
      field: 'agency',
      code: 'own_agency',
      message: 'an agency needs no inquiry for its own data',
    });
    throw await refuse('invalid_inquiry', 'own_agency', 'an agency needs no inquiry for its own data', false);
  }
  // The submitter is of the asking agency, or of the owner entering a request it received.
  if (actor.agencyId !== requesting.id && actor.agencyId !== owner.id) {
    problems.push({
      field: 'agency',
      code: 'not_your_agency',
      message: 'you may submit inquiries only for your own agency',
    });
    throw await refuse(
      'forbidden',
      'not_your_agency',
      'you may submit inquiries only for your own agency',
      false,
    );
  }
  if ((await searchableAgencyIdsFor(hub.db, requesting.id, now)).includes(owner.id)) {
    problems.push({
      field: 'agency',
      code: 'existing_access',
      message: `${requesting.ori} already has access`,
    });
    throw await refuse(
      'existing_access',
      'existing_access',
      `${requesting.ori} already has an active grant from ${owner.ori}: search directly`,
      false,
    );
  }
  const { search, officer } = checked.value;
  return hub.db.transaction(async (tx) => {
    const rows = await tx.query<{ id: number }>(
      `INSERT INTO inquiries (requesting_agency_id, requesting_type, owner_agency_id, submitted_by, submitted_key,
         submitted_by_agency_id, officer, crime_type, case_number, justification, search, lexicon_version, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [
        requesting.id,
        requesting.agency_type,
        owner.id,
        actor.username,
        personKey(actor.username),
        actor.agencyId,
        officer,
        search.crimeType.code,
        search.caseNumber,
        search.justification.text,
        JSON.stringify(searchTerms(search)),
        search.lexiconVersion,
        new Date(now),
      ],
    );
    const id = rows[0]!.id;
    await hub.audit.append(
      tx,
      {
        kind: AccessAuditKind.inquirySubmitted,
        actor: actor.username,
        payload: actorPayload(actor, {
          ...base,
          query: searchTerms(search),
          purpose: search.justification.text,
          outcome: 'pending',
          detail: { ...detail, inquiryId: id, requestingAgency: requesting.ori, officer },
        }),
      },
      now,
    );
    return (await findInquiry(tx, id))!;
  });
}

export async function findInquiry(
  sql: HubSql,
  id: number,
  forUpdate = false,
): Promise<InquiryRecord | undefined> {
  const rows = await sql.query<Raw>(`${SELECT} WHERE i.id = $1${forUpdate ? ' FOR UPDATE OF i' : ''}`, [id]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** Inquiries the actor's agency is party to (asked, owns the data, or entered), newest first (AC-02). */
export async function listInquiries(
  sql: HubSql,
  actor: Actor,
  filter: { status?: string; owned?: boolean } = {},
): Promise<InquiryRecord[]> {
  const rows = await sql.query<Raw>(
    `${SELECT} WHERE ${filter.owned ? 'i.owner_agency_id = $1' : '(i.requesting_agency_id = $1 OR i.owner_agency_id = $1 OR i.submitted_by_agency_id = $1)'}
       AND ($2::text IS NULL OR i.status = $2) ORDER BY i.id DESC LIMIT 500`,
    [actor.agencyId, filter.status ?? null],
  );
  return rows.map(toRecord);
}

/** One inquiry, only for a party to it; anything else is "not found" (AC-02: no existence oracle). */
export async function getInquiry(sql: HubSql, actor: Actor, id: number): Promise<InquiryRecord> {
  const rows = await sql.query<Raw>(
    `${SELECT} WHERE i.id = $1 AND (i.requesting_agency_id = $2 OR i.owner_agency_id = $2 OR i.submitted_by_agency_id = $2)`,
    [id, actor.agencyId],
  );
  if (!rows[0]) throw notFound(`no inquiry ${id}`);
  return toRecord(rows[0]);
}

/**
 * Approve or deny an inquiry as `actor` (command of the owning agency, not the requester). Approval
 * creates the grant (90 days by default) and the share; every decision and every refused attempt is
 * audited with the approver.
 */
export async function decideInquiry(
  hub: SharingServices,
  actor: Actor,
  id: number,
  body: { decision: 'approve' | 'deny'; reason?: unknown },
) {
  const now = hub.clock();
  const { access } = sharingRules(hub.config);
  const decision = readDecision(body);
  let refusal: { status: 'forbidden' | 'conflict'; message: string; code: string } | undefined;
  const result = await hub.db.transaction(async (tx) => {
    const inquiry = await findInquiry(tx, id, true);
    if (!inquiry || (inquiry.ownerAgency !== actor.agency && inquiry.requestingAgency !== actor.agency)) {
      throw notFound(`no inquiry ${id}`);
    }
    const kind = decision.approve ? AccessAuditKind.inquiryApproved : AccessAuditKind.inquiryDenied;
    const payloadBase = {
      origin: 'external' as const,
      purpose: inquiry.justification,
      caseNumber: inquiry.caseNumber,
      crimeType: inquiry.crimeType,
      query: inquiry.search,
      lexiconVersion: inquiry.lexiconVersion,
    };
    const detail = {
      inquiryId: id,
      requestingAgency: inquiry.requestingAgency,
      ownerAgency: inquiry.ownerAgency,
      officer: inquiry.officer,
      requestedBy: inquiry.submittedBy,
    };
    const check = checkApproval({
      kind: 'inquiry',
      requester: { username: inquiry.submittedBy, agency: inquiry.requestingAgency },
      approver: { username: actor.username, agency: actor.agency, role: actor.role, status: 'active' },
      ownerAgency: inquiry.ownerAgency,
    });
    if (!check.ok || inquiry.status !== 'pending') {
      refusal = !check.ok
        ? {
            status: 'forbidden',
            code: check.problems[0]!.code ?? 'forbidden',
            message: check.problems.map((p) => p.message).join('; '),
          }
        : {
            status: 'conflict',
            code: `inquiry_${inquiry.status}`,
            message: `inquiry ${id} was already ${inquiry.status}`,
          };
      await hub.audit.append(
        tx,
        {
          kind,
          actor: actor.username,
          payload: actorPayload(actor, {
            ...payloadBase,
            outcome: 'refused',
            category: refusal.code,
            detail,
          }),
        },
        now,
      );
      return undefined;
    }
    const subjectKey = personKey(inquiry.submittedBy);
    const approvalId = await insertApproval(tx, {
      subject: 'inquiry',
      subjectId: id,
      approve: decision.approve,
      requester: inquiry.submittedBy,
      requesterKey: subjectKey,
      actor,
      deciderRole: 'command',
      reason: decision.reason,
      now,
    });
    if (!decision.approve) {
      await tx.query(
        `UPDATE inquiries SET status = 'denied', approval_id = $2, decided_at = $3 WHERE id = $1`,
        [id, approvalId, new Date(now)],
      );
      await hub.audit.append(
        tx,
        {
          kind,
          actor: actor.username,
          payload: actorPayload(actor, {
            ...payloadBase,
            outcome: 'denied',
            detail: { ...detail, approvalId, reason: decision.reason },
          }),
        },
        now,
      );
      return { inquiry: (await findInquiry(tx, id))!, grant: null };
    }
    const pending: Grant = {
      id: 'new',
      ownerAgency: inquiry.ownerAgency,
      granteeAgency: inquiry.requestingAgency,
      requestedBy: inquiry.submittedBy,
      requestedAt: inquiry.createdAt,
      justification: inquiry.justification,
    };
    const approved = approveGrant(
      pending,
      { username: actor.username, agency: actor.agency, role: actor.role, status: 'active' },
      now,
      access.grants,
    );
    if (!approved.ok) throw forbidden(approved.problems.map((p) => p.message).join('; '));
    const grantId = await insertApprovedGrant(tx, {
      inquiryId: id,
      renewsGrantId: null,
      requestedBy: inquiry.submittedBy,
      requestedAt: inquiry.createdAt,
      caseNumber: inquiry.caseNumber,
      justification: inquiry.justification,
      approvalId,
      approver: actor,
      approvedAt: now,
      expiresAt: approved.value.expiresAt!,
      ownerOri: inquiry.ownerAgency,
      granteeOri: inquiry.requestingAgency,
    });
    await upsertShare(tx, grantId, now);
    await tx.query(
      `UPDATE inquiries SET status = 'approved', approval_id = $2, grant_id = $3, decided_at = $4 WHERE id = $1`,
      [id, approvalId, grantId, new Date(now)],
    );
    const grant = grantView((await findGrant(tx, grantId))!, now);
    await hub.audit.append(
      tx,
      [
        {
          kind,
          actor: actor.username,
          payload: actorPayload(actor, {
            ...payloadBase,
            outcome: 'approved',
            detail: { ...detail, approvalId, grantId },
          }),
        },
        {
          kind: AccessAuditKind.grantChanged,
          actor: actor.username,
          payload: actorPayload(actor, {
            ...payloadBase,
            outcome: 'approved',
            category: 'created',
            detail: { grantId, approvalId, before: null, after: grant },
          }),
        },
      ],
      now,
    );
    return { inquiry: (await findInquiry(tx, id))!, grant };
  });
  if (!result) {
    const r = refusal!;
    throw r.status === 'forbidden' ? forbidden(r.message, r.code) : conflict(r.message);
  }
  return result;
}
