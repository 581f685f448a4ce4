import { existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditKind } from '../../shared/audit/audit-log.js';
import { HoldService } from '../../shared/holds/hold.service.js';
import type { PurgeProgress, PurgeReceipt } from '../../shared/policy/purge-plan.js';
import { isExpired } from '../../shared/policy/retention.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { PurgeRepository } from '../../shared/store/purge.repository.js';
import { makeHoldRequest, placeHold, T0 } from '../support/factories.js';
import { insertExpired, insertReadsAged, openSeededStore, purgeService, rawCount } from '../support/purge.js';

const NOW = T0 + 40 * DAY_MS;
const MINUTE = 60_000;
const holdRequest = (readIds: number[]) => makeHoldRequest({ readIds: readIds.map(String) });

function receipts(store: ReturnType<typeof openSeededStore>['store']): PurgeReceipt[] {
  return store.audit
    .list({ kind: AuditKind.purgeReceipt, limit: 1000 })
    .map((row) => JSON.parse(row.payload) as PurgeReceipt)
    .reverse();
}

describe('PurgeService', () => {
  it('deletes a read at 30 days + 1 minute and keeps one at 29 days', async () => {
    const { store, verdictId } = openSeededStore();
    const [old, young] = insertReadsAged(store, verdictId, NOW, [30 * DAY_MS + MINUTE, 29 * DAY_MS]);
    const outcome = await purgeService(store, { clock: () => NOW }).run({ runId: 'r1', trigger: 'manual' });
    expect(outcome.kind).toBe('completed');
    const ids = store.db.prepare('SELECT id FROM reads').pluck().all();
    expect(ids).toEqual([young]);
    expect(ids).not.toContain(old);
    store.close();
  });

  it('keeps a read under an active hold past the cutoff, and deletes it at the next run after release', async () => {
    const { store, verdictId } = openSeededStore();
    const [held] = insertReadsAged(store, verdictId, NOW, [20 * DAY_MS]);
    const holds = new HoldService(store, { maxCameraRangeHours: 24 });
    const created = holds.create(holdRequest([held!]), NOW);
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const later = NOW + 15 * DAY_MS; // the read is now 35 days old
    const service = purgeService(store, { clock: () => later });
    const first = await service.run({ runId: 'before-release', trigger: 'manual' });
    expect(first.kind === 'completed' && first.receipt).toMatchObject({ rowsDeleted: 0, heldSkipped: 1 });
    expect(store.reads.findById(held!, later)?.id).toBe(held);

    const released = holds.release(
      created.value.hold.id,
      { releasedBy: 'lt.b', reason: 'case closed' },
      later,
    );
    expect(released.ok && released.value.readsNoLongerProtected).toBe(1);
    // Past retention and no longer held: hidden from every query even before the purge runs.
    expect(store.reads.findById(held!, later)).toBeUndefined();
    expect(store.reads.search({}, later)).toEqual([]);
    const second = await service.run({ runId: 'after-release', trigger: 'manual' });
    expect(second.kind === 'completed' && second.receipt).toMatchObject({ rowsDeleted: 1, heldSkipped: 0 });
    expect(rawCount(store)).toBe(0);
    store.close();
  });

  it('appends a receipt to the audit chain with cutoff, counts and the oldest unheld read age', async () => {
    const { store, verdictId } = openSeededStore();
    insertReadsAged(store, verdictId, NOW, [31 * DAY_MS, 32 * DAY_MS, 33 * DAY_MS, 2 * DAY_MS]);
    const [held] = insertReadsAged(store, verdictId, NOW, [10 * DAY_MS]);
    const holds = new HoldService(store, { maxCameraRangeHours: 24 });
    expect(holds.create(holdRequest([held!]), NOW).ok).toBe(true);
    const later = NOW + 25 * DAY_MS; // held read is 35 days old, the 2-day one is 27 days old
    const outcome = await purgeService(store, { clock: () => later }).run({
      runId: 'receipt-1',
      trigger: 'cli',
    });
    expect(outcome.kind).toBe('completed');
    const [receipt] = receipts(store);
    expect(receipt).toMatchObject({
      runId: 'receipt-1',
      nodeId: 'node-t',
      trigger: 'cli',
      status: 'completed',
      cutoff: new Date(later - 30 * DAY_MS).toISOString(),
      retentionDays: 30,
      rowsDeleted: 3,
      filesDeleted: 0,
      heldSkipped: 1,
      oldestUnheldAgeMs: 27 * DAY_MS,
      retentionMet: true,
      walTruncated: true,
    });
    expect(store.audit.verify()).toMatchObject({ ok: true });
    expect(store.db.prepare("SELECT value FROM meta WHERE key = 'purge.run'").get()).toBeUndefined();
    store.close();
  });

  it('never receipts the same run id twice (a retried job finds its receipt)', async () => {
    const { store, verdictId } = openSeededStore();
    insertReadsAged(store, verdictId, NOW, [31 * DAY_MS]);
    const service = purgeService(store, { clock: () => NOW });
    expect((await service.run({ runId: 'job-7', trigger: 'schedule' })).kind).toBe('completed');
    insertReadsAged(store, verdictId, NOW, [31 * DAY_MS]);
    const again = await service.run({ runId: 'job-7', trigger: 'schedule' });
    expect(again.kind).toBe('already-receipted');
    expect(receipts(store).map((r) => r.runId)).toEqual(['job-7']);
    // A new run id does the new work.
    const next = await service.run({ runId: 'job-8', trigger: 'schedule' });
    expect(next.kind === 'completed' && next.receipt.rowsDeleted).toBe(1);
    store.close();
  });

  it('serialises runs started together in one process, without double counting', async () => {
    const { store, verdictId } = openSeededStore();
    insertExpired(store, verdictId, NOW, 3000);
    const service = purgeService(store, { clock: () => NOW, chunkSize: 200 });
    const outcomes = await Promise.all([
      service.run({ runId: 'schedule-1', trigger: 'schedule' }),
      service.run({ runId: 'fallback-1', trigger: 'fallback' }),
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual(['completed', 'completed']);
    const all = receipts(store);
    expect(all.map((r) => r.runId)).toEqual(['schedule-1', 'fallback-1']);
    expect(all.reduce((sum, r) => sum + r.rowsDeleted, 0)).toBe(3000);
    expect(all[1]!.rowsDeleted).toBe(0);
    store.close();
  });

  it('reports busy while a live process holds the lease, and closes a dead holder’s run as interrupted', async () => {
    const { store, verdictId } = openSeededStore();
    insertExpired(store, verdictId, NOW, 50);
    const foreign: PurgeProgress = {
      runId: 'other-run',
      nodeId: 'node-t',
      trigger: 'schedule',
      startedAt: NOW - MINUTE,
      cutoff: NOW - MINUTE - 30 * DAY_MS,
      retentionDays: 30,
      attempts: 1,
      chunks: 3,
      rowsDeleted: 120,
      filesDeleted: 0,
      fileErrors: 0,
      orphanFilesDeleted: 0,
      owner: { host: 'this-host', pid: 4242 },
      leaseExpiresAt: NOW + 60_000,
    };
    let alive = true;
    const service = purgeService(store, {
      clock: () => NOW,
      owner: { host: 'this-host', pid: 1 },
      isPidAlive: () => alive,
    });
    new PurgeRepository(store.db).saveProgress(foreign);
    const busy = await service.run({ runId: 'mine', trigger: 'manual' });
    expect(busy).toMatchObject({ kind: 'busy', holder: { runId: 'other-run' } });
    expect(rawCount(store)).toBe(50);

    alive = false;
    const done = await service.run({ runId: 'mine', trigger: 'manual' });
    expect(done.kind).toBe('completed');
    const [closed, mine] = receipts(store);
    expect(closed).toMatchObject({
      runId: 'other-run',
      status: 'interrupted',
      rowsDeleted: 120,
      completedBy: 'mine',
    });
    expect(mine).toMatchObject({
      runId: 'mine',
      status: 'completed',
      rowsDeleted: 50,
      recoveredRunId: 'other-run',
    });
    store.close();
  });

  it('stops between chunks on shutdown and leaves the run for the next one to close', async () => {
    const { store, verdictId } = openSeededStore();
    insertExpired(store, verdictId, NOW, 2000);
    const service = purgeService(store, { clock: () => NOW, chunkSize: 100, chunkMaxLockMs: 1000 });
    const abort = new AbortController();
    const stopped = service.run({
      runId: 'shutdown',
      trigger: 'schedule',
      signal: abort.signal,
      onProgress: (p) => p.rowsDeleted >= 300 && abort.abort(new Error('worker shutting down')),
    });
    await expect(stopped).rejects.toThrow('worker shutting down');
    const left = service.records.progress();
    expect(left).toMatchObject({ runId: 'shutdown', owner: null });
    expect(rawCount(store)).toBe(2000 - left!.rowsDeleted);
    const next = await service.run({ runId: 'after-restart', trigger: 'schedule' });
    expect(next.kind === 'completed' && next.closed).toMatchObject({
      runId: 'shutdown',
      status: 'interrupted',
    });
    expect(receipts(store).reduce((n, r) => n + r.rowsDeleted, 0)).toBe(2000);
    store.close();
  });

  it('deletes crop files after their rows, keeps held crops, and refuses paths outside the crops dir', async () => {
    const { store, verdictId } = openSeededStore();
    const cropsDir = path.join(path.dirname(store.file), 'crops');
    mkdirSync(path.join(cropsDir, 'cam-1'), { recursive: true });
    const crop = (name: string) => {
      writeFileSync(path.join(cropsDir, 'cam-1', name), 'jpeg bytes');
      return `cam-1/${name}`;
    };
    const outside = path.join(path.dirname(store.file), 'not-a-crop.jpg');
    writeFileSync(outside, 'keep me');
    const [, held] = insertReadsAged(store, verdictId, NOW, [31 * DAY_MS, 10 * DAY_MS, 32 * DAY_MS], (i) => ({
      cropPath: [crop('expired.jpg'), crop('held.jpg'), outside][i],
    }));
    const holds = new HoldService(store, { maxCameraRangeHours: 24 });
    expect(holds.create(holdRequest([held!]), NOW).ok).toBe(true);
    const later = NOW + 25 * DAY_MS;
    const outcome = await purgeService(store, { clock: () => later, cropsDir }).run({
      runId: 'crops',
      trigger: 'manual',
    });
    expect(outcome.kind === 'completed' && outcome.receipt).toMatchObject({
      rowsDeleted: 2,
      filesDeleted: 1,
      fileErrors: 1,
    });
    expect(existsSync(path.join(cropsDir, 'cam-1', 'expired.jpg'))).toBe(false);
    expect(existsSync(path.join(cropsDir, 'cam-1', 'held.jpg'))).toBe(true);
    expect(existsSync(outside)).toBe(true);
    store.close();
  });

  it('sweeps orphan crops older than the cutoff (left by a crash), never recent or referenced ones', async () => {
    const { store, verdictId } = openSeededStore();
    const cropsDir = path.join(path.dirname(store.file), 'crops');
    mkdirSync(path.join(cropsDir, 'day'), { recursive: true });
    const file = (name: string, mtime: number) => {
      const p = path.join(cropsDir, 'day', name);
      writeFileSync(p, 'jpeg');
      utimesSync(p, mtime / 1000, mtime / 1000);
      return p;
    };
    const orphanOld = file('orphan-old.jpg', NOW - 31 * DAY_MS);
    const orphanNew = file('orphan-new.jpg', NOW - MINUTE); // an ingest may be about to insert its row
    const referencedOld = file('kept.jpg', NOW - 31 * DAY_MS);
    const [held] = insertReadsAged(store, verdictId, NOW, [5 * DAY_MS], () => ({ cropPath: 'day/kept.jpg' }));
    expect(new HoldService(store, { maxCameraRangeHours: 24 }).create(holdRequest([held!]), NOW).ok).toBe(
      true,
    );
    const outcome = await purgeService(store, { clock: () => NOW, cropsDir }).run({
      runId: 'sweep',
      trigger: 'cli',
      sweepOrphans: true,
    });
    expect(outcome.kind === 'completed' && outcome.receipt.orphanFilesDeleted).toBe(1);
    expect(existsSync(orphanOld)).toBe(false);
    expect(existsSync(orphanNew)).toBe(true);
    expect(existsSync(referencedOld)).toBe(true);
    store.close();
  });

  it('leaves an empty WAL and an intact database after a purge', async () => {
    const { store, verdictId } = openSeededStore();
    insertExpired(store, verdictId, NOW, 2000);
    await purgeService(store, { clock: () => NOW, chunkSize: 100 }).run({ runId: 'wal', trigger: 'manual' });
    expect(statSync(`${store.file}-wal`).size).toBe(0);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(store.db.pragma('foreign_key_check')).toEqual([]);
    store.close();
  });

  it('deletes exactly the reads the retention rule calls expired (property, real SQLite)', async () => {
    const read = fc.record({ ageMin: fc.integer({ min: 0, max: 45 * 1440 }), held: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(
        fc.array(read, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        async (reads, chunk) => {
          const { store, verdictId } = openSeededStore();
          try {
            const ids = insertReadsAged(
              store,
              verdictId,
              NOW,
              reads.map((r) => r.ageMin * MINUTE),
            );
            const heldIds = ids.filter((_, i) => reads[i]!.held);
            // Holds are placed while every read is still visible (at capture time of the oldest).
            if (heldIds.length > 0) {
              const placedAt = NOW - 45 * 1440 * MINUTE;
              placeHold(store, heldIds, {}, placedAt);
            }
            await purgeService(store, { clock: () => NOW, chunkSize: chunk }).run({
              runId: 'prop',
              trigger: 'manual',
            });
            const expected = ids.filter(
              (_, i) =>
                !isExpired({ capturedAt: NOW - reads[i]!.ageMin * MINUTE, held: reads[i]!.held }, NOW, 30),
            );
            expect(store.db.prepare('SELECT id FROM reads ORDER BY id').pluck().all()).toEqual(expected);
          } finally {
            store.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
