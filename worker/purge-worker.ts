// The purge worker of one edge node: a BullMQ queue and job scheduler in Redis, a concurrency-1 worker, and
// a local timer that keeps purging while Redis is unreachable, so the legal deadline never depends on Redis.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../shared/logging/logger.js';
import type { Clock } from '../shared/runtime/clock.js';
import { createPurgeProcessor, PURGE_JOB_NAME, type PurgeJobData } from './purge.processor.js';
import type { PurgeOutcome, PurgeService } from './purge.service.js';

export interface PurgeWorkerOptions {
  service: Pick<PurgeService, 'run' | 'isRunning' | 'idle' | 'lastReceipt'>;
  nodeId: string;
  redisUrl: string;
  queuePrefix: string;
  purgeEveryMs: number;
  attempts: number;
  backoffMs: number;
  localFallbackMs: number;
  clock: Clock;
  logger: Logger;
}

export interface PurgeWorkerStatus {
  redisConnected: boolean;
  schedulerInstalled: boolean;
  runs: Record<'schedule' | 'manual' | 'fallback', number>;
  lastError: string | null;
}

export const SCHEDULER_ID = 'retention-purge';
const OVERDUE_SLACK_MS = 120_000;

/** Queue name of a node: one queue per edge node, so nodes sharing a Redis never take each other's jobs. */
export function purgeQueueName(nodeId: string): string {
  return `alpr-purge-${nodeId}`;
}

export class PurgeWorker {
  readonly queueName: string;
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private connection: Redis | undefined;
  private queue: Queue<PurgeJobData> | undefined;
  private worker: Worker | undefined;
  private fallbackTimer: NodeJS.Timeout | undefined;
  private schedulerInFlight: Promise<void> | undefined;
  private jobOpts: Record<string, unknown> = {};
  private stopped = false;
  private readonly state: PurgeWorkerStatus = {
    redisConnected: false,
    schedulerInstalled: false,
    runs: { schedule: 0, manual: 0, fallback: 0 },
    lastError: null,
  };

  constructor(private readonly options: PurgeWorkerOptions) {
    this.queueName = purgeQueueName(options.nodeId);
    this.log = options.logger.child({ component: 'purge-worker', queue: this.queueName });
  }

  status(): PurgeWorkerStatus {
    return { ...this.state, runs: { ...this.state.runs } };
  }

  /** Start the local timer at once and connect to Redis in the background (never blocks on Redis). */
  start(): void {
    const { options } = this;
    this.scheduleFallback(Math.min(options.localFallbackMs, 10_000));
    const connection = new Redis(options.redisUrl, {
      // BullMQ workers need commands to wait for a reconnect instead of failing after N retries.
      maxRetriesPerRequest: null,
      retryStrategy: (times) => Math.min(250 * 2 ** Math.min(times, 5), 5000),
    });
    this.connection = connection;
    connection.on('ready', () => {
      if (!this.state.redisConnected) this.log.info('redis connected');
      this.state.redisConnected = true;
      // A restarted Redis may have lost every key: install the scheduler again on each (re)connect.
      void this.ensureScheduler();
    });
    connection.on('close', () => {
      if (this.state.redisConnected && !this.stopped)
        this.log.warn('redis connection lost; local fallback timer keeps purging');
      this.state.redisConnected = false;
      this.state.schedulerInstalled = false;
    });
    connection.on('error', (error: Error) => {
      this.state.lastError = error.message;
      this.log.debug({ err: error }, 'redis error');
    });
    const jobOpts = {
      attempts: options.attempts,
      backoff: { type: 'exponential' as const, delay: options.backoffMs },
      removeOnComplete: { count: 200 },
      removeOnFail: { count: 1000 },
    };
    this.queue = new Queue<PurgeJobData>(this.queueName, {
      connection,
      prefix: options.queuePrefix,
      defaultJobOptions: jobOpts,
    });
    this.queue.on('error', (error) => this.onBullError('queue', error));
    const processor = createPurgeProcessor({
      runner: {
        run: async (runOptions) => {
          this.state.runs[runOptions.trigger === 'schedule' ? 'schedule' : 'manual'] += 1;
          return options.service.run(runOptions);
        },
      },
      nodeId: options.nodeId,
      queueName: this.queueName,
      logger: this.log,
      signal: this.abort.signal,
    });
    this.worker = new Worker(this.queueName, processor, {
      connection,
      prefix: options.queuePrefix,
      concurrency: 1,
      removeOnComplete: { count: 200 },
      removeOnFail: { count: 1000 },
    });
    this.worker.on('error', (error) => this.onBullError('worker', error));
    this.worker.on('failed', (job, error) =>
      this.log.warn(
        { jobId: job?.id, attemptsMade: job?.attemptsMade, err: error.message },
        'purge job failed',
      ),
    );
    this.jobOpts = jobOpts;
  }

