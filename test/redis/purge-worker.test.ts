import { Queue } from 'bullmq';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AuditKind } from '../../shared/audit/audit-log.js';
import type { PurgeReceipt } from '../../shared/policy/purge-plan.js';
import { PURGE_JOB_NAME } from '../../worker/purge.processor.js';
import type { PurgeService, RunOptions } from '../../worker/purge.service.js';
import { PurgeWorker, purgeQueueName, SCHEDULER_ID } from '../../worker/purge-worker.js';
import { eventually } from '../support/eventually.js';
import { insertExpired, openSeededStore, purgeService, quietLogger } from '../support/purge.js';
import { deletePrefix, uniquePrefix, waitForJobState } from '../support/redis.js';
import { ALLOW_SKIP, portAnswers, REDIS_URL } from '../support/services.js';

const url = new URL(REDIS_URL);
const available = await portAnswers(url.hostname, Number(url.port || 6379));
if (!available && !ALLOW_SKIP) {
  throw new Error(`Redis is not answering at ${REDIS_URL} (set ALPR_TEST_ALLOW_SKIP=1 to skip)`);
}

const prefix = uniquePrefix('purge-worker');
const nodeId = `node-${process.pid}`;
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  if (available) await deletePrefix(REDIS_URL, prefix);
});
afterAll(async () => {
  if (available) await deletePrefix(REDIS_URL, prefix);
});

type ServiceLike = ConstructorParameters<typeof PurgeWorker>[0]['service'];

function setup(wrap?: (real: PurgeService) => ServiceLike) {
  const now = Date.now();
  const { store, verdictId } = openSeededStore();
  const real = purgeService(store, { nodeId });
  const worker = new PurgeWorker({
    service: wrap ? wrap(real) : real,
    nodeId,
    redisUrl: REDIS_URL,
    queuePrefix: prefix,
    purgeEveryMs: 3_600_000,
    attempts: 4,
    backoffMs: 100,
    localFallbackMs: 3_600_000,
    clock: () => Date.now(),
    logger: quietLogger(),
  });
  const queue = new Queue(purgeQueueName(nodeId), { connection: { url: REDIS_URL }, prefix });
  cleanups.push(
    () => store.close(),
    () => queue.close(),
    () => worker.stop(),
  );
  const receipts = () =>
    store.audit.list({ kind: AuditKind.purgeReceipt }).map((r) => JSON.parse(r.payload) as PurgeReceipt);
  return { now, store, verdictId, worker, queue, receipts };
}

describe.skipIf(!available)('PurgeWorker on Redis', () => {
  it('installs an hourly job scheduler on its node queue and purges on its first job', async () => {
    const { now, store, verdictId, worker, queue, receipts } = setup();
    insertExpired(store, verdictId, now, 500);
    worker.start();
    const [receipt] = await eventually(
      'receipts().length > 0 && receipts()',
      () => receipts().length > 0 && receipts(),
    );
    expect(receipt).toMatchObject({ trigger: 'schedule', rowsDeleted: 500, status: 'completed' });
    expect(receipt!.runId).toMatch(new RegExp(`^job:alpr-purge-${nodeId}:repeat:${SCHEDULER_ID}:`));
    const scheduler = await queue.getJobScheduler(SCHEDULER_ID);
    expect(scheduler).toMatchObject({ every: 3_600_000, name: PURGE_JOB_NAME });
    expect(scheduler?.template?.opts).toMatchObject({
      attempts: 4,
      backoff: { type: 'exponential', delay: 100 },
    });
    expect(worker.status()).toMatchObject({
      redisConnected: true,
      schedulerInstalled: true,
      runs: { schedule: 1 },
    });
  });

  it('fails an invalid job payload at once, without retrying it', async () => {
    const { worker, queue } = setup();
    worker.start();
    const bad = await queue.add(
      PURGE_JOB_NAME,
      { nodeId, cutoff: 'yesterday' },
      { attempts: 5, backoff: 50 },
    );
    const other = await queue.add(
      PURGE_JOB_NAME,
      { nodeId: 'some-other-node' },
      { attempts: 5, backoff: 50 },
    );
    await waitForJobState(queue, bad.id!, 'failed');
    await waitForJobState(queue, other.id!, 'failed');
    await new Promise((r) => setTimeout(r, 600)); // several backoff periods: still not retried
    const [badNow, otherNow] = await Promise.all([queue.getJob(bad.id!), queue.getJob(other.id!)]);
    expect(await badNow!.getState()).toBe('failed');
    expect(badNow!.attemptsMade).toBe(1);
    expect(badNow!.failedReason).toMatch(
      /^invalid purge job payload: \(payload\): Unrecognized key: "cutoff"/,
    );
    expect(await otherNow!.getState()).toBe('failed');
    expect(otherNow!.attemptsMade).toBe(1);
    expect(otherNow!.failedReason).toMatch(/purge job for node "some-other-node" reached node/);
  });

  it('retries a failing run with exponential backoff, one job at a time', async () => {
    let active = 0;
    let maxActive = 0;
    const failedOnce = new Set<string>();
    const { now, store, verdictId, worker, queue, receipts } = setup((real) => ({
      lastReceipt: () => real.lastReceipt(),
      isRunning: () => real.isRunning(),
      idle: () => real.idle(),
      run: async (options: RunOptions) => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        try {
          await new Promise((r) => setTimeout(r, 50));
          // Every operator-requested run fails its first attempt (a transient error), then succeeds.
          if (options.trigger === 'manual' && !failedOnce.has(options.runId)) {
            failedOnce.add(options.runId);
            throw new Error('disk busy (test)');
          }
          return await real.run(options);
        } finally {
          active -= 1;
        }
      },
    }));
    insertExpired(store, verdictId, now, 300);
    worker.start();
    await eventually('receipts().length > 0', () => receipts().length > 0);
    // Operator-requested runs go through the worker's own queue, which carries attempts and backoff.
    const ids = await Promise.all([1, 2, 3].map(() => worker.enqueue('ops')));
    const done = await Promise.all(ids.map((id) => waitForJobState(queue, id!, 'completed')));
    expect(done.map((j) => j.attemptsMade)).toEqual([2, 2, 2]); // each failed once, was retried, completed
    expect(done.map((j) => j.stacktrace?.length)).toEqual([1, 1, 1]);
    expect(maxActive).toBe(1);
    for (const job of done)
      expect(job.opts).toMatchObject({ attempts: 4, backoff: { type: 'exponential', delay: 100 } });
    const manual = receipts().filter((r) => r.trigger === 'manual');
    expect(new Set(manual.map((r) => r.runId)).size).toBe(3);
  });
});
