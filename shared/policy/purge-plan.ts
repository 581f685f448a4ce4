// Which reads a purge deletes, how an interrupted run resumes, and what its receipt says. /health's
// judgement of retention is retention-health.ts.
// Pure: every function takes `now` (or times derived from it) and plain data; the purge service does the I/O.
import type { PurgeClock } from './clock-skew.js';
import { isExpiredBefore, retentionCutoff } from './retention.js';

export type PurgeTrigger = 'schedule' | 'fallback' | 'cli' | 'manual';

export interface PurgePlan {
  runId: string;
  /** The time the run judges expiry by (ms, UTC): the clock, or the latest trustworthy time. */
  now: number;
  retentionDays: number;
  /** Reads captured strictly before this are expired unless held. */
  cutoff: number;
  chunkSize: number;
  /** How `now` was arrived at, when the clock was checked against the store (assessPurgeClock). */
  clock?: PurgeClock;
}

/**
 * Plan one purge run at `now` (or at `clock.now`, the latest trustworthy time, when a clock is given).
 * @example planPurge({ runId: 'r1', now: Date.UTC(2026, 0, 31), retentionDays: 30, chunkSize: 2000 })
 *   // { runId: 'r1', now: …, retentionDays: 30, cutoff: Date.UTC(2026, 0, 1), chunkSize: 2000 }
 */
export function planPurge(input: {
  runId: string;
  now: number;
  retentionDays: number;
  chunkSize: number;
  clock?: PurgeClock;
}): PurgePlan {
  if (!input.runId) throw new RangeError('planPurge: runId is required');
  if (!Number.isInteger(input.chunkSize) || input.chunkSize < 1)
    throw new RangeError(`planPurge: chunkSize must be a positive integer, got ${input.chunkSize}`);
  const now = input.clock?.now ?? input.now;
  const plan: PurgePlan = {
    runId: input.runId,
    now,
    retentionDays: input.retentionDays,
    cutoff: retentionCutoff(now, input.retentionDays),
    chunkSize: input.chunkSize,
  };
  if (input.clock) plan.clock = input.clock;
  return plan;
}

/** A read as the purge sees it inside a chunk transaction: `held` is re-read in that same transaction. */
export interface PurgeCandidate {
  id: number;
  capturedAt: number;
  held: boolean;
  cropPath: string | null;
  /** The crops directory the crop was written under; null for crops older than that record. */
  cropDir?: string | null;
}

/** A crop file to delete: its path relative to `dir` (null: the configured store.cropsDir). */
export interface CropToDelete {
  dir: string | null;
  path: string;
}

export interface ChunkDecision {
  deleteIds: number[];
  /** Crop files of the deleted reads, to unlink after the rows are gone. */
  crops: CropToDelete[];
  /** Expired reads kept because an active hold covers them. */
  heldSkipped: number;
}

/**
 * Decide which candidates of one chunk to delete: expired (before the run's cutoff) and not held.
 * @example decidePurgeChunk([{ id: 1, capturedAt: 0, held: false, cropPath: null }], plan)
 *   // { deleteIds: [1], crops: [], heldSkipped: 0 }
 */
export function decidePurgeChunk(
  candidates: readonly PurgeCandidate[],
  plan: Pick<PurgePlan, 'cutoff'>,
): ChunkDecision {
  const decision: ChunkDecision = { deleteIds: [], crops: [], heldSkipped: 0 };
  for (const read of candidates) {
    if (isExpiredBefore(read, plan.cutoff)) {
      decision.deleteIds.push(read.id);
      if (read.cropPath) decision.crops.push({ dir: read.cropDir ?? null, path: read.cropPath });
    } else if (read.held && read.capturedAt < plan.cutoff) decision.heldSkipped += 1;
  }
  return decision;
}

/** Who holds the purge lease: one run at a time per database, across processes. */
export interface LeaseOwner {
  host: string;
  pid: number;
}

/** The in-flight record of a run, committed with every chunk so a crash loses no count. */
export interface PurgeProgress {
  runId: string;
  nodeId: string;
  trigger: PurgeTrigger;
  startedAt: number;
  cutoff: number;
  retentionDays: number;
  attempts: number;
  chunks: number;
  rowsDeleted: number;
  filesDeleted: number;
  /** Crop files a deleted read referred to that were not there (ENOENT). Absent in older run records. */
  filesMissing?: number;
  fileErrors: number;
  orphanFilesDeleted: number;
  /** An interrupted run this one closed before starting. */
  recoveredRunId?: string;
  /** How the run's time was judged (absent: the clock was not checked against the store). */
  clock?: PurgeClock;
  /** Cutoffs an interrupted attempt of this run used before a resume moved it (oldest first). */
  earlierCutoffs?: Array<{ cutoff: number; retentionDays: number }>;
  /** null once the run failed and let go of the lease. */
  owner: LeaseOwner | null;
  leaseExpiresAt: number;
}

