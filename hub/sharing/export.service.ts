// Exports of a search's results as CSV (Q-07, SH-09): requested by the searcher for an own allowed
// search with a screened reason, refused above the hard cap (access.export.maxRows), and downloadable
// only after a supervisor of the same agency other than the requester approved it; each file carries a
// watermark naming the person, agency and case, holds at most the approved number of rows, and every
// step is one audit entry in the step's transaction. No other route exports or sells data.
import { checkApproval } from '../../shared/access/approvals.js';
import { exportRequirement, exportWatermark } from '../../shared/access/exports.js';
import { checkJustification } from '../../shared/access/justification.js';
import { screenPurpose } from '../../shared/access/purpose-screen.js';
import { AccessAuditKind } from '../../shared/audit/access-audit.js';
import { canonicalJson, sha256Hex } from '../../shared/canonical-json.js';
import type { HubSql } from '../db/hub-db.js';
import { conflict, forbidden, notFound } from '../http/http-errors.js';
import { matchReads, type SearchResultRead } from '../search/search-results.js';
import { searchableAgencyIds } from '../search/searchable-agencies.js';
import { SearchesRepository, type SearchRecord } from '../search/searches.repository.js';
import { hubRetentionCutoff } from '../store/retention-cutoff.js';
import {
  type Actor,
  actorPayload,
  personKey,
  refused,
  type SharingServices,
  sharingRules,
  toMs,
} from './sharing-context.js';
import { insertApproval, insertComplianceAlert, readDecision } from './sharing-writes.js';

export interface ExportRecord {
  id: number;
  agencyId: number;
  searchId: number;
  requestedBy: string;
  requestedById: number;
  requestedAt: number;
  caseNumber: string;
  reason: string;
  rowCount: number;
  maxRows: number;
  status: 'pending' | 'approved' | 'denied';
  approvalId: number | null;
  approvedBy: string | null;
  decidedAt: number | null;
  downloads: number;
}

interface Raw {
  id: number;
  agency_id: number;
  search_id: number;
  requested_by: string;
  requested_by_id: number;
  requested_at: Date;
  case_number: string;
  reason: string;
  row_count: number;
  max_rows: number;
  status: ExportRecord['status'];
  approval_id: number | null;
  approved_by: string | null;
  decided_at: Date | null;
  downloads: number;
}

const toRecord = (r: Raw): ExportRecord => ({
  id: r.id,
  agencyId: r.agency_id,
  searchId: r.search_id,
  requestedBy: r.requested_by,
  requestedById: r.requested_by_id,
  requestedAt: r.requested_at.getTime(),
  caseNumber: r.case_number,
  reason: r.reason,
  rowCount: r.row_count,
  maxRows: r.max_rows,
  status: r.status,
  approvalId: r.approval_id,
  approvedBy: r.approved_by,
  decidedAt: toMs(r.decided_at),
  downloads: r.downloads,
});

const searches = new SearchesRepository();

const queryOf = (s: SearchRecord) => ({
  plate: s.plate,
  mode: s.plateMode,
  from: s.from,
  to: s.to,
  cameras: s.cameras,
});

/** The reads of `search` as its requester may see them now, at most `limit` + 1. */
async function readsOf(hub: SharingServices, tx: HubSql, actor: Actor, search: SearchRecord, limit: number) {
  const now = hub.clock();
  const agencyIds = await searchableAgencyIds(tx, actor.agencyId, now);
  return matchReads(tx, search, agencyIds, hubRetentionCutoff(now, hub.config.retention.days), limit);
}

