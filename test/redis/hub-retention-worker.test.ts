// Hub retention scheduled with BullMQ on a real Redis: the hourly job scheduler, a bad payload failed
// without retry, the local timer when Redis is unreachable, and two hub processes on one queue and one
// PostgreSQL database taking turns through the lease.
import { Queue } from 'bullmq';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { HubDb } from '../../hub/db/hub-db.js';
import { openPostgresDb } from '../../hub/db/postgres-db.js';
import { RetentionKind } from '../../hub/retention/day-drop.js';
import { HUB_RETENTION_JOB } from '../../hub/retention/retention.processor.js';
import type { HubRetentionReceipt } from '../../hub/retention/retention.service.js';
import {
  HUB_RETENTION_QUEUE,
  HUB_RETENTION_SCHEDULER,
  HubRetentionWorker,
} from '../../hub/retention/retention-worker.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { eventually } from '../support/eventually.js';
import { openTestHubDb, PG_AVAILABLE, type TestHubDb } from '../support/hub-db.js';
import {
  auditPayloads,
  DAY0,
  holdService,
  insertReadsOnDay,
  readHold,
  retentionService,
  seedHub,
  silentLogger,
} from '../support/hub-retention.js';
import { deletePrefix, uniquePrefix, waitForJobState } from '../support/redis.js';
import { ALLOW_SKIP, portAnswers, REDIS_URL } from '../support/services.js';

const url = new URL(REDIS_URL);
const available = await portAnswers(url.hostname, Number(url.port || 6379));
if (!available && !ALLOW_SKIP) {
  throw new Error(`Redis is not answering at ${REDIS_URL} (set ALPR_TEST_ALLOW_SKIP=1 to skip)`);
}

const NOW = DAY0 + 40 * DAY_MS;
const prefix = uniquePrefix('hub-retention');
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  if (available) await deletePrefix(REDIS_URL, prefix);
});
afterAll(async () => {
  if (available) await deletePrefix(REDIS_URL, prefix);
});

async function seededDb(): Promise<TestHubDb> {
  const t = await openTestHubDb(PG_AVAILABLE ? 'postgres' : 'pglite');
  cleanups.push(() => t.drop());
  const { verdictId } = await seedHub(t.db);
  for (let d = 0; d < 3; d++) {
    await insertReadsOnDay(t.db, { verdictId, day: DAY0 + d * DAY_MS, count: 200, firstId: 1000 * d + 1 });
  }
  const held = await holdService(t.db).create(readHold([7]), DAY0 + 3 * DAY_MS);
  if (!held.ok) throw new Error('hold not created');
  return t;
}

function worker(db: HubDb, overrides: Partial<ConstructorParameters<typeof HubRetentionWorker>[0]> = {}) {
  const service = retentionService(db, () => NOW);
  const w = new HubRetentionWorker({
    service,
    redisUrl: REDIS_URL,
    queuePrefix: prefix,
    everyMs: 3_600_000,
    localFallbackMs: 3_600_000,
    attempts: 3,
    backoffMs: 100,
    clock: () => NOW,
    logger: silentLogger,
    ...overrides,
  });
  cleanups.push(() => w.stop());
  return { worker: w, service };
}

function queue(): Queue {
  const q = new Queue(HUB_RETENTION_QUEUE, { connection: { url: REDIS_URL }, prefix });
  cleanups.push(() => q.close());
  return q;
}

const runs = (db: HubDb) => auditPayloads<HubRetentionReceipt>(db, RetentionKind.run);

describe.skipIf(!available)('hub retention on BullMQ', () => {
  it('installs an hourly job scheduler and runs retention on its first job', async () => {
    const t = await seededDb();
    const { worker: w } = worker(t.db);
    w.start();
    const [receipt] = await eventually('a retention run', async () => {
      const r = await runs(t.db);
      return r.length > 0 && r;
    });
    expect(receipt).toMatchObject({ trigger: 'schedule', daysDropped: 3, heldKept: 1, retentionMet: true });
    expect(receipt!.runId).toMatch(
      new RegExp(`^job:${HUB_RETENTION_QUEUE}:repeat:${HUB_RETENTION_SCHEDULER}:`),
    );
    const scheduler = await queue().getJobScheduler(HUB_RETENTION_SCHEDULER);
    expect(scheduler).toMatchObject({ every: 3_600_000, name: HUB_RETENTION_JOB });
    expect(w.status()).toMatchObject({
      redisConnected: true,
      schedulerInstalled: true,
      runs: { schedule: 1 },
    });
  });

  it('fails an invalid job payload at once, without retrying it', async () => {
    const t = await seededDb();
    const { worker: w } = worker(t.db);
    w.start();
    const q = queue();
    await eventually('w.status().schedulerInstalled', () => w.status().schedulerInstalled);
    const job = await q.add(HUB_RETENTION_JOB, { requestedBy: 42 } as never, { attempts: 5 });
    const failed = await waitForJobState(q, job.id!, 'failed');
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/invalid hub retention job payload: requestedBy/);
  });

  it('runs on the local timer while Redis is unreachable', async () => {
    const t = await seededDb();
    const { worker: w } = worker(t.db, { redisUrl: 'redis://127.0.0.1:1', firstFallbackMs: 50 });
    w.start();
    const [receipt] = await eventually('a retention run', async () => {
      const r = await runs(t.db);
      return r.length > 0 && r;
    });
    expect(receipt).toMatchObject({ trigger: 'fallback', daysDropped: 3, retentionMet: true });
    expect(w.status()).toMatchObject({ redisConnected: false, runs: { fallback: 1 } });
  });

  it.skipIf(!PG_AVAILABLE)(
    'lets two hub processes on one queue and one database run it one at a time',
    async () => {
      const t = await seededDb();
      const second = await openPostgresDb({ url: t.location, poolSize: 2 });
      cleanups.push(() => second.close());
      // The first process lingers a moment once it holds the lease, so jobs reaching the second meet it.
      const lingering = retentionService(t.db, () => NOW, {
        pause: (step) => (step === 'leased' ? new Promise((r) => setTimeout(r, 300)) : Promise.resolve()),
      });
      const a = { worker: worker(t.db, { service: lingering }).worker, service: lingering };
      const b = worker(second);
      a.worker.start();
      b.worker.start();
      const q = queue();
      await eventually(
        'both schedulers installed',
        () => a.worker.status().schedulerInstalled && b.worker.status().schedulerInstalled,
      );
      const jobs = await Promise.all(
        Array.from({ length: 8 }, (_, i) => q.add(HUB_RETENTION_JOB, { requestedBy: `test-${i}` })),
      );
      const results = await Promise.all(jobs.map((j) => waitForJobState(q, j.id!, 'completed')));
      const outcomes = results.map((j) => (j.returnvalue as { outcome: string }).outcome);
      expect(outcomes).toContain('busy');
      // Whoever ran, each expired day was dropped exactly once, and no run saw another run's half-done work.
      await eventually(
        'one run per started worker',
        async () => (await runs(t.db)).length === 1 + outcomes.filter((o) => o === 'completed').length,
      );
      await a.service.idle();
      const drops = await auditPayloads<{ day: string }>(t.db, RetentionKind.partitionDropped);
      expect(drops.map((d) => d.day).sort()).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
      const receipts = await runs(t.db);
      expect(receipts.every((r) => r.errors.length === 0 && r.retentionMet)).toBe(true);
      expect(receipts.reduce((n, r) => n + r.daysDropped, 0)).toBe(3);
      expect(a.worker.status().runs.manual + b.worker.status().runs.manual).toBeGreaterThanOrEqual(8);
    },
  );
});