/**
 * The run record of an interrupted run resumed under a new plan. The later of the two cutoffs is used
 * (an earlier one would have nothing left to delete), and the receipt says which retention produced it:
 * when the resume moved the cutoff, `retentionDays` is the new plan's and the old cutoff is kept in
 * `earlierCutoffs`. A clock found untrusted by either attempt stays untrusted.
 * @example resumeProgress(prev, plan, { owner, leaseExpiresAt }) // { ...prev, cutoff: plan.cutoff, retentionDays: plan.retentionDays, attempts: 2, … }
 */
export function resumeProgress(
  previous: PurgeProgress,
  plan: Pick<PurgePlan, 'cutoff' | 'retentionDays' | 'clock'>,
  lease: Pick<PurgeProgress, 'owner' | 'leaseExpiresAt'>,
): PurgeProgress {
  const next: PurgeProgress = { ...previous, ...lease, attempts: previous.attempts + 1 };
  if (plan.cutoff > previous.cutoff) {
    next.earlierCutoffs = [
      ...(previous.earlierCutoffs ?? []),
      { cutoff: previous.cutoff, retentionDays: previous.retentionDays },
    ];
    next.cutoff = plan.cutoff;
    next.retentionDays = plan.retentionDays;
  }
  const clocks = [previous.clock, plan.clock].filter((c) => c !== undefined);
  if (clocks.length > 0) {
    const worst = clocks.reduce((a, b) => (b.skewMs > a.skewMs ? b : a));
    next.clock = { ...worst, trusted: clocks.every((c) => c.trusted) };
  }
  return next;
}

export type LeaseVerdict =
  | { kind: 'free' }
  /** The same run id was interrupted earlier: carry on with its counts. */
  | { kind: 'resume'; previous: PurgeProgress }
  /** Another run was interrupted: close it with an "interrupted" receipt, then start. */
  | { kind: 'take-over'; abandoned: PurgeProgress }
  | { kind: 'busy'; holder: PurgeProgress };

/**
 * Judge the lease for run `me`. `holderAlive` is whether the holder's process still runs (undefined when
 * it is on another host and cannot be checked; then only lease expiry frees it).
 * @example judgeLease(undefined, { runId: 'r2', host: 'h', pid: 7 }, now, undefined) // { kind: 'free' }
 */
export function judgeLease(
  current: PurgeProgress | undefined,
  me: { runId: string } & LeaseOwner,
  now: number,
  holderAlive: boolean | undefined,
): LeaseVerdict {
  if (!current) return { kind: 'free' };
  const owner = current.owner;
  // Our own process holds no run when it asks (runs are serialised in-process), so a record naming
  // this pid is left over from a run that failed before letting go.
  const abandoned =
    owner === null ||
    (owner.host === me.host && owner.pid === me.pid) ||
    holderAlive === false ||
    current.leaseExpiresAt < now;
  if (!abandoned) return { kind: 'busy', holder: current };
  return current.runId === me.runId
    ? { kind: 'resume', previous: current }
    : { kind: 'take-over', abandoned: current };
}

export type PurgeStatus = 'completed' | 'interrupted';

export interface PurgeReceipt {
  runId: string;
  nodeId: string;
  trigger: PurgeTrigger;
  status: PurgeStatus;
  startedAt: string;
  finishedAt: string;
  retentionDays: number;
  cutoff: string;
  /** Cutoffs an interrupted attempt used before the resume moved it; only when it did. */
  earlierCutoffs?: Array<{ cutoff: string; retentionDays: number }>;
  rowsDeleted: number;
  filesDeleted: number;
  /** Crop files of deleted reads that were not found (ENOENT). */
  filesMissing: number;
  fileErrors: number;
  orphanFilesDeleted: number;
  heldSkipped: number;
  oldestUnheldCapturedAt: string | null;
  /** Age at `finishedAt` of the oldest read that is not held; null when there is none. */
  oldestUnheldAgeMs: number | null;
  /**
   * True when no unheld read older than the cutoff remains AND the run's clock was trustworthy; never
   * true from a clock that went backwards.
   */
  retentionMet: boolean;
  /** Only when the clock was behind the store: what it read, what the run used instead, and why. */
  clockSkew?: {
    observedNow: string;
    usedNow: string;
    skewMs: number;
    source: 'last_receipt' | 'stored_at';
    trusted: boolean;
  };
  attempts: number;
  chunks: number;
  /** Whether the final WAL checkpoint copied and truncated everything (false if a reader held it). */
  walTruncated: boolean;
  /** An interrupted run closed by this one, or the run that closed this interrupted one. */
  recoveredRunId?: string;
  completedBy?: string;
}

