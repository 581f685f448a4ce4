// Holds asked for through the API (RET-03 with AC-02): an investigator asks, tied to one of their own
// allowed searches (its case number and crime type) and to reads of that search's current results; a
// person other than the requester, with hold.approve in the same agency, approves, which creates the hold
// (HubHoldService.createIn) in the approval's own transaction. Every step is one access audit entry in
// the transaction of the step.
import { AccessAuditKind } from '../../shared/audit/access-audit.js';
import type { HubAuditLog } from '../audit/hub-audit-log.js';
import type { HubDb, HubSql } from '../db/hub-db.js';
import { type AccessActor, accessActor, accessEvent, type UserPrincipal } from '../search/access-actor.js';
import { matchReads } from '../search/search-results.js';
import { searchableAgencyIds } from '../search/searchable-agencies.js';
import { SearchesRepository } from '../search/searches.repository.js';
import { hubRetentionCutoff } from '../store/retention-cutoff.js';
import {
  type HoldRequestRecord,
  type HoldRequestRow,
  SELECT_HOLD_REQUESTS,
  toHoldRequest,
} from './hold-request-record.js';
import { type HubHoldService, retryHoldRace } from './hub-hold.service.js';

export type { HoldRequestRecord } from './hold-request-record.js';

export type HoldRequestAnswer<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      code: 'invalid' | 'not_found' | 'not_pending' | 'same_person' | 'no_reads' | 'released';
      message: string;
      problems?: unknown[];
    };

const MAX_READS = 5000;
const READ_ID = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})\/([1-9][0-9]{0,15})$/;

export class HoldRequestsService {
  private readonly searches = new SearchesRepository();

  constructor(
    private readonly db: HubDb,
    private readonly audit: HubAuditLog,
    private readonly holds: HubHoldService,
    private readonly retentionDays: number,
  ) {}

