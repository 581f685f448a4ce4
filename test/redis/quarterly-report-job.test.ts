// The quarterly report job on real Redis + BullMQ: the scheduler is installed with the quarter-end cron,
// a job writes the report of the quarter that just ended once (a second job finds it written), a bad
// payload fails without retry; with Redis unreachable the local timer writes the overdue report itself.
import { Queue } from 'bullmq';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dueQuarter, QUARTERLY_REPORT_JOB } from '../../hub/oversight/quarterly.processor.js';
import {
  OVERSIGHT_QUEUE,
  QUARTERLY_CRON,
  QuarterlyReportWorker,
} from '../../hub/oversight/quarterly-worker.js';
import { DAY_MS, HOUR_MS } from '../../shared/runtime/clock.js';
import { eventually } from '../support/eventually.js';
import { openTestHub, type TestHub } from '../support/hub-ingest.js';
import { edgeReceipt, edgeSignedHead, seedOversightHub } from '../support/oversight-fixtures.js';
import { deletePrefix, uniquePrefix, waitForJobState } from '../support/redis.js';
import { ALLOW_SKIP, portAnswers, REDIS_URL } from '../support/services.js';

const url = new URL(REDIS_URL);
const REDIS_UP = await portAnswers(url.hostname, Number(url.port || 6379));
if (!REDIS_UP && !ALLOW_SKIP)
  throw new Error(`Redis is not answering at ${REDIS_URL} (set ALPR_TEST_ALLOW_SKIP=1 to skip)`);

const prefix = uniquePrefix('oversight');
afterAll(() => deletePrefix(REDIS_URL, prefix).catch(() => undefined));

// Five minutes after the first quarter of 2026 ended.
const NOW = Date.UTC(2026, 3, 1, 0, 5);

describe.skipIf(!REDIS_UP)('quarterly report job', () => {
  let hub: TestHub;
  let worker: QuarterlyReportWorker | undefined;
  afterEach(async () => {
    await worker?.stop();
    await hub?.close();
  });

  async function setup(): Promise<void> {
    hub = await openTestHub('pglite', { now: Date.UTC(2025, 11, 1) });
    await seedOversightHub(hub);
    hub.clock.set(NOW);
    await edgeReceipt(hub.ctx.db, 'edge-01', 1, NOW - 2 * DAY_MS, 29 * DAY_MS);
    await edgeSignedHead(hub.ctx.db, 'edge-01', 2, NOW - HOUR_MS);
  }
  const reports = () =>
    hub.ctx.db.query<{ period_from: Date; period_to: Date; result: string }>(
      'SELECT period_from, period_to, result FROM oversight_reports',
    );

  it('is due for the quarter that just ended', () => {
    expect(dueQuarter(NOW)).toEqual({ from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 3, 1) });
    expect(dueQuarter(Date.UTC(2026, 0, 1, 0, 5))).toEqual({
      from: Date.UTC(2025, 9, 1),
      to: Date.UTC(2026, 0, 1),
    });
  });

  it('installs the quarter-end scheduler and writes the due report once per quarter', async () => {
    await setup();
    worker = new QuarterlyReportWorker(hub.ctx, {
      redisUrl: REDIS_URL,
      queuePrefix: prefix,
      localEveryMs: 3_600_000,
    });
    worker.start();
    const queue = new Queue(OVERSIGHT_QUEUE, { connection: { url: REDIS_URL }, prefix });
    try {
      const scheduler = await eventually('the quarterly-report scheduler', async () =>
        (await queue.getJobSchedulers()).find((s) => s.key === 'quarterly-report'),
      );
      expect(scheduler.pattern).toBe(QUARTERLY_CRON);
      const first = await queue.add(QUARTERLY_REPORT_JOB, { requestedBy: 'test' });
      expect((await waitForJobState(queue, first.id!, 'completed')).returnvalue).toMatchObject({
        kind: 'written',
        result: 'PASSED',
      });
      const second = await queue.add(QUARTERLY_REPORT_JOB, {});
      expect((await waitForJobState(queue, second.id!, 'completed')).returnvalue).toMatchObject({
        kind: 'exists',
      });
      expect(await reports()).toEqual([
        {
          period_from: new Date(Date.UTC(2026, 0, 1)),
          period_to: new Date(Date.UTC(2026, 3, 1)),
          result: 'PASSED',
        },
      ]);
      const bad = await queue.add(QUARTERLY_REPORT_JOB, { unknown: true });
      const failed = await waitForJobState(queue, bad.id!, 'failed');
      expect(failed.attemptsMade).toBe(1);
    } finally {
      await queue.close();
    }
  }, 120_000);

  it('writes the overdue report from the local timer when Redis is unreachable', async () => {
    await setup();
    hub.clock.set(NOW + 3 * HOUR_MS);
    worker = new QuarterlyReportWorker(hub.ctx, {
      redisUrl: 'redis://127.0.0.1:1',
      queuePrefix: prefix,
      localEveryMs: 3_600_000,
    });
    await worker.tick();
    expect((await reports()).map((r) => r.result)).toEqual(['PASSED']);
  }, 120_000);
});