/**
 * The receipt appended to the audit chain when a run ends (or when a later run closes an interrupted one).
 * @example buildPurgeReceipt(progress, { status: 'completed', finishedAt: now, heldSkipped: 2,
 *   oldestUnheldCapturedAt: now - 86_400_000, walTruncated: true })
 */
export function buildPurgeReceipt(
  progress: PurgeProgress,
  facts: {
    status: PurgeStatus;
    finishedAt: number;
    heldSkipped: number;
    oldestUnheldCapturedAt: number | null;
    walTruncated: boolean;
    recoveredRunId?: string;
    completedBy?: string;
  },
): PurgeReceipt {
  const oldest = facts.oldestUnheldCapturedAt;
  const clock = progress.clock;
  // Ages are measured at the later of the finish time and the time the run judged expiry by.
  const ageAt = Math.max(facts.finishedAt, clock ? clock.now + (facts.finishedAt - clock.observedNow) : 0);
  const receipt: PurgeReceipt = {
    runId: progress.runId,
    nodeId: progress.nodeId,
    trigger: progress.trigger,
    status: facts.status,
    startedAt: new Date(progress.startedAt).toISOString(),
    finishedAt: new Date(facts.finishedAt).toISOString(),
    retentionDays: progress.retentionDays,
    cutoff: new Date(progress.cutoff).toISOString(),
    rowsDeleted: progress.rowsDeleted,
    filesDeleted: progress.filesDeleted,
    filesMissing: progress.filesMissing ?? 0,
    fileErrors: progress.fileErrors,
    orphanFilesDeleted: progress.orphanFilesDeleted,
    heldSkipped: facts.heldSkipped,
    oldestUnheldCapturedAt: oldest === null ? null : new Date(oldest).toISOString(),
    oldestUnheldAgeMs: oldest === null ? null : Math.max(0, ageAt - oldest),
    retentionMet: (oldest === null || oldest >= progress.cutoff) && clock?.trusted !== false,
    attempts: progress.attempts,
    chunks: progress.chunks,
    walTruncated: facts.walTruncated,
  };
  if (progress.earlierCutoffs?.length)
    receipt.earlierCutoffs = progress.earlierCutoffs.map((c) => ({
      cutoff: new Date(c.cutoff).toISOString(),
      retentionDays: c.retentionDays,
    }));
  if (clock && clock.skewMs > 0 && clock.source !== 'clock')
    receipt.clockSkew = {
      observedNow: new Date(clock.observedNow).toISOString(),
      usedNow: new Date(clock.now).toISOString(),
      skewMs: clock.skewMs,
      source: clock.source,
      trusted: clock.trusted,
    };
  if (facts.recoveredRunId) receipt.recoveredRunId = facts.recoveredRunId;
  if (facts.completedBy) receipt.completedBy = facts.completedBy;
  return receipt;
}

/**
 * The latest time a receipt vouches for: its finish time, or (when its run found the clock behind) the
 * trustworthy time it ran on plus how long it ran. What the next purge must not be earlier than.
 * @example receiptTrustedFinish({ finishedAt: '2025-01-01T00:10:00Z', clockSkew: { observedNow: '2025-01-01T00:00:00Z', usedNow: '2026-01-01T00:00:00Z', … } }) // Date.UTC(2026, 0, 1, 0, 10)
 */
export function receiptTrustedFinish(receipt: Pick<PurgeReceipt, 'finishedAt' | 'clockSkew'>): number {
  const finished = Date.parse(receipt.finishedAt);
  const skew = receipt.clockSkew;
  if (!skew) return finished;
  return Math.max(finished, Date.parse(skew.usedNow) + (finished - Date.parse(skew.observedNow)));
}