  /** Ask for a hold on reads of an own, allowed search (all its current results when none are named). */
  async request(
    principal: UserPrincipal,
    body: { searchId?: unknown; reason?: unknown; readIds?: unknown },
    options: { now: number; clientAddress: string | null },
  ): Promise<HoldRequestAnswer<HoldRequestRecord>> {
    const reason = typeof body.reason === 'string' ? body.reason.normalize('NFKC').trim() : '';
    if (!Number.isSafeInteger(body.searchId) || reason.length < 10 || reason.length > 2000) {
      return {
        ok: false,
        code: 'invalid',
        message: 'give searchId (one of your searches) and a reason of 10 to 2000 characters',
      };
    }
    const named = body.readIds;
    if (
      named !== undefined &&
      (!Array.isArray(named) ||
        named.length === 0 ||
        named.length > MAX_READS ||
        named.some((id) => typeof id !== 'string' || !READ_ID.test(id)))
    ) {
      return {
        ok: false,
        code: 'invalid',
        message: 'readIds must be a list of "edge/readId" from the search results',
      };
    }
    return this.db.transaction(async (tx): Promise<HoldRequestAnswer<HoldRequestRecord>> => {
      const actor = await accessActor(tx, principal, options.clientAddress);
      const search = await this.searches.get(tx, body.searchId as number);
      if (!search || search.userId !== actor.userId) {
        return { ok: false, code: 'not_found', message: `no search ${body.searchId} of yours` };
      }
      if (search.outcome !== 'allowed') {
        return {
          ok: false,
          code: 'no_reads',
          message: `search ${search.id} was ${search.outcome}; it has no reads to hold`,
        };
      }
      const agencyIds = await searchableAgencyIds(tx, actor.agencyId, options.now);
      const results = await matchReads(
        tx,
        search,
        agencyIds,
        hubRetentionCutoff(options.now, this.retentionDays),
        MAX_READS,
      );
      const inResults = new Set(results.map((r) => r.id));
      const chosen = named === undefined ? [...inResults] : (named as string[]);
      const outside = chosen.filter((id) => !inResults.has(id));
      if (chosen.length === 0 || outside.length > 0) {
        return {
          ok: false,
          code: 'no_reads',
          message:
            chosen.length === 0
              ? 'the search has no reads within retention'
              : `not in the search's results: ${outside.slice(0, 10).join(', ')}`,
        };
      }
      const edges = new Set(chosen.map((id) => id.split('/')[0]!));
      if (edges.size > 1) {
        return {
          ok: false,
          code: 'invalid',
          message: `a hold covers one edge's reads; these come from ${[...edges].sort().join(', ')}: name readIds of one edge per request`,
        };
      }
      const edgeId = [...edges][0]!;
      const readIds = chosen.map((id) => Number(id.split('/')[1])).sort((a, b) => a - b);
      const rows = await tx.query<{ id: number }>(
        `INSERT INTO hold_requests (search_id, agency_id, requested_by_id, requested_by, case_number, crime_type, reason,
           edge_id, read_ids, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
          search.id,
          actor.agencyId,
          actor.userId,
          actor.username,
          search.caseNumber,
          search.crimeType,
          reason,
          edgeId,
          JSON.stringify(readIds),
          new Date(options.now),
        ],
      );
      const id = rows[0]!.id;
      await this.audit.append(
        tx,
        accessEvent(AccessAuditKind.holdRequested, actor, {
          query: { searchId: search.id, edgeId, readIds },
          purpose: reason,
          caseNumber: search.caseNumber,
          crimeType: search.crimeType,
          outcome: 'pending',
          lexiconVersion: search.lexiconVersion,
          detail: { holdRequestId: id, searchId: search.id, readCount: readIds.length },
        }),
        options.now,
      );
      return { ok: true, value: (await this.get(tx, id))! };
    });
  }

  /** Approve a pending request of the own agency: another person than the requester; creates the hold. */
  async approve(
    principal: UserPrincipal,
    id: number,
    options: { now: number; clientAddress: string | null },
  ): Promise<HoldRequestAnswer<HoldRequestRecord>> {
    return retryHoldRace(() =>
      this.db.transaction(async (tx): Promise<HoldRequestAnswer<HoldRequestRecord>> => {
        const actor = await accessActor(tx, principal, options.clientAddress);
        const request = await this.ownAgency(tx, actor, id, true);
        if (!request)
          return { ok: false, code: 'not_found', message: `no hold request ${id} of your agency` };
        if (request.state !== 'pending')
          return { ok: false, code: 'not_pending', message: `hold request ${id} is ${request.state}` };
        const raw = (
          await tx.query<{ requested_by_id: number }>(
            'SELECT requested_by_id FROM hold_requests WHERE id = $1',
            [id],
          )
        )[0]!;
        if (
          raw.requested_by_id === actor.userId ||
          request.requestedBy.toLowerCase() === actor.username.toLowerCase()
        ) {
          return {
            ok: false,
            code: 'same_person',
            message: 'a hold is approved by another person than the one who asked for it',
          };
        }
        const created = await this.holds.createIn(
          tx,
          {
            edgeId: request.edgeId,
            caseNumber: request.caseNumber,
            crimeType: request.crimeType,
            reason: request.reason,
            requestedBy: request.requestedBy,
            approvedBy: actor.username,
            readIds: request.readIds.map(String),
          },
          options.now,
          (made) =>
            accessEvent(AccessAuditKind.holdApproved, actor, {
              query: { searchId: request.searchId, edgeId: request.edgeId, readIds: request.readIds },
              purpose: request.reason,
              caseNumber: request.caseNumber,
              crimeType: request.crimeType,
              outcome: 'approved',
              detail: {
                holdId: made.holdId,
                holdRequestId: id,
                requestedBy: request.requestedBy,
                readCount: made.matched,
                readIdsSha256: made.readIdsSha256,
                notFoundReadIds: made.notFoundReadIds,
              },
            }),
        );
        if (!created.ok) {
          const message =
            'message' in created.error ? created.error.message : 'the hold request is no longer valid';
          return { ok: false, code: created.error.code === 'no-reads' ? 'no_reads' : 'invalid', message };
        }
        await tx.query(
          `UPDATE hold_requests SET state = 'approved', decided_by_id = $2, decided_by = $3, decided_at = $4, hold_id = $5 WHERE id = $1`,
          [id, actor.userId, actor.username, new Date(options.now), created.value.hold.id],
        );
        return { ok: true, value: (await this.get(tx, id))! };
      }),
    );
  }

  /** Release the hold of an approved request of the own agency (audited as hold.released). */
  async release(
    principal: UserPrincipal,
    id: number,
    body: { reason?: unknown },
    options: { now: number; clientAddress: string | null },
  ): Promise<HoldRequestAnswer<HoldRequestRecord>> {
    const actor = await accessActor(this.db, principal, options.clientAddress);
    const request = await this.ownAgency(this.db, actor, id, false);
    if (!request || request.holdId === null)
      return { ok: false, code: 'not_found', message: `no approved hold ${id} of your agency` };
    const access = accessEvent(AccessAuditKind.holdReleased, actor, {
      query: { edgeId: request.edgeId, readIds: request.readIds },
      purpose: typeof body.reason === 'string' ? body.reason : null,
      caseNumber: request.caseNumber,
      crimeType: request.crimeType,
      outcome: 'ok',
      detail: { holdRequestId: id },
    }).payload;
    const released = await this.holds.release(
      request.holdId,
      { releasedBy: actor.username, reason: typeof body.reason === 'string' ? body.reason : undefined },
      options.now,
      access,
    );
    if (!released.ok) {
      const e = released.error;
      if (e.code === 'invalid')
        return { ok: false, code: 'invalid', message: 'give a reason for the release', problems: e.problems };
      return {
        ok: false,
        code: e.code === 'already-released' ? 'released' : 'not_found',
        message: e.message,
      };
    }
    return { ok: true, value: (await this.get(this.db, id))! };
  }

  /** The own agency's hold requests, newest first. */
  async list(principal: UserPrincipal, limit = 100): Promise<HoldRequestRecord[]> {
    const rows = await this.db.query<HoldRequestRow>(
      `${SELECT_HOLD_REQUESTS} WHERE q.agency_id = $1 ORDER BY q.id DESC LIMIT $2`,
      [principal.agencyId, limit],
    );
    return rows.map(toHoldRequest);
  }

  private async get(sql: HubSql, id: number): Promise<HoldRequestRecord | undefined> {
    const rows = await sql.query<HoldRequestRow>(`${SELECT_HOLD_REQUESTS} WHERE q.id = $1`, [id]);
    return rows[0] ? toHoldRequest(rows[0]) : undefined;
  }

  private async ownAgency(
    sql: HubSql,
    actor: AccessActor,
    id: number,
    lock: boolean,
  ): Promise<HoldRequestRecord | undefined> {
    if (lock) await sql.query('SELECT 1 FROM hold_requests WHERE id = $1 FOR UPDATE', [id]);
    const found = await this.get(sql, id);
    return found &&
      (await sql.query('SELECT 1 FROM hold_requests WHERE id = $1 AND agency_id = $2', [id, actor.agencyId]))
        .length > 0
      ? found
      : undefined;
  }
}
