import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditKind } from '../../shared/audit/audit-log.js';
import type { PurgeProgress, PurgeReceipt } from '../../shared/policy/purge-plan.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { makeRead } from '../support/factories.js';
import {
  exited,
  forkTs,
  insertExpired,
  nextMessage,
  openSeededStore,
  purgeService,
  rawCount,
} from '../support/purge.js';

const TOTAL = 30_000;
const WITH_CROPS = 400;

/** Expired reads (some with crop files dated at capture), fresh reads; then a child purges and is killed. */
async function crashMidPurge(runId: string) {
  const now = Date.now();
  const { store, verdictId } = openSeededStore();
  const cropsDir = path.join(path.dirname(store.file), 'crops');
  mkdirSync(path.join(cropsDir, 'cam-1'), { recursive: true });
  const crops = store.reads.insertMany(
    Array.from({ length: WITH_CROPS }, (_, i) => {
      const capturedAt = now - 40 * DAY_MS + i;
      const file = path.join(cropsDir, 'cam-1', `${i}.jpg`);
      writeFileSync(file, 'jpeg');
      utimesSync(file, capturedAt / 1000, capturedAt / 1000);
      return makeRead({ verdictId, capturedAt, cropPath: `cam-1/${i}.jpg` });
    }),
    now,
  );
  insertExpired(store, verdictId, now, TOTAL - crops.length);
  store.reads.insertMany([makeRead({ verdictId, capturedAt: now - DAY_MS, plate: 'FRESH1' })], now);
  store.close();

  const child = forkTs('purge-child.ts', [store.file, runId, cropsDir, '200']);
  const progress = await nextMessage<{ rowsDeleted: number }>(
    child,
    (m) =>
      (m as { type: string; rowsDeleted: number }).type === 'progress' &&
      (m as { rowsDeleted: number }).rowsDeleted >= 3000,
  );
  child.kill('SIGKILL');
  expect(await exited(child)).toMatchObject({ signal: 'SIGKILL' });
  expect(progress.rowsDeleted).toBeLessThan(TOTAL);
  const { store: reopened } = openSeededStore(store.file);
  return { store: reopened, cropsDir, childPid: child.pid! };
}

describe('purge killed with SIGKILL mid-run', () => {
  it('leaves an intact database, and the next run completes it and closes the killed run with a receipt', async () => {
    const { store, cropsDir, childPid } = await crashMidPurge('killed-run');
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const inflight = store.db
      .prepare("SELECT value FROM meta WHERE key = 'purge.run'")
      .pluck()
      .get() as string;
    const killed = JSON.parse(inflight) as PurgeProgress;
    expect(killed).toMatchObject({ runId: 'killed-run', owner: { pid: childPid } });
    expect(killed.rowsDeleted).toBeGreaterThan(0);
    // Every delete the killed run recorded is really gone: counts and rows committed together.
    expect(rawCount(store)).toBe(TOTAL + 1 - killed.rowsDeleted);

    const outcome = await purgeService(store, { cropsDir }).run({ runId: 'next-run', trigger: 'schedule' });
    expect(outcome.kind).toBe('completed');
    const receipts = store.audit
      .list({ kind: AuditKind.purgeReceipt })
      .map((r) => JSON.parse(r.payload) as PurgeReceipt)
      .reverse();
    expect(receipts.map((r) => [r.runId, r.status])).toEqual([
      ['killed-run', 'interrupted'],
      ['next-run', 'completed'],
    ]);
    expect(receipts[0]!.rowsDeleted + receipts[1]!.rowsDeleted).toBe(TOTAL);
    expect(receipts[1]).toMatchObject({ recoveredRunId: 'killed-run', retentionMet: true });
    expect(store.db.prepare('SELECT plate FROM reads').pluck().all()).toEqual(['FRESH1']);
    // Crops of every purged read are gone, including any whose row the killed run deleted before its files.
    expect(readdirSync(path.join(cropsDir, 'cam-1'))).toEqual([]);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(store.audit.verify()).toMatchObject({ ok: true });
    store.close();
  });

  it('resumes the same run id (a retried job) and receipts it once with the counts of both attempts', async () => {
    const { store, cropsDir } = await crashMidPurge('job:q:1:1');
    const outcome = await purgeService(store, { cropsDir }).run({ runId: 'job:q:1:1', trigger: 'schedule' });
    expect(outcome.kind === 'completed' && outcome.receipt).toMatchObject({
      runId: 'job:q:1:1',
      status: 'completed',
      rowsDeleted: TOTAL,
      attempts: 2,
    });
    expect(store.audit.list({ kind: AuditKind.purgeReceipt })).toHaveLength(1);
    expect(existsSync(path.join(cropsDir, 'cam-1', '0.jpg'))).toBe(false);
    store.close();
  });
});
