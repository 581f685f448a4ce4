// Runs one retention purge over a store: lease, short chunk transactions, crop files, WAL checkpoint, receipt.
// Which reads go is decided by shared/policy/purge-plan.ts; this module only sequences the I/O around it.
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditKind } from '../shared/audit/audit-log.js';
import type { AlprConfig } from '../shared/config/schema.js';
import type { Logger } from '../shared/logging/logger.js';
import {
  buildPurgeReceipt,
  decidePurgeChunk,
  judgeLease,
  type LeaseOwner,
  type PurgePlan,
  type PurgeProgress,
  type PurgeReceipt,
  type PurgeTrigger,
  planPurge,
} from '../shared/policy/purge-plan.js';
import { retentionCutoff } from '../shared/policy/retention.js';
import { type Clock, DAY_MS } from '../shared/runtime/clock.js';
import { CURSOR_START, type PurgeCursor, PurgeRepository } from '../shared/store/purge.repository.js';
import type { Store } from '../shared/store/store.js';
import { ChunkPacer } from './chunk-pacer.js';
import { sweepOrphanCrops, unlinkCrops } from './crop-files.js';

export interface PurgeServiceOptions {
  /** A connection the service may tune (synchronous, cache); the worker opens one for it. */
  store: Store;
  nodeId: string;
  retentionDays: number;
  chunkSize: number;
  /** Lock time per chunk to aim for; chunk sizes adapt to it (see chunk-pacer.ts). */
  chunkMaxLockMs: number;
  /** Gap between chunks (the WAL checkpoint runs in it) so ingest, waiting on the write lock, gets it. */
  chunkPauseMs: number;
  cropsDir: string;
  clock: Clock;
  logger: Logger;
  /** A run whose holder stops renewing for this long may be taken over. */
  leaseMs?: number;
  owner?: LeaseOwner;
  isPidAlive?: (pid: number) => boolean;
}

/** The settings of a purge that come from the config file (retention comes from one place). */
export function purgeSettingsFrom(config: AlprConfig) {
  return {
    nodeId: config.node.id,
    retentionDays: config.retention.days,
    chunkSize: config.retention.chunkSize,
    chunkMaxLockMs: config.retention.chunkMaxLockMs,
    chunkPauseMs: config.retention.chunkPauseMs,
    cropsDir: config.store.cropsDir,
  } satisfies Partial<PurgeServiceOptions>;
}

export interface RunOptions {
  runId: string;
  trigger: PurgeTrigger;
  /** Also delete unreferenced crop files older than the cutoff (done anyway after an interrupted run). */
  sweepOrphans?: boolean;
  /** Stop between chunks (shutdown); the run is left for the next one to complete. */
  signal?: AbortSignal;
  onProgress?: (progress: PurgeProgress) => void;
}

export type PurgeOutcome =
  | { kind: 'completed'; receipt: PurgeReceipt; closed?: PurgeReceipt }
  | { kind: 'already-receipted'; receipt: PurgeReceipt }
  | { kind: 'busy'; holder: PurgeProgress };

export interface PurgePreview {
  dryRun: true;
  retentionDays: number;
  cutoff: string;
  rowsToDelete: number;
  filesToDelete: number;
  heldSkipped: number;
  oldestUnheldCapturedAt: string | null;
  oldestUnheldAgeMs: number | null;
}

