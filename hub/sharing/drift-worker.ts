// Schedules the sharing drift check (SH-07): a BullMQ job scheduler on the hub's Redis (one queue for
// every hub process, so each run goes to one of them) and a local timer that checks here when Redis is
// unreachable or scheduled checks are overdue, so the daily comparison never depends on Redis. The
// database lease in SharingDriftService keeps two processes from checking at once.
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../../shared/logging/logger.js';
import type { Clock } from '../../shared/runtime/clock.js';
import type { DriftOutcome, SharingDriftService } from './drift.service.js';

export const SHARING_DRIFT_QUEUE = 'alpr-hub-sharing-drift';
export const SHARING_DRIFT_JOB = 'sharing-drift';
const OVERDUE_SLACK_MS = 300_000;

const jobSchema = z.strictObject({ requestedBy: z.string().min(1).max(200).optional() });

export interface DriftJobResult {
  outcome: DriftOutcome['kind'];
  runId: string;
  drift?: number;
  expired?: number;
  missing?: number;
}

/** The BullMQ processor: a bad job fails at once (never retried); the run id is stable across attempts. */
export function createDriftProcessor(
  service: Pick<SharingDriftService, 'run'>,
  logger: Logger,
): (job: Job) => Promise<DriftJobResult> {
  return async (job) => {
    if (job.name !== SHARING_DRIFT_JOB)
      throw new UnrecoverableError(`unknown job "${job.name}" on ${SHARING_DRIFT_QUEUE}`);
    const parsed = jobSchema.safeParse(job.data);
    if (!parsed.success) {
      logger.error({ jobId: job.id }, 'invalid sharing drift job payload; failing without retry');
      throw new UnrecoverableError(
        `invalid sharing drift job payload: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
      );
    }
    const runId = `job:${SHARING_DRIFT_QUEUE}:${job.id ?? 'unknown'}:${job.timestamp}`;
    const outcome = await service.run(runId);
    if (outcome.kind === 'busy') return { outcome: 'busy', runId };
    const r = outcome.report;
    return {
      outcome: 'completed',
      runId,
      drift: r.drift.length,
      expired: r.expired.length,
      missing: r.missing.length,
    };
  };
}

export interface DriftWorkerOptions {
  service: Pick<SharingDriftService, 'run' | 'isRunning' | 'idle' | 'lastRunAt'>;
  redisUrl: string;
  queuePrefix: string;
  everyMs: number;
  localFallbackMs: number;
  /** First local tick (default: min(localFallbackMs, 10 s)). */
  firstFallbackMs?: number;
  clock: Clock;
  logger: Logger;
}

export class SharingDriftWorker {
  private readonly log: Logger;
  private connection: Redis | undefined;
  private queue: Queue | undefined;
  private worker: Worker | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  redisConnected = false;
  readonly runs = { scheduled: 0, local: 0 };

  constructor(private readonly options: DriftWorkerOptions) {
    this.log = options.logger.child({ component: 'sharing-drift-worker' });
  }

  start(): void {
    const { options } = this;
    this.scheduleLocal(options.firstFallbackMs ?? Math.min(options.localFallbackMs, 10_000));
    const connection = new Redis(options.redisUrl, {
      maxRetriesPerRequest: null,
      retryStrategy: (times) => Math.min(250 * 2 ** Math.min(times, 5), 5000),
    });
    this.connection = connection;
    connection.on('ready', () => {
      this.redisConnected = true;
      void this.installScheduler();
    });
    connection.on('close', () => {
      this.redisConnected = false;
    });
    connection.on('error', (error: Error) => this.log.debug({ err: error.message }, 'redis error'));
    const jobOpts = {
      attempts: 5,
      backoff: { type: 'exponential' as const, delay: 10_000 },
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 500 },
    };
    this.queue = new Queue(SHARING_DRIFT_QUEUE, {
      connection,
      prefix: options.queuePrefix,
      defaultJobOptions: jobOpts,
    });
    this.queue.on('error', (error) => this.log.debug({ err: error.message }, 'bullmq error'));
    const processor = createDriftProcessor(
      {
        run: (runId) => {
          this.runs.scheduled += 1;
          return options.service.run(runId);
        },
      },
      this.log,
    );
    this.worker = new Worker(SHARING_DRIFT_QUEUE, processor, {
      connection,
      prefix: options.queuePrefix,
      concurrency: 1,
    });
    this.worker.on('error', (error) => this.log.debug({ err: error.message }, 'bullmq error'));
    this.worker.on('failed', (job, error) =>
      this.log.warn({ jobId: job?.id, err: error.message }, 'sharing drift job failed'),
    );
  }

  /** Add one unscheduled check now; undefined without Redis. */
  async enqueue(requestedBy: string): Promise<string | undefined> {
    if (!this.redisConnected || !this.queue) return undefined;
    return (await this.queue.add(SHARING_DRIFT_JOB, { requestedBy })).id;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    const force = !this.redisConnected;
    await this.worker?.close(force).catch(() => undefined);
    await this.queue?.close().catch(() => undefined);
    this.connection?.disconnect();
    await this.options.service.idle();
  }

  private async installScheduler(): Promise<void> {
    try {
      await this.queue?.upsertJobScheduler(
        SHARING_DRIFT_JOB,
        { every: this.options.everyMs },
        { name: SHARING_DRIFT_JOB, data: {} },
      );
      this.log.info({ everyMs: this.options.everyMs }, 'sharing drift scheduler installed');
    } catch (error) {
      this.log.warn(
        { err: (error as Error).message },
        'could not install the sharing drift scheduler; retrying on reconnect',
      );
    }
  }

  private scheduleLocal(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.localTick().finally(() => this.scheduleLocal(this.options.localFallbackMs));
    }, delayMs);
    this.timer.unref();
  }

  /** Check here when Redis is unreachable, or when no process checked for longer than the interval. */
  private async localTick(): Promise<void> {
    const { service, clock } = this.options;
    if (service.isRunning()) return;
    try {
      const last = (await service.lastRunAt()) ?? Number.NEGATIVE_INFINITY;
      const overdue = clock() - last > this.options.everyMs + OVERDUE_SLACK_MS;
      if (this.redisConnected && !overdue) return;
      this.runs.local += 1;
      await service.run(`local:${clock()}:${process.pid}`);
    } catch (error) {
      if (!this.stopped)
        this.log.error({ err: error }, 'local sharing drift check failed; the next tick retries');
    }
  }
}
