// The BullMQ processor of purge jobs: validate the payload (a bad one fails at once, never retried),
// derive a stable run id from the job, and run the purge. Retryable errors are thrown as-is for backoff.
import { type Job, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import type { Logger } from '../shared/logging/logger.js';
import type { PurgeOutcome, RunOptions } from './purge.service.js';

export const PURGE_JOB_NAME = 'purge';

export const purgeJobSchema = z.strictObject({
  nodeId: z.string().min(1),
  /** Who asked for an unscheduled run (shown in logs); scheduled runs omit it. */
  requestedBy: z.string().min(1).max(200).optional(),
  sweepOrphans: z.boolean().optional(),
});
export type PurgeJobData = z.infer<typeof purgeJobSchema>;

export interface PurgeJobResult {
  outcome: PurgeOutcome['kind'];
  runId: string;
  rowsDeleted?: number;
  filesDeleted?: number;
  heldSkipped?: number;
  retentionMet?: boolean;
  busyWith?: string;
}

export interface PurgeRunner {
  run(options: RunOptions): Promise<PurgeOutcome>;
}

/**
 * The run id of a job. Attempts of one job share it (so a retry resumes, and is never receipted twice);
 * the creation timestamp keeps ids unique when an emptied Redis restarts its job counter.
 * @example runIdForJob('alpr-purge-edge-01', { id: 'repeat:x:1767225600000', timestamp: 1767225600000 })
 */
export function runIdForJob(queueName: string, job: { id?: string; timestamp: number }): string {
  return `job:${queueName}:${job.id ?? 'unknown'}:${job.timestamp}`;
}

export function createPurgeProcessor(deps: {
  runner: PurgeRunner;
  nodeId: string;
  queueName: string;
  logger: Logger;
  signal?: AbortSignal;
}): (job: Job) => Promise<PurgeJobResult> {
  return async (job) => {
    if (job.name !== PURGE_JOB_NAME) {
      throw new UnrecoverableError(
        `unknown job name "${job.name}" on the purge queue (expected "${PURGE_JOB_NAME}")`,
      );
    }
    const parsed = purgeJobSchema.safeParse(job.data);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
      deps.logger.error({ jobId: job.id, issues }, 'invalid purge job payload; failing without retry');
      throw new UnrecoverableError(`invalid purge job payload: ${issues.join('; ')}`);
    }
    if (parsed.data.nodeId !== deps.nodeId) {
      throw new UnrecoverableError(
        `purge job for node "${parsed.data.nodeId}" reached node "${deps.nodeId}"; each node purges only its own store`,
      );
    }
    const runId = runIdForJob(deps.queueName, job);
    const outcome = await deps.runner.run({
      runId,
      trigger: job.repeatJobKey || job.id?.startsWith('repeat:') ? 'schedule' : 'manual',
      sweepOrphans: parsed.data.sweepOrphans,
      signal: deps.signal,
    });
    switch (outcome.kind) {
      case 'busy':
        // Another process is purging this store right now: the job's purpose is being served.
        return { outcome: 'busy', runId, busyWith: outcome.holder.runId };
      case 'already-receipted':
      case 'completed':
        return {
          outcome: outcome.kind,
          runId,
          rowsDeleted: outcome.receipt.rowsDeleted,
          filesDeleted: outcome.receipt.filesDeleted,
          heldSkipped: outcome.receipt.heldSkipped,
          retentionMet: outcome.receipt.retentionMet,
        };
    }
  };
}
