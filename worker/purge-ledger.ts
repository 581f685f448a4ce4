// The run record of a purge (meta `purge.run`): the lease that lets one run at a time write, the counts
// committed with every chunk, closing or resuming interrupted runs, and the receipt. Across processes.
import { AuditKind } from '../shared/audit/audit-log.js';
import {
  buildPurgeReceipt,
  judgeLease,
  type LeaseOwner,
  type PurgePlan,
  type PurgeProgress,
  type PurgeReceipt,
  type PurgeTrigger,
  resumeProgress,
} from '../shared/policy/purge-plan.js';
import type { Clock } from '../shared/runtime/clock.js';
import type { PurgeRepository } from '../shared/store/purge.repository.js';
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

export class PurgeLedger {
  constructor(
    private readonly deps: {
      repo: PurgeRepository;
      store: Store;
      nodeId: string;
      owner: LeaseOwner;
      leaseMs: number;
      clock: Clock;
      isPidAlive: (pid: number) => boolean;
    },
  ) {}

  get leaseMs(): number {
    return this.deps.leaseMs;
  }

  /** Take the lease; close or resume an interrupted run; refuse a run id already receipted. */
  begin(plan: PurgePlan, trigger: PurgeTrigger): BeginResult {
    const { nodeId, store, repo, owner } = this.deps;
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
    return this.deps.repo.immediate(() => {
      const current = this.fence(progress.runId);
      const finishedAt = clock();
      const receipt = buildPurgeReceipt(current, {
        status: 'completed',
        finishedAt,
        heldSkipped: this.deps.repo.countHeldExpired(current.cutoff),
        oldestUnheldCapturedAt: this.deps.repo.oldestUnheldCapturedAt(),
        walTruncated,
        recoveredRunId: closed?.runId ?? current.recoveredRunId,
      });
      store.audit.append(
        { kind: AuditKind.purgeReceipt, actor: actorOf(current), payload: { ...receipt } },
        finishedAt,
      );
      this.deps.repo.saveLastCompleted(receipt);
      this.deps.repo.clearProgress();
      return receipt;
    });
  }

  /** Inside a transaction: the run record must still be ours, or another process has taken over. */
  fence(runId: string): PurgeProgress {
    const current = this.deps.repo.progress();
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
      this.deps.repo.tuneForPurge(false);
      this.deps.repo.immediate(() => {
        const current = this.deps.repo.progress();
        if (current?.runId === runId && current.owner?.pid === this.deps.owner.pid)
          this.deps.repo.saveProgress({ ...current, owner: null });
      });
    } catch (error) {
      logger.error({ err: error, runId }, 'could not release the purge lease; it expires on its own');
    }
  }

  /** Apply `change` to this run's record inside a transaction, after checking the lease is still ours. */
  update(runId: string, change: (current: PurgeProgress) => PurgeProgress): PurgeProgress {
    return this.deps.repo.immediate(() => {
      const next = change(this.fence(runId));
      this.deps.repo.saveProgress(next);
      return next;
    });
  }
}

function actorOf(progress: PurgeProgress): string {
  return `purge@${progress.nodeId}`;
}
