// Runs one retention purge over a store, top to bottom: clock check, lease, short chunk transactions,
// crop files, WAL checkpoint (retried until truncated), receipt. Which reads go and by what time is
// decided by shared/policy (purge-plan.ts, clock-skew.ts); every transaction and run-record write is one
// call down into purge-ledger.ts (which alone uses the repository); this module sequences the steps.
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AlprConfig } from '../shared/config/schema.js';
import type { Logger } from '../shared/logging/logger.js';
import { assessPurgeClock } from '../shared/policy/clock-skew.js';
import {
  type LeaseOwner,
  type PurgeProgress,
  type PurgeReceipt,
  type PurgeTrigger,
  planPurge,
  receiptTrustedFinish,
} from '../shared/policy/purge-plan.js';
import { retentionCutoff } from '../shared/policy/retention.js';
import type { Clock } from '../shared/runtime/clock.js';
import { pidAlive } from '../shared/runtime/processes.js';
import { sweepOrphanCrops, type UnlinkTally, unlinkCrops } from '../shared/store/crop-files.js';
import { CURSOR_START, type PurgeCursor } from '../shared/store/purge.repository.js';
import type { Store } from '../shared/store/store.js';
import { ChunkPacer } from './chunk-pacer.js';
import { DEFAULT_LEASE_MS, locateCrop, PurgeLedger, type PurgeRecords } from './purge-ledger.js';
import { type WalRetryPolicy, type WalStatus, WalTruncator } from './wal-truncator.js';

export interface PurgeServiceOptions {
  /** A connection the service may tune (synchronous, cache); the worker opens one for it. */
  store: Store;
  nodeId: string;
  chunkSize: number;
  /** Lock time per chunk to aim for; chunk sizes adapt to it (see chunk-pacer.ts). */
  chunkMaxLockMs: number;
  /** Gap between chunks (the WAL checkpoint runs in it) so ingest, waiting on the write lock, gets it. */
  chunkPauseMs: number;
  cropsDir: string;
  /**
   * A clock more than this behind the newest receipt or stored read is not trusted: the run purges by
   * the latest trustworthy time and its receipt says so (ingest.maxClockSkewS; default 120 s).
   */
  maxClockSkewMs?: number;
  /** Keep retrying a WAL truncate a reader blocked (the worker process does; one-off runs do not). */
  walRetry?: WalRetryPolicy | false;
  clock: Clock;
  logger: Logger;
  /** A run whose holder stops renewing for this long may be taken over. */
  leaseMs?: number;
  owner?: LeaseOwner;
  isPidAlive?: (pid: number) => boolean;
  /** Called after every receipt is committed (the worker anchors the audit head); errors are logged only. */
  afterReceipt?: (receipt: PurgeReceipt) => void;
}

