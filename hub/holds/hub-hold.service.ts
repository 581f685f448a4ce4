// Evidentiary holds at the hub: validation (shared/policy), matching and pinning the reads, and the audit
// entry, in ONE transaction, so a hold never exists unaudited or half-pinned. The CLI and the later web
// pages both call this. A hold that loses a race with retention (a read it matched was dropped before it
// could pin it) rolls back and matches again; it never ends up pinning a read that is gone.
import { setTimeout as sleep } from 'node:timers/promises';
import { type AuditEventInput, AuditKind } from '../../shared/audit/audit-log.js';
import { canonicalJson, sha256Hex } from '../../shared/canonical-json.js';
import {
  type HoldProblem,
  type HoldReleaseInput,
  type HoldRules,
  validateHoldRelease,
} from '../../shared/policy/holds.js';
import {
  describeHubScope,
  type HubHoldRequestInput,
  validateHubHoldRequest,
} from '../../shared/policy/hub-holds.js';
import type { HubAuditLog } from '../audit/hub-audit-log.js';
import { type HubDb, type HubSql, sqlState } from '../db/hub-db.js';
import { hubRetentionCutoff } from '../store/retention-cutoff.js';
import { type HubHoldRecord, HubHoldsRepository } from './hub-holds.repository.js';

export type HubHoldError =
  | { code: 'invalid'; problems: HoldProblem[] }
  | { code: 'no-reads'; message: string }
  | { code: 'not-found'; message: string }
  | { code: 'already-released'; message: string; hold: HubHoldRecord };

export type HubHoldResult<T> = { ok: true; value: T } | { ok: false; error: HubHoldError };

export interface HubHoldCreated {
  hold: HubHoldRecord;
  /** Reads pinned: those in scope that existed (and were visible) when the hold was created. */
  matched: number;
  /** For a read-id hold: ids that do not exist at the hub or are already past retention. */
  notFoundReadIds: number[];
}

export interface HubHoldReleased {
  hold: HubHoldRecord;
  /** Reads of this hold past retention and under no other active hold: deleted with the release. */
  readsDeleted: number;
}

const ATTEMPTS = 3;

export class HubHoldService {
  private readonly repo = new HubHoldsRepository();

  constructor(
    private readonly db: HubDb,
    private readonly audit: HubAuditLog,
    private readonly retentionDays: number,
    private readonly rules: HoldRules,
  ) {}

  /** Validate and create a hold at `now`; nothing is written unless at least one read is pinned. */
  async create(input: HubHoldRequestInput, now: number): Promise<HubHoldResult<HubHoldCreated>> {
    return retryHoldRace(() => this.db.transaction((tx) => this.createIn(tx, input, now)));
  }

  /**
   * Create a hold inside the caller's transaction `tx` (the API's approval of a hold request). `entry`
   * builds the one audit event of the action; by default the CLI's hold.created entry. The caller runs
   * the transaction through retryHoldRace.
   */
  async createIn(
    tx: HubSql,
    input: HubHoldRequestInput,
    now: number,
    entry?: (created: {
      holdId: number;
      matched: number;
      readIdsSha256: string;
      notFoundReadIds: number[];
    }) => AuditEventInput,
  ): Promise<HubHoldResult<HubHoldCreated>> {
    const checked = validateHubHoldRequest(input, now, this.rules);
    if (!checked.ok) return { ok: false, error: { code: 'invalid', problems: checked.problems } };
    const request = checked.value;
    const cutoff = hubRetentionCutoff(now, this.retentionDays);
    const edge = await tx.query('SELECT 1 FROM edges WHERE id = $1', [request.edgeId]);
    if (edge.length === 0) {
      return {
        ok: false,
        error: { code: 'not-found', message: `edge ${request.edgeId} is not enrolled at this hub` },
      };
    }
    const reads = await this.repo.match(tx, request.edgeId, request.scope, cutoff);
    const found = new Set(reads.map((r) => r.edgeReadId));
    const notFoundReadIds =
      request.scope.kind === 'reads' ? request.scope.readIds.filter((id) => !found.has(id)) : [];
    if (reads.length === 0) {
      return {
        ok: false,
        error: {
          code: 'no-reads',
          message:
            request.scope.kind === 'reads'
              ? `none of the given reads of edge ${request.edgeId} exists at the hub within retention; nothing to hold (hold not created)`
              : 'no read within retention matches this edge, camera, time range and plate (hold not created)',
        },
      };
    }
    const holdId = await this.repo.insert(tx, request, now);
    const matched = await this.repo.pin(tx, holdId, reads);
    const readIdsSha256 = sha256Hex(canonicalJson(reads.map((r) => `${r.edgeId}/${r.edgeReadId}`).sort()));
    await this.audit.append(
      tx,
      entry
        ? entry({ holdId, matched, readIdsSha256, notFoundReadIds })
        : {
            kind: AuditKind.holdCreated,
            actor: request.requestedBy,
            payload: {
              holdId,
              edgeId: request.edgeId,
              caseNumber: request.caseNumber,
              crimeType: request.crimeType,
              reason: request.reason,
              requestedBy: request.requestedBy,
              approvedBy: request.approvedBy,
              scope: describeHubScope(request.edgeId, request.scope),
              readCount: matched,
              readIdsSha256,
              notFoundReadIds,
              reviewBy: request.reviewBy ? new Date(request.reviewBy).toISOString() : null,
            },
          },
      now,
    );
    const hold = (await this.repo.get(tx, holdId))!;
    return { ok: true, value: { hold, matched, notFoundReadIds } };
  }

