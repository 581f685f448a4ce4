// The sharing drift check (SH-07) scheduled with BullMQ on a real Redis: the job scheduler runs the check
// (revoking a hand-made share), a job with a bad payload fails without retry, and two hub processes on one
// queue and one database never check at the same time (the lease).
import { Queue } from 'bullmq';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SharingDriftService } from '../../hub/sharing/drift.service.js';
import {
  SHARING_DRIFT_JOB,
  SHARING_DRIFT_QUEUE,
  SharingDriftWorker,
} from '../../hub/sharing/drift-worker.js';
import { createLogger } from '../../shared/logging/logger.js';
import { eventually } from '../support/eventually.js';
import { PG_AVAILABLE } from '../support/hub-db.js';
import { openTestHub, type TestHub } from '../support/hub-ingest.js';
import { addSharingAgencies } from '../support/hub-sharing.js';
import { deletePrefix, uniquePrefix, waitForJobState } from '../support/redis.js';
import { ALLOW_SKIP, portAnswers, REDIS_URL } from '../support/services.js';

const url = new URL(REDIS_URL);
const available = await portAnswers(url.hostname, Number(url.port || 6379));
if (!available && !ALLOW_SKIP) {
  throw new Error(`Redis is not answering at ${REDIS_URL} (set ALPR_TEST_ALLOW_SKIP=1 to skip)`);
}
const silent = createLogger({ level: 'silent' });
const prefix = uniquePrefix('sharing-drift');
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  if (available) await deletePrefix(REDIS_URL, prefix);
});
afterAll(async () => {
  if (available) await deletePrefix(REDIS_URL, prefix);
});

async function hubWithRogueShare(): Promise<TestHub> {
  const hub = await openTestHub(PG_AVAILABLE ? 'postgres' : 'pglite');
  cleanups.push(() => hub.close());
  const a = await addSharingAgencies(hub.ctx);
  await hub.ctx.db.exec('ALTER TABLE agency_shares DISABLE TRIGGER agency_shares_require_grant');
  await hub.ctx.db.query(
    `INSERT INTO agency_shares (owner_agency_id, grantee_agency_id, grantee_type, grant_id, expires_at, created_at)
     VALUES ($1, $2, 'local_le', NULL, $3, $3)`,
    [a.owner, a.asker, new Date(hub.clock() + 86_400_000)],
  );
  await hub.ctx.db.exec('ALTER TABLE agency_shares ENABLE TRIGGER agency_shares_require_grant');
  return hub;
}

function worker(hub: TestHub, service = new SharingDriftService(hub.ctx, silent), everyMs = 86_400_000) {
  const w = new SharingDriftWorker({
    service,
    redisUrl: REDIS_URL,
    queuePrefix: prefix,
    everyMs,
    // The local timer stays out of the way: these tests are about the BullMQ path.
    localFallbackMs: 3_600_000,
    firstFallbackMs: 3_600_000,
    clock: hub.clock,
    logger: silent,
  });
  cleanups.push(() => w.stop());
  return w;
}

describe.skipIf(!available)('sharing drift on BullMQ', () => {
  it('runs the scheduled check from the job scheduler and revokes the drift', async () => {
    const hub = await hubWithRogueShare();
    const w = worker(hub);
    w.start();
    // upsertJobScheduler adds the first run at once; it revokes the hand-made share.
    await eventually(
      'the scheduled drift run',
      async () => (await hub.ctx.db.query('SELECT 1 FROM agency_shares')).length === 0,
    );
    expect(w.runs.scheduled).toBeGreaterThanOrEqual(1);
    expect(w.runs.local).toBe(0);
    const [entry] = await hub.ctx.audit.list(hub.ctx.db, { kind: 'grant.drift' });
    expect(JSON.parse(entry!.payload)).toMatchObject({ category: 'not_approved', outcome: 'revoked' });
    const queue = new Queue(SHARING_DRIFT_QUEUE, { connection: { url: REDIS_URL }, prefix });
    cleanups.push(() => queue.close());
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, Number(s.every)])).toEqual([[SHARING_DRIFT_JOB, 86_400_000]]);
  });

  it('fails a job with a bad payload at once, without retry', async () => {
    const hub = await hubWithRogueShare();
    const w = worker(hub);
    w.start();
    await eventually('redis', () => w.redisConnected);
    const queue = new Queue(SHARING_DRIFT_QUEUE, { connection: { url: REDIS_URL }, prefix });
    cleanups.push(() => queue.close());
    const job = await queue.add(SHARING_DRIFT_JOB, { national: true } as never, { attempts: 5 });
    const failed = await waitForJobState(queue, job.id!, 'failed');
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/invalid sharing drift job payload/);
  });

  it('lets one of two hub processes check at a time (the database lease)', async () => {
    const hub = await hubWithRogueShare();
    const a = new SharingDriftService(hub.ctx, silent);
    const b = new SharingDriftService(hub.ctx, silent);
    const [ra, rb] = await Promise.all([a.run('run-a'), b.run('run-b')]);
    const kinds = [ra.kind, rb.kind].sort();
    // Either one waited out the other (busy), or they ran one after the other: never two revocations.
    expect(kinds.filter((k) => k === 'completed').length).toBeGreaterThanOrEqual(1);
    const entries = await hub.ctx.audit.list(hub.ctx.db, { kind: 'grant.drift' });
    expect(entries).toHaveLength(1);
  });
});
