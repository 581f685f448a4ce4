// Which reads a purge deletes, what its receipt says, and when retention counts as breached.
// Pure: every function takes `now` (or times derived from it) and plain data; the purge service does the I/O.
import { HOUR_MS } from '../runtime/clock.js';
import { isExpiredBefore, retentionCutoff } from './retention.js';

export type PurgeTrigger = 'schedule' | 'fallback' | 'cli' | 'manual';

export interface PurgePlan {
  runId: string;
  /** The time the run judges expiry by (ms, UTC). */
  now: number;
  retentionDays: number;
  /** Reads captured strictly before this are expired unless held. */
  cutoff: number;
  chunkSize: number;
}

/**
 * Plan one purge run at `now`.
 * @example planPurge({ runId: 'r1', now: Date.UTC(2026, 0, 31), retentionDays: 30, chunkSize: 2000 })
 *   // { runId: 'r1', now: …, retentionDays: 30, cutoff: Date.UTC(2026, 0, 1), chunkSize: 2000 }
 */
export function planPurge(input: {
  runId: string;
  now: number;
  retentionDays: number;
  chunkSize: number;
}): PurgePlan {
  if (!input.runId) throw new RangeError('planPurge: runId is required');
  if (!Number.isInteger(input.chunkSize) || input.chunkSize < 1)
    throw new RangeError(`planPurge: chunkSize must be a positive integer, got ${input.chunkSize}`);
  return { ...input, cutoff: retentionCutoff(input.now, input.retentionDays) };
}

/** A read as the purge sees it inside a chunk transaction: `held` is re-read in that same transaction. */
export interface PurgeCandidate {
  id: number;
  capturedAt: number;
  held: boolean;
  cropPath: string | null;
}

export interface ChunkDecision {
  deleteIds: number[];
  /** Crop files of the deleted reads, to unlink after the rows are gone. */
  cropPaths: string[];
  /** Expired reads kept because an active hold covers them. */
  heldSkipped: number;
}

/**
 * Decide which candidates of one chunk to delete: expired (before the run's cutoff) and not held.
 * @example decidePurgeChunk([{ id: 1, capturedAt: 0, held: false, cropPath: null }], plan)
 *   // { deleteIds: [1], cropPaths: [], heldSkipped: 0 }
 */
export function decidePurgeChunk(
  candidates: readonly PurgeCandidate[],
  plan: Pick<PurgePlan, 'cutoff'>,
): ChunkDecision {
  const decision: ChunkDecision = { deleteIds: [], cropPaths: [], heldSkipped: 0 };
  for (const read of candidates) {
    if (isExpiredBefore(read, plan.cutoff)) {
      decision.deleteIds.push(read.id);
      if (read.cropPath) decision.cropPaths.push(read.cropPath);
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
  fileErrors: number;
  orphanFilesDeleted: number;
  /** An interrupted run this one closed before starting. */
  recoveredRunId?: string;
  /** null once the run failed and let go of the lease. */
  owner: LeaseOwner | null;
  leaseExpiresAt: number;
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
  rowsDeleted: number;
  filesDeleted: number;
  fileErrors: number;
  orphanFilesDeleted: number;
  heldSkipped: number;
  oldestUnheldCapturedAt: string | null;
  /** Age at `finishedAt` of the oldest read that is not held; null when there is none. */
  oldestUnheldAgeMs: number | null;
  /** True when no unheld read older than the cutoff remains. */
  retentionMet: boolean;
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
    fileErrors: progress.fileErrors,
    orphanFilesDeleted: progress.orphanFilesDeleted,
    heldSkipped: facts.heldSkipped,
    oldestUnheldCapturedAt: oldest === null ? null : new Date(oldest).toISOString(),
    oldestUnheldAgeMs: oldest === null ? null : Math.max(0, facts.finishedAt - oldest),
    retentionMet: oldest === null || oldest >= progress.cutoff,
    attempts: progress.attempts,
    chunks: progress.chunks,
    walTruncated: facts.walTruncated,
  };
  if (facts.recoveredRunId) receipt.recoveredRunId = facts.recoveredRunId;
  if (facts.completedBy) receipt.completedBy = facts.completedBy;
  return receipt;
}

export interface RetentionHealth {
  status: 'ok' | 'degraded';
  oldestUnheldAgeMs: number | null;
  /** Oldest unheld read age allowed before /health degrades. */
  limitMs: number;
  reasons: string[];
}

/** Slack after the retention period before health degrades: one missed hourly run is not yet a breach. */
export const RETENTION_HEALTH_GRACE_MS = HOUR_MS;

/**
 * Degraded when the oldest unheld read is older than retention + grace (1 hour): a purge was missed.
 * @example assessRetentionHealth({ now, retentionDays: 30, oldestUnheldCapturedAt: now - 31 * DAY_MS })
 *   // { status: 'degraded', … }
 */
export function assessRetentionHealth(input: {
  now: number;
  retentionDays: number;
  oldestUnheldCapturedAt: number | null;
  graceMs?: number;
}): RetentionHealth {
  const limitMs =
    input.now -
    retentionCutoff(input.now, input.retentionDays) +
    (input.graceMs ?? RETENTION_HEALTH_GRACE_MS);
  const age =
    input.oldestUnheldCapturedAt === null ? null : Math.max(0, input.now - input.oldestUnheldCapturedAt);
  const reasons: string[] = [];
  if (age !== null && age > limitMs) {
    reasons.push(
      `oldest unheld read is ${formatDuration(age)} old, past retention (${input.retentionDays} d) + grace: purge overdue`,
    );
  }
  return { status: reasons.length > 0 ? 'degraded' : 'ok', oldestUnheldAgeMs: age, limitMs, reasons };
}

/** "31d 2h 5m" (or "42s" under a minute), for messages people read. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.floor(ms / 1000))}s`;
  const minutes = Math.floor(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d}d` : '', h ? `${h}h` : '', `${m}m`].filter(Boolean).join(' ');
}
