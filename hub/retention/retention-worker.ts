// Schedules hub retention: a BullMQ job scheduler on the hub's Redis (one queue shared by every hub
// process, so each run goes to one of them), and a local timer that runs retention here when Redis is
// unreachable or scheduled runs are overdue, so the legal deadline never depends on Redis. The database
// lease (job-lease.ts) keeps two processes from running at once whichever path started them.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../../shared/logging/logger.js';
import type { Clock } from '../../shared/runtime/clock.js';
import {
  createHubRetentionProcessor,
  HUB_RETENTION_JOB,
  type HubRetentionJobData,
} from './retention.processor.js';
import type { HubRetentionOutcome, HubRetentionService } from './retention.service.js';

export const HUB_RETENTION_QUEUE = 'alpr-hub-retention';
export const HUB_RETENTION_SCHEDULER = 'hub-retention';
const OVERDUE_SLACK_MS = 120_000;

export interface HubRetentionWorkerOptions {
  service: Pick<HubRetentionService, 'run' | 'isRunning' | 'idle' | 'lastRun'>;
  redisUrl: string;
  queuePrefix: string;
  everyMs: number;
  localFallbackMs: number;
  /** First local tick (default: min(localFallbackMs, 10 s)). */
  firstFallbackMs?: number;
  attempts?: number;
  backoffMs?: number;
  clock: Clock;
  logger: Logger;
}

export interface HubRetentionWorkerStatus {
  redisConnected: boolean;
  schedulerInstalled: boolean;
  runs: Record<'schedule' | 'manual' | 'fallback', number>;
  lastError: string | null;
}

export class HubRetentionWorker {
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private connection: Redis | undefined;
  private queue: Queue<HubRetentionJobData> | undefined;
  private worker: Worker | undefined;
  private fallbackTimer: NodeJS.Timeout | undefined;
  private schedulerInFlight: Promise<void> | undefined;
  private stopped = false;
  private readonly jobOpts;
  private readonly state: HubRetentionWorkerStatus = {
    redisConnected: false,
    schedulerInstalled: false,
    runs: { schedule: 0, manual: 0, fallback: 0 },
    lastError: null,
  };

  constructor(private readonly options: HubRetentionWorkerOptions) {
    this.log = options.logger.child({ component: 'hub-retention-worker' });
    this.jobOpts = {
      attempts: options.attempts ?? 5,
      backoff: { type: 'exponential' as const, delay: options.backoffMs ?? 10_000 },
      removeOnComplete: { count: 200 },
      removeOnFail: { count: 1000 },
    };
  }

  status(): HubRetentionWorkerStatus {
    return { ...this.state, runs: { ...this.state.runs } };
  }

  /** Start the local timer at once and connect to Redis in the background (never blocks on Redis). */
  start(): void {
    const { options } = this;
    this.scheduleFallback(options.firstFallbackMs ?? Math.min(options.localFallbackMs, 10_000));
    const connection = new Redis(options.redisUrl, {
      maxRetriesPerRequest: null, // BullMQ workers wait for a reconnect instead of failing
      retryStrategy: (times) => Math.min(250 * 2 ** Math.min(times, 5), 5000),
    });
    this.connection = connection;
    connection.on('ready', () => {
      if (!this.state.redisConnected) this.log.info('redis connected');
      this.state.redisConnected = true;
      void this.ensureScheduler(); // a restarted Redis may have lost every key
    });
    connection.on('close', () => {
      if (this.state.redisConnected && !this.stopped)
        this.log.warn('redis connection lost; the local timer keeps hub retention running');
      this.state.redisConnected = false;
      this.state.schedulerInstalled = false;
    });
    connection.on('error', (error: Error) => {
      this.state.lastError = error.message;
      this.log.debug({ err: error }, 'redis error');
    });
    this.queue = new Queue<HubRetentionJobData>(HUB_RETENTION_QUEUE, {
      connection,
      prefix: options.queuePrefix,
      defaultJobOptions: this.jobOpts,
    });
    this.queue.on('error', (error) => this.onBullError(error));
    const processor = createHubRetentionProcessor({
      runner: {
        run: (runId, trigger, signal) => {
          this.state.runs[trigger === 'schedule' ? 'schedule' : 'manual'] += 1;
          return options.service.run(runId, trigger, signal);
        },
      },
      queueName: HUB_RETENTION_QUEUE,
      logger: this.log,
      signal: this.abort.signal,
    });
    this.worker = new Worker(HUB_RETENTION_QUEUE, processor, {
      connection,
      prefix: options.queuePrefix,
      concurrency: 1,
    });
    this.worker.on('error', (error) => this.onBullError(error));
    this.worker.on('failed', (job, error) =>
      this.log.warn(
        { jobId: job?.id, attemptsMade: job?.attemptsMade, err: error.message },
        'hub retention job failed',
      ),
    );
  }

