import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditKind } from '../../shared/audit/audit-log.js';
import type { PurgeReceipt } from '../../shared/policy/purge-plan.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { PurgeWorker, purgeQueueName, SCHEDULER_ID } from '../../worker/purge-worker.js';
import { eventually } from '../support/eventually.js';
import { makeRead, placeHold } from '../support/factories.js';
import { insertExpired, openSeededStore, purgeService, quietLogger, rawCount } from '../support/purge.js';
import { HAS_REDIS_SERVER, ThrowawayRedis, uniquePrefix, waitForJobState } from '../support/redis.js';
import { ALLOW_SKIP } from '../support/services.js';
import { tempDir } from '../support/temp-dir.js';

if (!HAS_REDIS_SERVER && !ALLOW_SKIP) {
  throw new Error(
    'redis-server is not installed: this test starts its own (set ALPR_TEST_ALLOW_SKIP=1 to skip)',
  );
}

const nodeId = 'edge-restart';
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(options: { appendOnly: boolean; expired: number }) {
  const redis = await ThrowawayRedis.start({ dir: tempDir('alpr-redis-'), appendOnly: options.appendOnly });
  const prefix = uniquePrefix('restart');
  const now = Date.now();
  const { store, verdictId } = openSeededStore();
  insertExpired(store, verdictId, now, options.expired);
  const [held] = store.reads.insertMany(
    [makeRead({ verdictId, capturedAt: now - 20 * DAY_MS, plate: 'HELD1' })],
    now,
  );
  placeHold(store, [held!], { requestedBy: 'a', approvedBy: 'b', reason: 'r' }, now);
  // Small paced chunks: the scheduled run lasts long enough to lose Redis in the middle of it.
  const service = purgeService(store, { nodeId, chunkSize: 200, chunkMaxLockMs: 1000, chunkPauseMs: 4 });
  const worker = new PurgeWorker({
    service,
    nodeId,
    redisUrl: redis.url,
    queuePrefix: prefix,
    purgeEveryMs: 3_600_000,
    attempts: 3,
    backoffMs: 200,
    localFallbackMs: 700,
    clock: () => Date.now(),
    logger: quietLogger(),
  });
  cleanups.push(
    () => redis.kill(),
    () => store.close(),
    () => worker.stop(),
  );
  const receipts = () =>
    store.audit
      .list({ kind: AuditKind.purgeReceipt, limit: 1000 })
      .map((r) => JSON.parse(r.payload) as PurgeReceipt)
      .reverse();
  const queue = () => {
    const q = new Queue(purgeQueueName(nodeId), { connection: { url: redis.url }, prefix });
    cleanups.push(() => q.close());
    return q;
  };
  return { redis, store, verdictId, service, worker, receipts, queue, now, held: held! };
}

const inflightRows = (store: ReturnType<typeof openSeededStore>['store']) => {
  const raw = store.db.prepare("SELECT value FROM meta WHERE key = 'purge.run'").pluck().get() as
    | string
    | undefined;
  return raw ? (JSON.parse(raw) as { rowsDeleted: number }).rowsDeleted : 0;
};

describe.skipIf(!HAS_REDIS_SERVER)('purge worker when Redis dies mid-run and comes back', () => {
  it('finishes the run, keeps purging on the local timer, and neither loses nor repeats work', async () => {
    const total = 40_000;
    const { redis, store, verdictId, worker, receipts, queue, now } = await setup({
      appendOnly: true,
      expired: total,
    });
    worker.start();
    await eventually('inflightRows(store) >= 4000', () => inflightRows(store) >= 4000, { timeoutMs: 60_000 }); // the scheduled job is mid-purge
    await redis.kill();
    expect(inflightRows(store)).toBeGreaterThan(0); // still mid-run when Redis died
    await eventually('!worker.status().redisConnected', () => !worker.status().redisConnected);

    // The run in progress needs only SQLite: it completes and is receipted while Redis is down.
    const [scheduled] = await eventually(
      'receipts().length > 0 && receipts()',
      () => receipts().length > 0 && receipts(),
      { timeoutMs: 60_000 },
    );
    expect(scheduled).toMatchObject({ trigger: 'schedule', status: 'completed', rowsDeleted: total });

    // New reads expire while Redis is down: the local fallback timer purges them.
    insertExpired(store, verdictId, now, 700, 'Y');
    const fallback = await eventually(
      "receipts().find((r) => r.trigger === 'fallback' && r.rowsDeleted > 0)",
      () => receipts().find((r) => r.trigger === 'fallback' && r.rowsDeleted > 0),
      { timeoutMs: 30_000 },
    );
    expect(fallback).toMatchObject({ rowsDeleted: 700, retentionMet: true });

    // Redis returns with its data (append-only file): the interrupted job is settled, not run again.
    await redis.startAgain();
    await eventually(
      'worker.status().redisConnected && worker.status().schedulerInstalled',
      () => worker.status().redisConnected && worker.status().schedulerInstalled,
      { timeoutMs: 30_000 },
    );
    const q = queue();
    expect(await q.getJobScheduler(SCHEDULER_ID)).toMatchObject({ every: 3_600_000 });
    const jobId = scheduled!.runId.split(':').slice(2, -1).join(':');
    const settled = await eventually(
      'the job to settle',
      async () => {
        const job = await q.getJob(jobId);
        const state = await job?.getState();
        return state === 'completed' || state === 'failed' ? state : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(settled).toBe('completed');
    const manual = await worker.enqueue('ops');
    await waitForJobState(q, manual!, 'completed');

    const all = receipts();
    expect(new Set(all.map((r) => r.runId)).size).toBe(all.length); // no run receipted twice
    expect(all.reduce((n, r) => n + r.rowsDeleted, 0)).toBe(total + 700); // every expired read, once
    expect(all.every((r) => r.status === 'completed' && r.retentionMet)).toBe(true);
    expect(rawCount(store)).toBe(1); // only the held read is left
    expect(store.audit.verify()).toMatchObject({ ok: true });
  });

  it('reinstalls its scheduler when Redis comes back empty, and its jobs run again', async () => {
    const { redis, store, worker, receipts, queue } = await setup({ appendOnly: false, expired: 100 });
    worker.start();
    await eventually("receipts().some((r) => r.trigger === 'schedule')", () =>
      receipts().some((r) => r.trigger === 'schedule'),
    );
    await redis.kill();
    await eventually('!worker.status().redisConnected', () => !worker.status().redisConnected);
    const restartedAt = Date.now();
    await redis.startAgain(); // no persistence: every key, the scheduler included, is gone
    await eventually('worker.status().schedulerInstalled', () => worker.status().schedulerInstalled, {
      timeoutMs: 30_000,
    });
    const q = queue();
    expect(await q.getJobScheduler(SCHEDULER_ID)).toMatchObject({ every: 3_600_000 });
    // The reinstalled scheduler's first job runs and is receipted.
    const again = await eventually(
      'a scheduled receipt after the restart',
      () => receipts().find((r) => r.trigger === 'schedule' && Date.parse(r.startedAt) >= restartedAt),
      { timeoutMs: 30_000 },
    );
    expect(again).toMatchObject({ status: 'completed', retentionMet: true });
    expect(receipts().reduce((n, r) => n + r.rowsDeleted, 0)).toBe(100);
    expect(rawCount(store)).toBe(1);
  });
});
