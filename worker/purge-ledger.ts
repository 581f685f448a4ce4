// The purge's layer over the store, under PurgeService: every transaction of a run and every write of its
// run record (meta `purge.run`) happens here, in one method per step: begin (lease, close or resume an
// interrupted run), one chunk (fence, select, decide, delete, count), file counts, finish (receipt).
// PurgeService calls down into it and never into the repository; nothing here calls back up.
import { AuditKind } from '../shared/audit/audit-log.js';
import {
  buildPurgeReceipt,
  type CropToDelete,
  decidePurgeChunk,
  judgeLease,
  type LeaseOwner,
  type PurgePlan,
  type PurgeProgress,
  type PurgeReceipt,
  type PurgeTrigger,
  resumeProgress,
} from '../shared/policy/purge-plan.js';
import type { Clock } from '../shared/runtime/clock.js';
import type { CropLocation, UnlinkTally } from '../shared/store/crop-files.js';
import {
  type CheckpointResult,
  type PurgeCursor,
  PurgeRepository,
} from '../shared/store/purge.repository.js';
import type { Store } from '../shared/store/store.js';

/** The run lost its lease (another process took over after it stalled): stop writing at once. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

export const DEFAULT_LEASE_MS = 120_000;

export type BeginResult =
  | { kind: 'started'; progress: PurgeProgress; closed?: PurgeReceipt; recovering: boolean }
  | { kind: 'already-receipted'; receipt: PurgeReceipt }
  | { kind: 'busy'; holder: PurgeProgress };

/** What a chunk transaction did: the committed run record, the crops to unlink, where the next starts. */
export interface ChunkStep {
  progress: PurgeProgress;
  crops: CropToDelete[];
  /** Rows looked at (a short chunk is the last one). */
  examined: number;
  /** Position after which the next chunk starts, when there may be one. */
  next: PurgeCursor | undefined;
}

/** The run records and counts /health and the worker read (across processes: from the store). */
export type PurgeRecords = Pick<
  PurgeRepository,
  'lastCompleted' | 'oldestUnheldCapturedAt' | 'progress' | 'maxStoredAt'
>;

const NO_FILES: UnlinkTally = { deleted: 0, missing: 0, errors: 0 };

export class PurgeLedger implements PurgeRecords {
  private readonly repo: PurgeRepository;

  constructor(
    private readonly deps: {
      store: Store;
      nodeId: string;
      owner: LeaseOwner;
      leaseMs: number;
      clock: Clock;
      isPidAlive: (pid: number) => boolean;
    },
  ) {
    this.repo = new PurgeRepository(deps.store.db);
  }

  get leaseMs(): number {
    return this.deps.leaseMs;
  }

  /** Take the lease; close or resume an interrupted run; refuse a run id already receipted. */
  begin(plan: PurgePlan, trigger: PurgeTrigger): BeginResult {
    const { nodeId, store, owner } = this.deps;
    const repo = this.repo;
    // Leases and timestamps stay on the clock's own timeline (renewals read it too); only the cutoff
    // uses the latest trustworthy time when the clock is behind the store.
    const at = plan.clock?.observedNow ?? plan.now;
    return repo.immediate(() => {
      const done = repo.receiptFor(plan.runId);
      if (done) return { kind: 'already-receipted', receipt: done } as const;
      const current = repo.progress();
      const alive =
        current?.owner && current.owner.host === owner.host && current.owner.pid !== owner.pid
          ? this.deps.isPidAlive(current.owner.pid)
          : undefined;
      const verdict = judgeLease(current, { runId: plan.runId, ...owner }, at, alive);
      if (verdict.kind === 'busy') return { kind: 'busy', holder: verdict.holder } as const;
      const lease = { owner: owner, leaseExpiresAt: at + this.deps.leaseMs };
      let closed: PurgeReceipt | undefined;
      let progress: PurgeProgress;
      if (verdict.kind === 'resume') {
        progress = resumeProgress(verdict.previous, plan, lease);
      } else {
        if (verdict.kind === 'take-over') {
          closed = buildPurgeReceipt(verdict.abandoned, {
            status: 'interrupted',
            finishedAt: at,
            heldSkipped: repo.countHeldExpired(verdict.abandoned.cutoff),
            oldestUnheldCapturedAt: repo.oldestUnheldCapturedAt(),
            walTruncated: false,
            completedBy: plan.runId,
          });
          store.audit.append(
            { kind: AuditKind.purgeReceipt, actor: actorOf(verdict.abandoned), payload: { ...closed } },
            at,
          );
        }
        progress = {
          runId: plan.runId,
          nodeId,
          trigger,
          startedAt: at,
          cutoff: plan.cutoff,
          retentionDays: plan.retentionDays,
          attempts: 1,
          chunks: 0,
          rowsDeleted: 0,
          filesDeleted: 0,
          filesMissing: 0,
          fileErrors: 0,
          orphanFilesDeleted: 0,
          ...lease,
        };
        if (plan.clock) progress.clock = plan.clock;
        if (closed) progress.recoveredRunId = closed.runId;
      }
      repo.saveProgress(progress);
      return { kind: 'started', progress, closed, recovering: verdict.kind !== 'free' } as const;
    });
  }

