// Retention section: how long reads live and how the purge worker runs.
import { z } from 'zod';

/** Policy maximum (March 2026 ALPR policy): reads are deleted 30 days after capture. */
export const POLICY_RETENTION_DAYS = 30;

export const retentionSchema = z
  .strictObject({
    days: z
      .number()
      .int()
      .min(1)
      .max(POLICY_RETENTION_DAYS)
      .default(POLICY_RETENTION_DAYS)
      .describe('Days after capture a read is deleted unless under an evidentiary hold (policy maximum 30).'),
    purgeEveryMinutes: z
      .number()
      .gt(0)
      .max(1440)
      .default(60)
      .describe('Interval of the scheduled purge job.'),
    chunkSize: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(5000)
      .describe('Reads deleted per transaction; small chunks keep ingest writing during a purge.'),
  })
  .describe('Retention of reads.');

export const workerSchema = z
  .strictObject({
    attempts: z.number().int().min(1).max(100).default(5).describe('Attempts per purge job before it fails.'),
    backoffMs: z
      .number()
      .int()
      .min(100)
      .max(3_600_000)
      .default(10_000)
      .describe('First retry delay of a failed purge job; doubles per attempt.'),
    localFallbackMinutes: z
      .number()
      .gt(0)
      .max(1440)
      .default(15)
      .describe('While Redis is unreachable, purge on a local timer this often.'),
  })
  .describe('Purge worker (BullMQ).');