  /** Add one unscheduled run (an operator asking for a run now); undefined without Redis. */
  async enqueue(requestedBy: string): Promise<string | undefined> {
    if (!this.state.redisConnected) return undefined;
    const job = await this.queue?.add(HUB_RETENTION_JOB, { requestedBy });
    return job?.id;
  }

  /** Run retention here and now, without Redis (the fallback path). */
  async runLocal(reason: string): Promise<HubRetentionOutcome> {
    this.state.runs.fallback += 1;
    this.log.info({ reason }, 'local hub retention run');
    return this.options.service.run(
      `local:${this.options.clock()}:${process.pid}`,
      'fallback',
      this.abort.signal,
    );
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.fallbackTimer);
    this.abort.abort(new Error('hub retention worker shutting down'));
    const within = async (what: string, close: () => Promise<unknown>) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), 5000);
      });
      try {
        if ((await Promise.race([close(), timeout])) === 'timeout')
          this.log.warn(`${what} did not close in 5 s`);
      } catch (error) {
        this.log.warn({ err: error }, `closing ${what} failed`);
      } finally {
        clearTimeout(timer);
      }
    };
    // With Redis away a graceful close would wait for it: force it (a run stops between its steps).
    const force = !this.state.redisConnected;
    if (this.worker) await within('worker', () => this.worker!.close(force));
    if (this.queue) await within('queue', () => this.queue!.close());
    this.connection?.disconnect();
    // The database closes after this layer: let an aborted run reach its next step first.
    await within('retention run', () => this.options.service.idle());
  }

  private async ensureScheduler(): Promise<void> {
    if (this.schedulerInFlight || !this.queue || this.stopped) return this.schedulerInFlight;
    const queue = this.queue;
    this.schedulerInFlight = (async () => {
      try {
        await queue.upsertJobScheduler(
          HUB_RETENTION_SCHEDULER,
          { every: this.options.everyMs },
          { name: HUB_RETENTION_JOB, data: {}, opts: this.jobOpts },
        );
        this.state.schedulerInstalled = true;
        this.log.info({ everyMs: this.options.everyMs }, 'hub retention scheduler installed');
      } catch (error) {
        this.state.lastError = (error as Error).message;
        this.log.warn({ err: error }, 'could not install the hub retention scheduler; retrying on reconnect');
      } finally {
        this.schedulerInFlight = undefined;
      }
    })();
    return this.schedulerInFlight;
  }

  private onBullError(error: Error): void {
    this.state.lastError = error.message;
    this.log.debug({ err: error.message }, 'bullmq error');
  }

  private scheduleFallback(delayMs: number): void {
    if (this.stopped) return;
    this.fallbackTimer = setTimeout(() => {
      void this.fallbackTick().finally(() => this.scheduleFallback(this.options.localFallbackMs));
    }, delayMs);
    this.fallbackTimer.unref();
  }

  /** Run here when Redis is unreachable, or when no run (of any hub process) was receipted for too long. */
  private async fallbackTick(): Promise<void> {
    if (this.options.service.isRunning()) return;
    try {
      const last = await this.options.service.lastRun();
      const lastAt = last ? Date.parse(last.now) : Number.NEGATIVE_INFINITY;
      const overdue = this.options.clock() - lastAt > this.options.everyMs + OVERDUE_SLACK_MS;
      if (this.state.redisConnected && !overdue) return;
      await this.runLocal(this.state.redisConnected ? 'scheduled runs overdue' : 'redis unreachable');
    } catch (error) {
      if (!this.stopped)
        this.log.error({ err: error }, 'local hub retention run failed; the next tick retries');
    }
  }
}