async function findExport(sql: HubSql, id: number, agencyId: number, forUpdate = false) {
  const rows = await sql.query<Raw>(
    `SELECT * FROM export_requests WHERE id = $1 AND agency_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [id, agencyId],
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** Ask to export the results of an own, allowed search as CSV. */
export async function requestExport(
  hub: SharingServices,
  actor: Actor,
  body: { searchId?: unknown; reason?: unknown; format?: unknown },
) {
  const now = hub.clock();
  const { access, lexicon } = sharingRules(hub.config);
  const searchId = Number(body.searchId);
  let thrown: Error | undefined;
  const result = await hub.db.transaction(async (tx) => {
    const search =
      Number.isSafeInteger(searchId) && searchId > 0 ? await searches.get(tx, searchId) : undefined;
    if (!search || search.userId !== actor.userId)
      throw notFound(`no search ${String(body.searchId)} of yours`);
    const fields = {
      query: queryOf(search),
      purpose: search.justification,
      caseNumber: search.caseNumber,
      crimeType: search.crimeType,
      origin: 'internal' as const,
      lexiconVersion: lexicon.version,
    };
    const deny = async (
      code: string,
      category: string,
      message: string,
      problems: { field: string; message: string; code?: string }[],
    ) => {
      const outcome = code === 'prohibited_purpose' ? 'blocked' : 'refused';
      await hub.audit.append(
        tx,
        {
          kind: AccessAuditKind.exportRequested,
          actor: actor.username,
          payload: actorPayload(actor, { ...fields, outcome, category, detail: { searchId } }),
        },
        now,
      );
      thrown = refused(code, message, problems);
      return undefined;
    };
    if (search.outcome !== 'allowed')
      return deny(
        'not_runnable',
        'not_runnable',
        `search ${searchId} was ${search.outcome}; it has nothing to export`,
        [],
      );
    const reasonText = typeof body.reason === 'string' ? body.reason : undefined;
    const screen = screenPurpose({ justification: reasonText }, lexicon);
    if (screen.blocked) {
      await hub.audit.append(
        tx,
        {
          kind: AccessAuditKind.complianceAlert,
          actor: actor.username,
          payload: actorPayload(actor, {
            ...fields,
            outcome: 'blocked',
            category: screen.category,
            detail: { source: 'export', searchId },
          }),
        },
        now,
      );
      await insertComplianceAlert(
        tx,
        {
          kind: 'export.blocked',
          agencyId: actor.agencyId,
          userId: actor.userId,
          username: actor.username,
          category: screen.category,
          detail: { searchId },
        },
        now,
      );
      return deny(
        'prohibited_purpose',
        screen.category,
        `refused: the reason names a prohibited purpose (${screen.categoryLabel})`,
        [{ field: 'reason', code: 'prohibited_purpose', message: screen.basis }],
      );
    }
    const reason = checkJustification(reasonText, access.search.justification, 'reason');
    if (!reason.ok)
      return deny(
        'invalid_export',
        reason.problems[0]!.code ?? 'invalid',
        'the export request was refused',
        reason.problems,
      );
    const format = body.format === undefined ? 'csv' : String(body.format);
    const maxRows = access.export.maxRows;
    const found = await readsOf(hub, tx, actor, search, maxRows);
    const need = exportRequirement({ format, rows: found.length }, access.export);
    if (!need.allowed || format !== 'csv') {
      const message = need.allowed ? 'only CSV exports exist' : need.message;
      return deny('export_refused', need.allowed ? 'bad_format' : need.reason, message, [
        { field: need.allowed || need.reason === 'bad_format' ? 'format' : 'searchId', message },
      ]);
    }
    const rows = await tx.query<Raw>(
      `INSERT INTO export_requests (agency_id, search_id, requested_by_id, format, requested_by, requested_key, requested_at,
         case_number, reason, row_count, max_rows)
       VALUES ($1, $2, $3, 'csv', $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [
        actor.agencyId,
        searchId,
        actor.userId,
        actor.username,
        personKey(actor.username),
        new Date(now),
        search.caseNumber,
        reason.value.text,
        found.length,
        maxRows,
      ],
    );
    const record = toRecord(rows[0]!);
    await hub.audit.append(
      tx,
      {
        kind: AccessAuditKind.exportRequested,
        actor: actor.username,
        payload: actorPayload(actor, {
          ...fields,
          outcome: 'pending',
          detail: { searchId, exportId: record.id, rows: found.length, maxRows, reason: reason.value.text },
        }),
      },
      now,
    );
    return record;
  });
  if (!result) throw thrown!;
  return result;
}

/** Export requests of the actor's own agency (own ones, or pending ones for an approver). */
export async function listExports(sql: HubSql, actor: Actor, filter: { pending?: boolean } = {}) {
  const rows = await sql.query<Raw>(
    `SELECT * FROM export_requests WHERE agency_id = $1 AND (${filter.pending ? "status = 'pending'" : 'requested_by_id = $2'})
      ORDER BY id DESC LIMIT 500`,
    filter.pending ? [actor.agencyId] : [actor.agencyId, actor.userId],
  );
  return rows.map(toRecord);
}

