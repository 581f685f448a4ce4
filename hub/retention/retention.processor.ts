// The BullMQ processor of hub retention jobs: validate the payload (a bad one fails at once, never
// retried), derive a stable run id from the job, and run retention. Retryable errors are thrown as-is.
import { type Job, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import type { Logger } from '../../shared/logging/logger.js';
import type { HubRetentionOutcome, HubRetentionTrigger } from './retention.service.js';

export const HUB_RETENTION_JOB = 'hub-retention';

export const hubRetentionJobSchema = z.strictObject({
  /** Who asked for an unscheduled run (shown in logs); scheduled runs omit it. */
  requestedBy: z.string().min(1).max(200).optional(),
});
export type HubRetentionJobData = z.infer<typeof hubRetentionJobSchema>;

export interface HubRetentionJobResult {
  outcome: HubRetentionOutcome['kind'];
  runId: string;
  daysDropped?: number;
  rowsDropped?: number;
  rowsTrimmed?: number;
  heldKept?: number;
  retentionMet?: boolean;
  busyWith?: string;
}

export interface HubRetentionRunner {
  run(runId: string, trigger: HubRetentionTrigger, signal?: AbortSignal): Promise<HubRetentionOutcome>;
}

export function createHubRetentionProcessor(deps: {
  runner: HubRetentionRunner;
  queueName: string;
  logger: Logger;
  signal?: AbortSignal;
}): (job: Job) => Promise<HubRetentionJobResult> {
  return async (job) => {
    if (job.name !== HUB_RETENTION_JOB) {
      throw new UnrecoverableError(
        `unknown job name "${job.name}" on the hub retention queue (expected "${HUB_RETENTION_JOB}")`,
      );
    }
    const parsed = hubRetentionJobSchema.safeParse(job.data);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
      deps.logger.error(
        { jobId: job.id, issues },
        'invalid hub retention job payload; failing without retry',
      );
      throw new UnrecoverableError(`invalid hub retention job payload: ${issues.join('; ')}`);
    }
    // Attempts of one job share the run id; the creation time keeps ids unique across a Redis reset.
    const runId = `job:${deps.queueName}:${job.id ?? 'unknown'}:${job.timestamp}`;
    const scheduled = Boolean(job.repeatJobKey) || job.id?.startsWith('repeat:');
    const outcome = await deps.runner.run(runId, scheduled ? 'schedule' : 'manual', deps.signal);
    if (outcome.kind === 'busy') return { outcome: 'busy', runId, busyWith: outcome.holder.runId };
    const r = outcome.receipt;
    return {
      outcome: 'completed',
      runId,
      daysDropped: r.daysDropped,
      rowsDropped: r.rowsDropped,
      rowsTrimmed: r.rowsTrimmed,
      heldKept: r.heldKept,
      retentionMet: r.retentionMet,
    };
  };
}