  /** Write the receipt and drop the run record in one FULL-sync transaction. */
  finish(progress: PurgeProgress, walTruncated: boolean, closed: PurgeReceipt | undefined): PurgeReceipt {
    const { store, clock } = this.deps;
    return this.repo.immediate(() => {
      const current = this.fence(progress.runId);
      const finishedAt = clock();
      const receipt = buildPurgeReceipt(current, {
        status: 'completed',
        finishedAt,
        heldSkipped: this.repo.countHeldExpired(current.cutoff),
        oldestUnheldCapturedAt: this.repo.oldestUnheldCapturedAt(),
        walTruncated,
        recoveredRunId: closed?.runId ?? current.recoveredRunId,
      });
      store.audit.append(
        { kind: AuditKind.purgeReceipt, actor: actorOf(current), payload: { ...receipt } },
        finishedAt,
      );
      this.repo.saveLastCompleted(receipt);
      this.repo.clearProgress();
      return receipt;
    });
  }

  /** Inside a transaction: the run record must still be ours, or another process has taken over. */
  fence(runId: string): PurgeProgress {
    const current = this.repo.progress();
    if (
      !current ||
      current.runId !== runId ||
      current.owner?.pid !== this.deps.owner.pid ||
      current.owner.host !== this.deps.owner.host
    ) {
      throw new LeaseLostError(`purge run ${runId} lost its lease to ${current?.runId ?? 'nobody'}`);
    }
    return current;
  }

  /** After a failure: keep the counts, release the lease, so a retry of this run id resumes it. */
  letGo(runId: string, logger: { error(obj: object, msg: string): void }): void {
    try {
      this.repo.tuneForPurge(false);
      this.repo.immediate(() => {
        const current = this.repo.progress();
        if (current?.runId === runId && current.owner?.pid === this.deps.owner.pid)
          this.repo.saveProgress({ ...current, owner: null });
      });
    } catch (error) {
      logger.error({ err: error, runId }, 'could not release the purge lease; it expires on its own');
    }
  }

  /** Apply `change` to this run's record inside a transaction, after checking the lease is still ours. */
  update(runId: string, change: (current: PurgeProgress) => PurgeProgress): PurgeProgress {
    return this.repo.immediate(() => {
      const next = change(this.fence(runId));
      this.repo.saveProgress(next);
      return next;
    });
  }

