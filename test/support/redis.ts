// Redis for tests: the shared server (unique key prefix per file, keys removed afterwards) and throwaway
// redis-server processes a test may stop and restart. A missing redis-server fails the test unless
// ALPR_TEST_ALLOW_SKIP=1.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { freePort } from '../../shared/runtime/processes.js';
import { eventually } from './eventually.js';
import { portAnswers } from './services.js';

export { freePort };

export const HAS_REDIS_SERVER = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;

/** A key prefix no other test (or engineer) uses. */
export function uniquePrefix(label: string): string {
  return `alpr-test-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Delete every key under `prefix` (BullMQ keys are `prefix:queue:...`). */
export async function deletePrefix(url: string, prefix: string): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  await client.connect();
  let cursor = '0';
  let deleted = 0;
  try {
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
  return deleted;
}

/** A private redis-server on a fixed port, which a test can kill and start again on the same port. */
export class ThrowawayRedis {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly args: string[],
  ) {}

  static async start(options: { dir: string; appendOnly: boolean }): Promise<ThrowawayRedis> {
    if (!HAS_REDIS_SERVER) throw new Error('redis-server is not installed (apt-get install redis-server)');
    const port = await freePort();
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', options.dir];
    args.push('--appendonly', options.appendOnly ? 'yes' : 'no', '--appendfsync', 'always');
    const redis = new ThrowawayRedis(port, args);
    await redis.startAgain();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async startAgain(): Promise<void> {
    this.child = spawn('redis-server', this.args, { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (await portAnswers('127.0.0.1', this.port, 200)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  /** Kill it abruptly (as a crash or an operator's kill -9 would). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }
}

export async function waitForJobState(queue: Queue, id: string, state: 'completed' | 'failed'): Promise<Job> {
  // State first, then the job: a job read before its state is final may be a stale snapshot of a
  // running attempt (this raced under load: attemptsMade 1 on a job about to complete its retry).
  return eventually(`job ${id} ${state}`, async () =>
    (await queue.getJobState(id)) === state ? queue.getJob(id) : undefined,
  );
}