  /** Add one unscheduled purge job (e.g. an operator asking for a run now). */
  async enqueue(requestedBy: string): Promise<string | undefined> {
    const job = await this.queue?.add(PURGE_JOB_NAME, { nodeId: this.options.nodeId, requestedBy });
    return job?.id;
  }

  /** Run a purge here and now, without Redis (the fallback path). */
  async runLocal(reason: string): Promise<PurgeOutcome> {
    const now = this.options.clock();
    this.state.runs.fallback += 1;
    this.log.info({ reason }, 'local purge run');
    return this.options.service.run({
      runId: `local:${this.options.nodeId}:${now}:${process.pid}`,
      trigger: 'fallback',
      signal: this.abort.signal,
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.fallbackTimer);
    this.abort.abort(new Error('purge worker shutting down'));
    const closeWithin = async (what: string, close: () => Promise<unknown>) => {
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
    // With Redis away a graceful close would wait for it: force it (the purge itself already stopped
    // between chunks, and its run record lets the next run complete it).
    const force = !this.state.redisConnected;
    if (this.worker) await closeWithin('worker', () => this.worker!.close(force));
    if (this.queue) await closeWithin('queue', () => this.queue!.close());
    // ioredis stops reconnecting once told to disconnect (BullMQ's own disconnect would wait for Redis).
    this.connection?.disconnect();
    // The store closes after this layer: let an aborted run reach its next chunk boundary first.
    await closeWithin('purge run', () => this.options.service.idle());
  }

  private async ensureScheduler(): Promise<void> {
    if (this.schedulerInFlight || !this.queue || this.stopped) return this.schedulerInFlight;
    const queue = this.queue;
    this.schedulerInFlight = (async () => {
      try {
        await queue.upsertJobScheduler(
          SCHEDULER_ID,
          { every: this.options.purgeEveryMs },
          { name: PURGE_JOB_NAME, data: { nodeId: this.options.nodeId }, opts: this.jobOpts },
        );
        this.state.schedulerInstalled = true;
        this.log.info({ everyMs: this.options.purgeEveryMs }, 'purge scheduler installed');
      } catch (error) {
        this.state.lastError = (error as Error).message;
        this.log.warn({ err: error }, 'could not install the purge scheduler; retrying on reconnect');
      } finally {
        this.schedulerInFlight = undefined;
      }
    })();
    return this.schedulerInFlight;
  }

  private onBullError(source: string, error: Error): void {
    this.state.lastError = error.message;
    this.log.debug({ source, err: error.message }, 'bullmq error');
  }

  /**
   * The local timer: purge here when Redis is unreachable, or when scheduled runs are overdue (a scheduler
   * lost with Redis's data, a stuck job). Otherwise the Redis schedule does the work.
   */
  private scheduleFallback(delayMs: number): void {
    if (this.stopped) return;
    this.fallbackTimer = setTimeout(() => {
      void this.fallbackTick().finally(() => this.scheduleFallback(this.options.localFallbackMs));
    }, delayMs);
  }

  private async fallbackTick(): Promise<void> {
    // A run in progress here (a job, or the last tick) is doing the work already.
    if (this.options.service.isRunning()) return;
    const last = this.options.service.lastReceipt();
    const lastAt = last ? Date.parse(last.finishedAt) : Number.NEGATIVE_INFINITY;
    // Two minutes of slack for a scheduled job that is merely late, not lost.
    const overdue = this.options.clock() - lastAt > this.options.purgeEveryMs + OVERDUE_SLACK_MS;
    if (this.state.redisConnected && !overdue) return;
    try {
      await this.runLocal(this.state.redisConnected ? 'scheduled runs overdue' : 'redis unreachable');
    } catch (error) {
      if (!this.stopped) this.log.error({ err: error }, 'local purge run failed; next tick retries');
    }
  }
}