  /**
   * One chunk in one short write transaction: check the lease is still ours, take the next `limit`
   * expired candidates after `cursor`, let the policy decide (held reads stay), delete, and commit the
   * counts (with the crop files unlinked after the previous chunk) and a renewed lease.
   */
  deleteChunk(
    runId: string,
    chunk: { cutoff: number; cursor: PurgeCursor; limit: number; files: UnlinkTally },
  ): ChunkStep {
    return this.repo.immediate(() => {
      const current = this.fence(runId);
      const candidates = this.repo.candidates(chunk.cutoff, chunk.cursor, chunk.limit);
      const decision = decidePurgeChunk(candidates, { cutoff: chunk.cutoff });
      const deleted = this.repo.deleteReads(decision.deleteIds);
      const progress: PurgeProgress = {
        ...withFiles(current, chunk.files),
        chunks: current.chunks + (candidates.length > 0 ? 1 : 0),
        rowsDeleted: current.rowsDeleted + deleted,
        leaseExpiresAt: this.deps.clock() + this.deps.leaseMs,
      };
      this.repo.saveProgress(progress);
      const last = candidates[candidates.length - 1];
      const full = candidates.length >= chunk.limit && last !== undefined;
      return {
        progress,
        crops: decision.crops,
        examined: candidates.length,
        next: full ? { capturedAt: last.capturedAt, id: last.id } : undefined,
      };
    });
  }

  /** Count crop files unlinked after the last chunk (no chunk left to carry them). */
  addFiles(progress: PurgeProgress, files: UnlinkTally): PurgeProgress {
    if (files.deleted + files.missing + files.errors === 0) return progress;
    return this.update(progress.runId, (current) => withFiles(current, files));
  }

  /** Renew the lease during a long step without chunks (the orphan sweep). */
  renew(runId: string): PurgeProgress {
    return this.update(runId, (current) => ({
      ...current,
      leaseExpiresAt: this.deps.clock() + this.deps.leaseMs,
    }));
  }

  /** Count what the orphan sweep deleted or could not delete. */
  addOrphans(runId: string, tally: UnlinkTally): PurgeProgress {
    return this.update(runId, (current) => ({
      ...current,
      orphanFilesDeleted: current.orphanFilesDeleted + tally.deleted,
      fileErrors: current.fileErrors + tally.errors,
    }));
  }

  /** Every directory crops were written to, and the crops reads still refer to (for the sweep). */
  cropsOnRecord(cropsDir: string): { dirs: string[]; referenced: CropLocation[] } {
    return {
      dirs: [cropsDir, ...this.repo.cropDirs()],
      referenced: [...this.repo.referencedCrops()].map((c) => locateCrop(c, cropsDir)),
    };
  }

  /** Synchronous mode and cache for a run (on) or ordinary use (off). */
  tuneForPurge(on: boolean): void {
    this.repo.tuneForPurge(on);
  }

  /** A WAL checkpoint (PASSIVE between chunks, TRUNCATE at the end). */
  checkpoint(mode: 'PASSIVE' | 'TRUNCATE', options?: { wait?: boolean }): CheckpointResult {
    return this.repo.checkpoint(mode, options);
  }

  /** What a purge at `cutoff` would delete and keep (a dry run). */
  preview(cutoff: number) {
    return {
      ...this.repo.countExpiredUnheld(cutoff),
      heldSkipped: this.repo.countHeldExpired(cutoff),
      oldestUnheldCapturedAt: this.repo.oldestUnheldCapturedAt(),
    };
  }

  lastCompleted() {
    return this.repo.lastCompleted();
  }
  oldestUnheldCapturedAt() {
    return this.repo.oldestUnheldCapturedAt();
  }
  progress() {
    return this.repo.progress();
  }
  maxStoredAt() {
    return this.repo.maxStoredAt();
  }
}

function actorOf(progress: PurgeProgress): string {
  return `purge@${progress.nodeId}`;
}

/** The run record with the crop files of a finished unlink counted in. */
function withFiles(current: PurgeProgress, files: UnlinkTally = NO_FILES): PurgeProgress {
  return {
    ...current,
    filesDeleted: current.filesDeleted + files.deleted,
    filesMissing: (current.filesMissing ?? 0) + files.missing,
    fileErrors: current.fileErrors + files.errors,
  };
}

/** A crop's location: the directory its read records, else (crops stored before that was recorded) store.cropsDir. */
export function locateCrop(crop: { dir?: string | null; path: string }, cropsDir: string): CropLocation {
  return { dir: crop.dir ?? cropsDir, path: crop.path };
}
