// Schedules the quarterly report: a BullMQ job scheduler on the hub's Redis (cron, 00:05 UTC on the first
// day of each quarter) and a local hourly timer that writes the due report itself when Redis is away or
// the scheduled run is overdue, so the audit never depends on Redis.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { HOUR_MS } from '../../shared/runtime/clock.js';
import {
  createQuarterlyProcessor,
  dueQuarter,
  QUARTERLY_REPORT_JOB,
  runQuarterly,
} from './quarterly.processor.js';
import type { ReportContext } from './report.service.js';

export const OVERSIGHT_QUEUE = 'alpr-hub-oversight';
/** minute 5, hour 0, day 1 of January, April, July, October (UTC) */
export const QUARTERLY_CRON = '5 0 1 1,4,7,10 *';

export class QuarterlyReportWorker {
  private connection: Redis | undefined;
  private queue: Queue | undefined;
  private worker: Worker | undefined;
  private timer: NodeJS.Timeout | undefined;
  private connected = false;
  private stopped = false;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: ReportContext,
    private readonly options: {
      redisUrl: string;
      queuePrefix: string;
      localEveryMs?: number;
      overdueMs?: number;
    },
  ) {}

  start(): void {
    const connection = new Redis(this.options.redisUrl, {
      maxRetriesPerRequest: null,
      retryStrategy: (times) => Math.min(250 * 2 ** Math.min(times, 5), 5000),
    });
    this.connection = connection;
    connection.on('ready', () => {
      this.connected = true;
      void this.queue
        ?.upsertJobScheduler(
          'quarterly-report',
          { pattern: QUARTERLY_CRON, tz: 'UTC' },
          { name: QUARTERLY_REPORT_JOB, data: {} },
        )
        .catch((error) =>
          this.ctx.logger.warn({ err: error }, 'could not install the quarterly report scheduler'),
        );
    });
    connection.on('close', () => {
      this.connected = false;
    });
    connection.on('error', () => undefined); // reconnects; the local timer covers the gap
    this.queue = new Queue(OVERSIGHT_QUEUE, { connection, prefix: this.options.queuePrefix });
    this.queue.on('error', () => undefined);
    this.worker = new Worker(OVERSIGHT_QUEUE, createQuarterlyProcessor(this.ctx), {
      connection,
      prefix: this.options.queuePrefix,
      concurrency: 1,
    });
    this.worker.on('error', () => undefined);
    this.worker.on('failed', (job, error) =>
      this.ctx.logger.warn({ jobId: job?.id, err: error.message }, 'quarterly report job failed'),
    );
    this.schedule(Math.min(this.options.localEveryMs ?? HOUR_MS, 30_000));
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule(this.options.localEveryMs ?? HOUR_MS));
    }, delay);
    this.timer.unref();
  }

  /** Write the due report here when Redis is away, or when it is still missing an overdue time after the quarter. */
  async tick(): Promise<void> {
    try {
      const due = dueQuarter(this.ctx.clock());
      const overdue = this.ctx.clock() - due.to > (this.options.overdueMs ?? 2 * HOUR_MS);
      if (this.connected && !overdue) return;
      const outcome = await runQuarterly(this.ctx, 'local-timer');
      if (outcome.kind === 'written')
        this.ctx.logger.info({ outcome }, 'quarterly report written by the local timer');
    } catch (error) {
      this.ctx.logger.error({ err: error }, 'quarterly report run failed; the next tick retries');
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    await this.worker?.close(!this.connected).catch(() => undefined);
    await this.queue?.close().catch(() => undefined);
    this.connection?.disconnect();
    await this.running.catch(() => undefined);
  }
}