  /** Release an active hold at `now`; its reads past retention (and held by no other hold) go with it. */
  async release(
    holdId: number,
    input: HoldReleaseInput,
    now: number,
    /** the API's access-audit fields (user, role, agency, address…), merged into the one entry */
    access?: Record<string, unknown>,
  ): Promise<HubHoldResult<HubHoldReleased>> {
    const checked = validateHoldRelease(input);
    if (!checked.ok) return { ok: false, error: { code: 'invalid', problems: checked.problems } };
    const { releasedBy, reason } = checked.value;
    const cutoff = hubRetentionCutoff(now, this.retentionDays);
    return retryHoldRace(() =>
      this.db.transaction(async (tx): Promise<HubHoldResult<HubHoldReleased>> => {
        const hold = await this.repo.get(tx, holdId, { forUpdate: true });
        if (!hold)
          return { ok: false, error: { code: 'not-found', message: `hold ${holdId} does not exist` } };
        if (hold.releasedAt !== null) {
          return {
            ok: false,
            error: {
              code: 'already-released',
              message: `hold ${holdId} was already released on ${new Date(hold.releasedAt).toISOString()} by ${hold.releasedBy}`,
              hold,
            },
          };
        }
        await this.repo.release(tx, holdId, releasedBy, reason, now);
        const deleted = await this.repo.deleteUnprotected(tx, holdId, cutoff);
        await this.audit.append(
          tx,
          {
            kind: AuditKind.holdReleased,
            actor: releasedBy,
            payload: {
              ...access,
              holdId,
              edgeId: hold.edgeId,
              caseNumber: hold.caseNumber,
              crimeType: hold.crimeType,
              releasedBy,
              reason,
              scope: describeHubScope(hold.edgeId, hold.scope),
              readCount: hold.readCount,
              readsDeleted: deleted.length,
              deletedReadsSha256: sha256Hex(canonicalJson(deleted)),
              cutoff: cutoff.toISOString(),
            },
          },
          now,
        );
        return {
          ok: true,
          value: { hold: (await this.repo.get(tx, holdId))!, readsDeleted: deleted.length },
        };
      }),
    );
  }

  list(options: { activeOnly?: boolean; edgeId?: string } = {}): Promise<HubHoldRecord[]> {
    return this.repo.list(this.db, options);
  }

  get(id: number): Promise<HubHoldRecord | undefined> {
    return this.repo.get(this.db, id);
  }
}

// A read matched in this transaction's snapshot was dropped, trimmed or moved to evidence before the
// pin could lock it (23503), or a lock wait met a retention drop (deadlock, lock timeout): match again.
export async function retryHoldRace<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const state = sqlState(error);
      const raced = state === '23503' || state === '40P01' || state === '55P03' || state === '23001';
      if (!raced || attempt >= ATTEMPTS) throw error;
      await sleep(20 * attempt);
    }
  }
}
