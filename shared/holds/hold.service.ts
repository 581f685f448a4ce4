// Creates and releases evidentiary holds: validation (shared/policy/holds.ts), the audit event, the hold row
// and its read links are written in ONE immediate transaction, so a hold never exists unaudited or half-linked.
// The audit event goes first: the schema accepts a new hold, its links and its release only right after
// their own event (migration 2), so not even a direct SQL edit can hold or release reads unaudited.
import { AuditKind } from '../audit/audit-log.js';
import { sha256Hex } from '../canonical-json.js';
import { checkCameraHoldLimits } from '../policy/camera-hold-limits.js';
import {
  describeScope,
  type HoldProblem,
  type HoldReleaseInput,
  type HoldRequestInput,
  type HoldRules,
  validateHoldRelease,
  validateHoldRequest,
} from '../policy/holds.js';
import { retentionCutoff } from '../policy/retention.js';
import { HoldScopeRepository } from '../store/hold-scope.repository.js';
import type { HoldRecord } from '../store/holds.repository.js';
import type { Store } from '../store/store.js';

export type HoldError =
  | { code: 'invalid'; problems: HoldProblem[] }
  | { code: 'no-reads'; message: string }
  | { code: 'not-found'; message: string }
  | { code: 'already-released'; message: string; hold: HoldRecord };

export type HoldResult<T> = { ok: true; value: T } | { ok: false; error: HoldError };

export interface HoldCreated {
  hold: HoldRecord;
  /** Reads linked: those in scope that still existed (and were visible) when the hold was created. */
  matched: number;
  /** For a --read hold: ids that do not exist or are already past retention (they cannot be held). */
  notFoundReadIds: number[];
}

export interface HoldReleased {
  hold: HoldRecord;
  /** Reads of this hold past retention and under no other active hold: the next purge deletes them. */
  readsNoLongerProtected: number;
}

export class HoldService {
  private readonly scopes: HoldScopeRepository;

  constructor(
    private readonly store: Store,
    private readonly rules: HoldRules,
  ) {
    this.scopes = new HoldScopeRepository(store.db);
  }

  /** Validate and create a hold at `now`; nothing is written unless at least one read is linked. */
  create(input: HoldRequestInput, now: number): HoldResult<HoldCreated> {
    const checked = validateHoldRequest(input, now, this.rules);
    if (!checked.ok) return { ok: false, error: { code: 'invalid', problems: checked.problems } };
    const request = checked.value;
    const cutoff = retentionCutoff(now, this.store.retention.days);
    // One BEGIN IMMEDIATE: the purge's chunk transactions cannot interleave between matching and linking.
    return this.store.transaction((): HoldResult<HoldCreated> => {
      // Read inside the write lock: two holds placed at once cannot both pass the camera limits.
      const limits = checkCameraHoldLimits(
        request.scope,
        this.store.holds.list({ activeOnly: true }),
        this.rules.maxCameraRangeHours,
      );
      if (limits.length > 0) return { ok: false, error: { code: 'invalid', problems: limits } };
      const readIds = this.scopes.visibleReadIds(request.scope, cutoff);
      const found = new Set(readIds);
      const notFoundReadIds =
        request.scope.kind === 'reads' ? request.scope.readIds.filter((id) => !found.has(id)) : [];
      if (readIds.length === 0) {
        return {
          ok: false,
          error: {
            code: 'no-reads',
            message:
              request.scope.kind === 'reads'
                ? 'none of the given reads exists within retention; nothing to hold (hold not created)'
                : 'no read within retention matches this camera, time range and plate (hold not created)',
          },
        };
      }
      const holdId = this.store.holds.nextId();
      this.store.audit.append(
        {
          kind: AuditKind.holdCreated,
          actor: request.requestedBy,
          payload: {
            holdId,
            caseNumber: request.caseNumber,
            crimeType: request.crimeType,
            reason: request.reason,
            requestedBy: request.requestedBy,
            approvedBy: request.approvedBy,
            scope: describeScope(request.scope),
            readCount: readIds.length,
            readIdsSha256: sha256Hex(readIds.join(',')),
            notFoundReadIds,
            reviewBy: request.reviewBy ? new Date(request.reviewBy).toISOString() : null,
          },
        },
        now,
      );
      this.store.holds.insert(request, now, holdId);
      const matched = this.store.holds.link(holdId, readIds);
      return { ok: true, value: { hold: this.store.holds.get(holdId)!, matched, notFoundReadIds } };
    });
  }

  /** Release an active hold at `now`; its reads then expire normally (immediately, if already past retention). */
  release(holdId: number, input: HoldReleaseInput, now: number): HoldResult<HoldReleased> {
    const checked = validateHoldRelease(input);
    if (!checked.ok) return { ok: false, error: { code: 'invalid', problems: checked.problems } };
    const { releasedBy, reason } = checked.value;
    return this.store.transaction((): HoldResult<HoldReleased> => {
      const hold = this.store.holds.get(holdId);
      if (!hold) return { ok: false, error: { code: 'not-found', message: `hold ${holdId} does not exist` } };
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
      const readsNoLongerProtected = this.scopes.countNoLongerProtected(
        holdId,
        retentionCutoff(now, this.store.retention.days),
      );
      this.store.audit.append(
        {
          kind: AuditKind.holdReleased,
          actor: releasedBy,
          payload: {
            holdId,
            caseNumber: hold.caseNumber,
            crimeType: hold.crimeType,
            releasedBy,
            reason,
            scope: describeScope(hold.scope),
            readCount: hold.readCount,
            readsNoLongerProtected,
          },
        },
        now,
      );
      this.store.holds.release(holdId, releasedBy, reason, now);
      return { ok: true, value: { hold: this.store.holds.get(holdId)!, readsNoLongerProtected } };
    });
  }

  list(options: { activeOnly?: boolean } = {}): HoldRecord[] {
    return this.store.holds.list(options);
  }
}