/** Approve or deny an export (a supervisor of the same agency other than the requester). */
export async function decideExport(
  hub: SharingServices,
  actor: Actor,
  id: number,
  body: { decision: 'approve' | 'deny'; reason?: unknown },
) {
  const now = hub.clock();
  const decision = readDecision(body);
  let thrown: Error | undefined;
  const result = await hub.db.transaction(async (tx) => {
    const record = await findExport(tx, id, actor.agencyId, true);
    if (!record) throw notFound(`no export ${id}`);
    const check = checkApproval({
      kind: 'export',
      requester: { username: record.requestedBy, agency: actor.agency },
      approver: { username: actor.username, agency: actor.agency, role: actor.role, status: 'active' },
    });
    const fields = { caseNumber: record.caseNumber, purpose: record.reason, origin: 'internal' as const };
    const sameUser = record.requestedById === actor.userId;
    if (!check.ok || sameUser || record.status !== 'pending') {
      const code = !check.ok
        ? (check.problems[0]!.code ?? 'forbidden')
        : sameUser
          ? 'self_approval'
          : `export_${record.status}`;
      await hub.audit.append(
        tx,
        {
          kind: AccessAuditKind.exportApproved,
          actor: actor.username,
          payload: actorPayload(actor, {
            ...fields,
            outcome: 'refused',
            category: code,
            detail: { exportId: id },
          }),
        },
        now,
      );
      thrown =
        record.status !== 'pending' && check.ok && !sameUser
          ? conflict(`export ${id} was already ${record.status}`)
          : forbidden(
              check.ok
                ? 'the approver must be a different person from the requester'
                : check.problems.map((p) => p.message).join('; '),
              code,
            );
      return undefined;
    }
    const approvalId = await insertApproval(tx, {
      subject: 'export',
      subjectId: id,
      approve: decision.approve,
      requester: record.requestedBy,
      requesterKey: personKey(record.requestedBy),
      actor,
      deciderRole: 'supervisor',
      reason: decision.reason,
      now,
    });
    await tx.query(
      `UPDATE export_requests SET status = $2, approval_id = $3, approved_by = $4, approved_key = $5, decided_at = $6 WHERE id = $1`,
      [
        id,
        decision.approve ? 'approved' : 'denied',
        approvalId,
        decision.approve ? actor.username : null,
        decision.approve ? personKey(actor.username) : null,
        new Date(now),
      ],
    );
    await hub.audit.append(
      tx,
      {
        kind: AccessAuditKind.exportApproved,
        actor: actor.username,
        payload: actorPayload(actor, {
          ...fields,
          outcome: decision.approve ? 'approved' : 'denied',
          detail: {
            exportId: id,
            approvalId,
            requestedBy: record.requestedBy,
            rows: record.rowCount,
            reason: decision.reason,
          },
        }),
      },
      now,
    );
    return (await findExport(tx, id, actor.agencyId))!;
  });
  if (!result) throw thrown!;
  return result;
}

const csvCell = (v: string | number) => {
  const s = String(v);
  // Quote every text cell, and defuse spreadsheet formulas (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replaceAll('"', '""')}"`;
};

/** The approved export as CSV for its requester: watermarked, at most the approved rows, audited. */
export async function downloadExport(
  hub: SharingServices,
  actor: Actor,
  id: number,
): Promise<{ filename: string; csv: string; rows: number }> {
  const now = hub.clock();
  return hub.db.transaction(async (tx) => {
    const record = await findExport(tx, id, actor.agencyId, true);
    if (!record || record.requestedById !== actor.userId) throw notFound(`no export ${id} of yours`);
    if (record.status !== 'approved')
      throw forbidden(
        `export ${id} is ${record.status}; it needs a supervisor's approval first`,
        'export_not_approved',
      );
    const search = (await searches.get(tx, record.searchId))!;
    const cap = Math.min(record.rowCount, record.maxRows, sharingRules(hub.config).access.export.maxRows);
    const reads: SearchResultRead[] = (await readsOf(hub, tx, actor, search, cap)).slice(0, cap);
    const watermark = exportWatermark({
      username: actor.username,
      agency: actor.agency,
      caseNumber: record.caseNumber,
      at: now,
    });
    const lines = [
      `# ${watermark}`,
      `# export ${id}, search ${record.searchId}, approved by ${record.approvedBy}, ${reads.length} of at most ${cap} rows`,
      ['read_id', 'edge_id', 'camera_id', 'captured_at', 'plate', 'confidence'].join(','),
      ...reads.map((r) =>
        [r.id, r.edgeId, r.cameraId, r.capturedAt, r.plate, r.confidence.toFixed(3)].map(csvCell).join(','),
      ),
    ];
    await tx.query(
      'UPDATE export_requests SET downloads = downloads + 1, last_download_at = $2 WHERE id = $1',
      [id, new Date(now)],
    );
    await hub.audit.append(
      tx,
      {
        kind: AccessAuditKind.exportDownloaded,
        actor: actor.username,
        payload: actorPayload(actor, {
          query: queryOf(search),
          purpose: record.reason,
          caseNumber: record.caseNumber,
          crimeType: search.crimeType,
          origin: 'internal',
          outcome: 'ok',
          detail: {
            exportId: id,
            rows: reads.length,
            readIdsSha256: sha256Hex(canonicalJson(reads.map((r) => r.id))),
            watermark,
          },
        }),
      },
      now,
    );
    return { filename: `alpr-export-${id}.csv`, csv: `${lines.join('\r\n')}\r\n`, rows: reads.length };
  });
}
