// Retention section: how long reads live and how the purge worker runs.
import { z } from 'zod';

/** Policy maximum (March 2026 ALPR policy): reads are deleted 30 days after capture. */
export const POLICY_RETENTION_DAYS = 30;

/**
 * Most hours of one camera's reads that plate-less camera holds may keep past retention, all active holds
 * together (the store's schema refuses more, whatever the config says): a hold preserves an incident,
 * it cannot switch retention off for a camera.
 */
export const POLICY_MAX_CAMERA_HOLD_HOURS = 72;

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
      .max(60)
      .default(60)
      .describe(
        'Interval of the scheduled purge job; at most hourly, so no read outlives retention by more than the /health grace.',
      ),
    chunkSize: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(5000)
      .describe(
        'Most reads examined per purge transaction; small chunks keep ingest writing during a purge.',
      ),
    chunkMaxLockMs: z
      .number()
      .min(1)
      .max(1000)
      .default(15)
      .describe(
        'Write-lock time each purge transaction aims for; chunk sizes adapt to it (up to chunkSize rows).',
      ),
    chunkPauseMs: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(10)
      .describe('Gap between purge transactions so ingest, waiting for the write lock, gets it.'),
    holdMaxCameraRangeHours: z
      .number()
      .gt(0)
      .max(POLICY_MAX_CAMERA_HOLD_HOURS)
      .default(24)
      .describe(
        'Most hours of one camera that its active holds without --plate may cover together (policy maximum 72; no blanket holds on a camera).',
      ),
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
      .max(60)
      .default(15)
      .describe(
        'Local timer: purge without Redis this often while Redis is unreachable or scheduled runs are overdue.',
      ),
    queuePrefix: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 letters, digits, "_", ".", ":" or "-"')
      .default('alpr')
      .describe('Redis key prefix of the purge queue (the queue itself is alpr-purge-<node.id>).'),
    httpEnabled: z.boolean().default(true).describe('Serve the worker /health and /metrics.'),
    httpHost: z
      .string()
      .min(1)
      .default('127.0.0.1')
      .describe('Listen address of the worker /health and /metrics; localhost unless scraped remotely.'),
    httpPort: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(9465)
      .describe('Listen port of the worker /health and /metrics (0: any free port).'),
  })
  .describe('Purge worker (BullMQ).');
