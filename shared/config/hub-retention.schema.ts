// Config of the hub's retention job: how often it runs (BullMQ on the hub's Redis, a local timer without
// it), how many day partitions it creates ahead, and how it shares the work with other hub processes.
// How long reads live is not here: it is `retention.days`, the one capped value the edge uses too.
import { z } from 'zod';

export const hubRetentionSchema = z
  .strictObject({
    everyMinutes: z
      .number()
      .gt(0)
      .max(60)
      .default(60)
      .describe(
        'Interval of the scheduled hub retention job (drop expired day partitions, trim the boundary day); at most hourly.',
      ),
    localFallbackMinutes: z
      .number()
      .gt(0)
      .max(60)
      .default(15)
      .describe(
        'Local timer: run hub retention without Redis this often while Redis is unreachable or scheduled runs are overdue.',
      ),
    partitionsAheadDays: z
      .number()
      .int()
      .min(1)
      .max(60)
      .default(7)
      .describe('Day partitions of reads created ahead of time (today plus this many days).'),
    queuePrefix: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 letters, digits, "_", ".", ":" or "-"')
      .default('alpr')
      .describe('Redis key prefix of the hub retention queue (the queue itself is alpr-hub-retention).'),
    leaseSeconds: z
      .number()
      .int()
      .min(10)
      .max(3600)
      .default(300)
      .describe(
        'A retention run holds a lease in the database, renewed between steps; another hub process may take it over after this long without renewal.',
      ),
    lockTimeoutMs: z
      .number()
      .int()
      .min(50)
      .max(60_000)
      .default(2000)
      .describe(
        'Longest wait for the table lock a partition drop needs; past it the drop gives up and the next run retries, so a long query never stalls ingest behind the drop.',
      ),
  })
  .describe('Hub retention: reads kept retention.days, by day partition.');

export type HubRetentionConfig = z.output<typeof hubRetentionSchema>;