/** The settings of a purge that come from the config file (retention days come with the store). */
export function purgeSettingsFrom(config: AlprConfig) {
  return {
    nodeId: config.node.id,
    chunkSize: config.retention.chunkSize,
    chunkMaxLockMs: config.retention.chunkMaxLockMs,
    chunkPauseMs: config.retention.chunkPauseMs,
    cropsDir: config.store.cropsDir,
    maxClockSkewMs: config.ingest.maxClockSkewS * 1000,
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

export { LeaseLostError } from './purge-ledger.js';

export class PurgeService {
  /** Run records and counts, read-only (worker /health). */
  readonly records: PurgeRecords;
  private readonly ledger: PurgeLedger;
  private readonly wal: WalTruncator | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(private readonly options: PurgeServiceOptions) {
    this.ledger = new PurgeLedger({
      store: options.store,
      nodeId: options.nodeId,
      owner: options.owner ?? { host: os.hostname(), pid: process.pid },
      leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
      clock: options.clock,
      isPidAlive: options.isPidAlive ?? pidAlive,
    });
    this.records = this.ledger;
    if (options.walRetry)
      this.wal = new WalTruncator({
        repo: this.ledger,
        store: options.store,
        policy: options.walRetry,
        clock: options.clock,
        logger: options.logger,
      });
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

  /** Resolves when no run of this process is in progress (after an abort, at the next chunk). */
  async idle(): Promise<void> {
    await this.queue;
    await this.wal?.idle();
  }

  /** Whether deleted reads may still sit in an untruncated WAL (retries pending or given up). */
  walStatus(): WalStatus | undefined {
    return this.wal?.status();
  }

  /** The last completed run's receipt (the worker's fallback timer judges overdue runs by it). */
  lastReceipt(): PurgeReceipt | undefined {
    return this.ledger.lastCompleted();
  }

  /** The clock as judged against what the store has seen (newest receipt, newest stored_at). */
  assessClock(now = this.options.clock()) {
    const last = this.ledger.lastCompleted();
    return assessPurgeClock({
      now,
      lastReceiptAt: last ? receiptTrustedFinish(last) : null,
      newestStoredAt: this.ledger.maxStoredAt(),
      toleranceMs: this.options.maxClockSkewMs ?? 120_000,
    });
  }

  /** Whether a run of this process is in progress or waiting its turn. */
  isRunning(): boolean {
    return this.pending > 0;
  }

  /** What a purge now would do, without writing anything. */
  preview(): PurgePreview {
    const now = this.assessClock().now;
    const cutoff = retentionCutoff(now, this.options.store.retention.days);
    const { reads, crops, heldSkipped, oldestUnheldCapturedAt: oldest } = this.ledger.preview(cutoff);
    return {
      dryRun: true,
      retentionDays: this.options.store.retention.days,
      cutoff: new Date(cutoff).toISOString(),
      rowsToDelete: reads,
      filesToDelete: crops,
      heldSkipped,
      oldestUnheldCapturedAt: oldest === null ? null : new Date(oldest).toISOString(),
      oldestUnheldAgeMs: oldest === null ? null : Math.max(0, now - oldest),
    };
  }

  private async runExclusive(options: RunOptions): Promise<PurgeOutcome> {
    const { logger } = this.options;
    const clock = this.assessClock();
    const plan = planPurge({
      runId: options.runId,
      now: clock.observedNow,
      retentionDays: this.options.store.retention.days,
      chunkSize: this.options.chunkSize,
      clock,
    });
    if (!clock.trusted)
      logger.error(
        { runId: plan.runId, observedNow: clock.observedNow, usedNow: clock.now, skewMs: clock.skewMs },
        `purge clock is behind the ${clock.source === 'stored_at' ? 'newest stored read' : 'last purge receipt'}: purging by the latest trustworthy time; retention is not reported as met`,
      );
    const start = this.ledger.begin(plan, options.trigger);
    if (start.kind !== 'started') return start;
    const log = logger.child({ runId: plan.runId, trigger: options.trigger });
    if (start.closed) log.warn({ closed: start.closed }, 'closed an interrupted purge run');
    log.info({ cutoff: new Date(start.progress.cutoff).toISOString() }, 'purge started');
    // Chunks commit with synchronous=NORMAL: a power cut can only undo deletes (redone by the next run);
    // the receipt commits with FULL, which also makes every earlier chunk durable. Checkpoints are run
    // explicitly between chunks instead of inside commits.
    this.ledger.tuneForPurge(true);
    try {
      const progress = await this.deleteChunks(start.progress, options);
      if (options.sweepOrphans || start.recovering) await this.sweep(progress);
      this.ledger.tuneForPurge(false);
      // Copy the WAL back and cut it to zero bytes: its old page images still hold the deleted plates.
      // With retries on (the worker), a reader holding a snapshot is not waited for on this thread.
      const wait = { wait: this.wal === undefined };
      const checkpoint = this.ledger.checkpoint('TRUNCATE', wait);
      const receipt = this.ledger.finish(
        progress,
        checkpoint.busy === 0 && checkpoint.walFrames === 0,
        start.closed,
      );
      // Once more for the receipt's own few pages, so a finished purge leaves an empty WAL file.
      const after = this.ledger.checkpoint('TRUNCATE', wait);
      if (after.busy === 0 && after.walFrames === 0) this.wal?.truncated();
      else {
        log.warn(
          { walFrames: after.walFrames },
          'WAL not truncated: another connection holds an old read snapshot (deleted plates remain in it)',
        );
        this.wal?.schedule(plan.runId, `purge@${this.options.nodeId}`, options.signal);
      }
      log.info({ receipt }, 'purge completed');
      this.notifyReceipt(receipt, log);
      return start.closed
        ? { kind: 'completed', receipt, closed: start.closed }
        : { kind: 'completed', receipt };
    } catch (error) {
      this.ledger.letGo(plan.runId, logger);
      throw error;
    } finally {
      this.ledger.tuneForPurge(false);
    }
  }

  private notifyReceipt(receipt: PurgeReceipt, log: Logger): void {
    try {
      this.options.afterReceipt?.(receipt);
    } catch (error) {
      log.error({ err: error }, 'after-receipt hook failed (the receipt is committed)');
    }
  }

  private async deleteChunks(initial: PurgeProgress, options: RunOptions): Promise<PurgeProgress> {
    const { chunkSize, chunkMaxLockMs, chunkPauseMs, cropsDir, logger } = this.options;
    // A resumed run keeps the cutoff it started with (and receipted).
    const { runId, cutoff } = initial;
    const pacer = new ChunkPacer({ maxRows: chunkSize, targetLockMs: chunkMaxLockMs });
    let progress = initial;
    let cursor: PurgeCursor | undefined = CURSOR_START;
    // Files unlinked after a chunk are counted in the next chunk's transaction (or at the end).
    let files: UnlinkTally = { deleted: 0, missing: 0, errors: 0 };
    while (cursor) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('purge aborted');
      const limit = pacer.size;
      const lockedAt = performance.now();
      const step = this.ledger.deleteChunk(runId, { cutoff, cursor, limit, files });
      const unlockedAt = performance.now();
      // Copy this chunk's WAL frames back at once, outside the lock. An ingest commit landing meanwhile
      // finds the checkpoint lock taken and skips its own automatic checkpoint, so ingest never pays to
      // copy the purge's pages.
      if (step.examined > 0) this.ledger.checkpoint('PASSIVE');
      pacer.record(step.examined, unlockedAt - lockedAt);
      progress = step.progress;
      files = { deleted: 0, missing: 0, errors: 0 };
      if (step.crops.length > 0) {
        // Rows first, files after: a crash in between leaves an orphan file (swept later), never a kept
        // read whose crop is gone. Each crop is looked for where it was written, not where crops go now.
        files = await unlinkCrops(
          step.crops.map((c) => locateCrop(c, cropsDir)),
          (file, err) => logger.warn({ file, err }, 'crop file not deleted'),
          (file) => logger.warn({ file }, 'crop file of a purged read was not there (counted as missing)'),
        );
      }
      options.onProgress?.(progress);
      cursor = step.next;
      const rest = chunkPauseMs - (performance.now() - unlockedAt);
      if (cursor && rest > 0) await sleep(rest);
    }
    return this.ledger.addFiles(progress, files);
  }

  private async sweep(progress: PurgeProgress): Promise<void> {
    const { cropsDir, logger } = this.options;
    const { dirs, referenced } = this.ledger.cropsOnRecord(cropsDir);
    const tally = await sweepOrphanCrops({
      dirs,
      cutoff: progress.cutoff,
      referenced,
      onError: (file, err) => logger.warn({ file, err }, 'orphan crop not deleted'),
      onProgress: () => this.ledger.renew(progress.runId),
    });
    this.ledger.addOrphans(progress.runId, tally);
    if (tally.deleted > 0) logger.info({ orphans: tally.deleted }, 'deleted orphan crop files');
  }
}
