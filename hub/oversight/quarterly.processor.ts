// The quarterly report job: at each quarter's end write the report of the quarter that just ended, once.
// The BullMQ processor validates the job (a bad one fails at once, never retried); whichever path runs
// it (BullMQ or the local timer), the database lease and the "already written" check keep it to one report.
import { type Job, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { quarterOf } from '../../shared/oversight/quarterly-report.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { JobLease, processOwnerId } from '../retention/job-lease.js';
import { type ReportContext, writeQuarterlyReport } from './report.service.js';

export const QUARTERLY_REPORT_JOB = 'quarterly-report';
export const quarterlyJobSchema = z.strictObject({ requestedBy: z.string().min(1).max(200).optional() });

/**
 * The quarter due at `now`: the last one that ended (a report is due once its quarter is over).
 * @example dueQuarter(Date.UTC(2026, 3, 1, 0, 5)) // { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 3, 1) }
 */
export function dueQuarter(now: number): { from: number; to: number } {
  return quarterOf(quarterOf(now).from - DAY_MS);
}

export type QuarterlyOutcome =
  | { kind: 'written'; reportId: number; result: string }
  | { kind: 'exists'; reportId: number }
  | { kind: 'busy' };

const lease = new JobLease(QUARTERLY_REPORT_JOB, processOwnerId(), 15 * 60_000);

/** Write the due quarter's report unless one exists. */
export async function runQuarterly(ctx: ReportContext, actor: string): Promise<QuarterlyOutcome> {
  const period = dueQuarter(ctx.clock());
  const runId = `${actor}:${period.from}:${ctx.clock()}`;
  const taken = await lease.acquire(ctx.db, runId);
  if (!taken.acquired) return { kind: 'busy' };
  try {
    const [existing] = await ctx.db.query<{ id: number }>(
      'SELECT id FROM oversight_reports WHERE period_from = $1 AND period_to = $2 ORDER BY id LIMIT 1',
      [new Date(period.from), new Date(period.to)],
    );
    if (existing) return { kind: 'exists', reportId: existing.id };
    const written = await writeQuarterlyReport(ctx, { ...period, actor });
    return { kind: 'written', reportId: written.id, result: written.report.result };
  } finally {
    await lease.release(ctx.db, runId).catch(() => undefined);
  }
}

export function createQuarterlyProcessor(ctx: ReportContext): (job: Job) => Promise<QuarterlyOutcome> {
  return async (job) => {
    if (job.name !== QUARTERLY_REPORT_JOB)
      throw new UnrecoverableError(`unknown job "${job.name}" on the oversight queue`);
    const parsed = quarterlyJobSchema.safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(`invalid quarterly report job: ${parsed.error.issues[0]?.message}`);
    return runQuarterly(ctx, `job:${parsed.data.requestedBy ?? 'schedule'}`);
  };
}