/** The run lost its lease (another process took over after it stalled): stop writing at once. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

const DEFAULT_LEASE_MS = 120_000;

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class PurgeService {
  readonly repo: PurgeRepository;
  private readonly owner: LeaseOwner;
  private readonly leaseMs: number;
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(private readonly options: PurgeServiceOptions) {
    this.repo = new PurgeRepository(options.store.db);
    this.owner = options.owner ?? { host: os.hostname(), pid: process.pid };
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** Run one purge. Runs in this process are serialised; across processes the SQLite lease decides. */
  run(options: RunOptions): Promise<PurgeOutcome> {
    this.pending += 1;
    const next = this.queue
      .then(() => this.runExclusive(options))
      .finally(() => {
        this.pending -= 1;
      });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Whether a run of this process is in progress or waiting its turn. */
  isRunning(): boolean {
    return this.pending > 0;
  }

  /** What a purge now would do, without writing anything. */
  preview(): PurgePreview {
    const now = this.options.clock();
    const cutoff = retentionCutoff(now, this.options.retentionDays);
    const { reads, crops } = this.repo.countExpiredUnheld(cutoff);
    const oldest = this.repo.oldestUnheldCapturedAt();
    return {
      dryRun: true,
      retentionDays: this.options.retentionDays,
      cutoff: new Date(cutoff).toISOString(),
      rowsToDelete: reads,
      filesToDelete: crops,
      heldSkipped: this.repo.countHeldExpired(cutoff),
      oldestUnheldCapturedAt: oldest === null ? null : new Date(oldest).toISOString(),
      oldestUnheldAgeMs: oldest === null ? null : Math.max(0, now - oldest),
    };
  }

  private async runExclusive(options: RunOptions): Promise<PurgeOutcome> {
    const { logger } = this.options;
    const plan = planPurge({
      runId: options.runId,
      now: this.options.clock(),
      retentionDays: this.options.retentionDays,
      chunkSize: this.options.chunkSize,
    });
    const start = this.start(plan, options.trigger);
    if (start.kind !== 'started') return start;
    const log = logger.child({ runId: plan.runId, trigger: options.trigger });
    if (start.closed) log.warn({ closed: start.closed }, 'closed an interrupted purge run');
    log.info({ cutoff: new Date(start.progress.cutoff).toISOString() }, 'purge started');
    // Chunks commit with synchronous=NORMAL: a power cut can only undo deletes (redone by the next run);
    // the receipt commits with FULL, which also makes every earlier chunk durable. Checkpoints are run
    // explicitly between chunks instead of inside commits.
    this.repo.tuneForPurge(true);
    try {
      const progress = await this.deleteChunks(start.progress, options);
      if (options.sweepOrphans || start.recovering) await this.sweep(progress);
      this.repo.tuneForPurge(false);
      // Copy the WAL back and cut it to zero bytes: its old page images still hold the deleted plates.
      const checkpoint = this.repo.checkpoint('TRUNCATE');
      const receipt = this.finish(
        progress,
        checkpoint.busy === 0 && checkpoint.walFrames === 0,
        start.closed,
      );
      // Once more for the receipt's own few pages, so a finished purge leaves an empty WAL file.
      this.repo.checkpoint('TRUNCATE');
      log.info({ receipt }, 'purge completed');
      return start.closed
        ? { kind: 'completed', receipt, closed: start.closed }
        : { kind: 'completed', receipt };
    } catch (error) {
      this.letGo(plan.runId);
      throw error;
    } finally {
      this.repo.tuneForPurge(false);
    }
  }

  /** Take the lease; close or resume an interrupted run; refuse a run id already receipted. */
  private start(
    plan: PurgePlan,
    trigger: PurgeTrigger,
  ):
    | { kind: 'started'; progress: PurgeProgress; closed?: PurgeReceipt; recovering: boolean }
    | Exclude<PurgeOutcome, { kind: 'completed' }> {
    const { nodeId, store } = this.options;
    return this.repo.immediate(() => {
      const done = this.repo.receiptFor(plan.runId);
      if (done) return { kind: 'already-receipted', receipt: done } as const;
      const current = this.repo.progress();
      const alive =
        current?.owner && current.owner.host === this.owner.host && current.owner.pid !== this.owner.pid
          ? (this.options.isPidAlive ?? pidAlive)(current.owner.pid)
          : undefined;
      const verdict = judgeLease(current, { runId: plan.runId, ...this.owner }, plan.now, alive);
      if (verdict.kind === 'busy') return { kind: 'busy', holder: verdict.holder } as const;
      const lease = { owner: this.owner, leaseExpiresAt: plan.now + this.leaseMs };
      let closed: PurgeReceipt | undefined;
      let progress: PurgeProgress;
      if (verdict.kind === 'resume') {
        const prev = verdict.previous;
        progress = {
          ...prev,
          ...lease,
          attempts: prev.attempts + 1,
          cutoff: Math.max(prev.cutoff, plan.cutoff),
        };
      } else {
        if (verdict.kind === 'take-over') {
          closed = buildPurgeReceipt(verdict.abandoned, {
            status: 'interrupted',
            finishedAt: plan.now,
            heldSkipped: this.repo.countHeldExpired(verdict.abandoned.cutoff),
            oldestUnheldCapturedAt: this.repo.oldestUnheldCapturedAt(),
            walTruncated: false,
            completedBy: plan.runId,
          });
          store.audit.append(
            { kind: AuditKind.purgeReceipt, actor: actorOf(verdict.abandoned), payload: { ...closed } },
            plan.now,
          );
        }
        progress = {
          runId: plan.runId,
          nodeId,
          trigger,
          startedAt: plan.now,
          cutoff: plan.cutoff,
          retentionDays: plan.retentionDays,
          attempts: 1,
          chunks: 0,
          rowsDeleted: 0,
          filesDeleted: 0,
          fileErrors: 0,
          orphanFilesDeleted: 0,
          ...lease,
        };
        if (closed) progress.recoveredRunId = closed.runId;
      }
      this.repo.saveProgress(progress);
      return { kind: 'started', progress, closed, recovering: verdict.kind !== 'free' } as const;
    });
  }

  private async deleteChunks(initial: PurgeProgress, options: RunOptions): Promise<PurgeProgress> {
    const { chunkSize, chunkMaxLockMs, chunkPauseMs, cropsDir, logger } = this.options;
    const plan: PurgePlan = {
      runId: initial.runId,
      now: initial.cutoff + initial.retentionDays * DAY_MS,
      retentionDays: initial.retentionDays,
      cutoff: initial.cutoff,
      chunkSize,
    };
    const pacer = new ChunkPacer({ maxRows: chunkSize, targetLockMs: chunkMaxLockMs });
    let progress = initial;
    let cursor: PurgeCursor = CURSOR_START;
    let pendingFiles = { deleted: 0, errors: 0 };
    for (;;) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('purge aborted');
      const limit = pacer.size;
      const lockedAt = performance.now();
      const step = this.repo.immediate(() => {
        const current = this.fence(progress.runId);
        const candidates = this.repo.candidates(plan.cutoff, cursor, limit);
        const decision = decidePurgeChunk(candidates, plan);
        const deleted = this.repo.deleteReads(decision.deleteIds);
        const next: PurgeProgress = {
          ...current,
          chunks: current.chunks + (candidates.length > 0 ? 1 : 0),
          rowsDeleted: current.rowsDeleted + deleted,
          filesDeleted: current.filesDeleted + pendingFiles.deleted,
          fileErrors: current.fileErrors + pendingFiles.errors,
          leaseExpiresAt: this.options.clock() + this.leaseMs,
        };
        this.repo.saveProgress(next);
        const last = candidates[candidates.length - 1];
        return { next, decision, last, examined: candidates.length };
      });
      const unlockedAt = performance.now();
      pacer.record(step.examined, unlockedAt - lockedAt);
      progress = step.next;
      pendingFiles = { deleted: 0, errors: 0 };
      if (step.decision.cropPaths.length > 0) {
        // Rows first, files after: a crash in between leaves an orphan file (swept later), never a kept
        // read whose crop is gone.
        const tally = await unlinkCrops(step.decision.cropPaths, cropsDir, (file, err) =>
          logger.warn({ file, err }, 'crop file not deleted'),
        );
        pendingFiles = { deleted: tally.deleted, errors: tally.errors };
      }
      options.onProgress?.(progress);
      if (step.examined < limit || !step.last) break;
      cursor = { capturedAt: step.last.capturedAt, id: step.last.id };
      // Copy the WAL back after every chunk, outside the lock: ingest may write meanwhile, and finds the
      // WAL already backfilled, so its own commit never pays for a checkpoint of the purge's pages.
      this.repo.checkpoint('PASSIVE');
      const rest = chunkPauseMs - (performance.now() - unlockedAt);
      if (rest > 0) await sleep(rest);
    }
    if (pendingFiles.deleted > 0 || pendingFiles.errors > 0) {
      const files = pendingFiles;
      progress = this.repo.immediate(() => {
        const current = this.fence(progress.runId);
        const next = {
          ...current,
          filesDeleted: current.filesDeleted + files.deleted,
          fileErrors: current.fileErrors + files.errors,
        };
        this.repo.saveProgress(next);
        return next;
      });
    }
    return progress;
  }

  private async sweep(progress: PurgeProgress): Promise<void> {
    const { cropsDir, logger } = this.options;
    const renew = () =>
      this.repo.immediate(() => {
        const current = this.fence(progress.runId);
        this.repo.saveProgress({ ...current, leaseExpiresAt: this.options.clock() + this.leaseMs });
      });
    const tally = await sweepOrphanCrops({
      cropsDir,
      cutoff: progress.cutoff,
      referenced: [...this.repo.referencedCropPaths()],
      onError: (file, err) => logger.warn({ file, err }, 'orphan crop not deleted'),
      onProgress: renew,
    });
    this.repo.immediate(() => {
      const current = this.fence(progress.runId);
      this.repo.saveProgress({
        ...current,
        orphanFilesDeleted: current.orphanFilesDeleted + tally.deleted,
        fileErrors: current.fileErrors + tally.errors,
      });
    });
    if (tally.deleted > 0) logger.info({ orphans: tally.deleted }, 'deleted orphan crop files');
  }

  /** Write the receipt and drop the run record in one FULL-sync transaction. */
  private finish(
    progress: PurgeProgress,
    walTruncated: boolean,
    closed: PurgeReceipt | undefined,
  ): PurgeReceipt {
    const { store, clock } = this.options;
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
  private fence(runId: string): PurgeProgress {
    const current = this.repo.progress();
    if (
      !current ||
      current.runId !== runId ||
      current.owner?.pid !== this.owner.pid ||
      current.owner.host !== this.owner.host
    ) {
      throw new LeaseLostError(`purge run ${runId} lost its lease to ${current?.runId ?? 'nobody'}`);
    }
    return current;
  }

  /** After a failure: keep the counts, release the lease, so a retry of this run id resumes it. */
  private letGo(runId: string): void {
    try {
      this.repo.tuneForPurge(false);
      this.repo.immediate(() => {
        const current = this.repo.progress();
        if (current?.runId === runId && current.owner?.pid === this.owner.pid)
          this.repo.saveProgress({ ...current, owner: null });
      });
    } catch (error) {
      this.options.logger.error(
        { err: error, runId },
        'could not release the purge lease; it expires on its own',
      );
    }
  }
}

function actorOf(progress: PurgeProgress): string {
  return `purge@${progress.nodeId}`;
}
