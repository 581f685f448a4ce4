// What a purge leaves on disk (issue 10, items 12 and 13): crops written under an earlier
// store.cropsDir are found and deleted, crop files already gone are counted in the receipt, and deleted
// plates held in the WAL by another connection's read snapshot are gone soon after it lets go.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreReadSink } from '../../edge/store-read-sink.js';
import { AuditKind } from '../../shared/audit/audit-log.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { resolveCropPath } from '../../shared/store/crop-files.js';
import { eventually } from '../support/eventually.js';
import { makeRead, T0 } from '../support/factories.js';
import { makePass } from '../support/geofence-factories.js';
import { openSeededStore, purgeService, quietLogger } from '../support/purge.js';

const NOW = T0 + 40 * DAY_MS;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);

function databaseBytes(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
}

describe('purge and crop files', () => {
  it('deletes crops written under an earlier store.cropsDir, and reports crop files that were missing', async () => {
    const { store, verdictId } = openSeededStore();
    const root = path.dirname(store.file);
    const oldDir = path.join(root, 'crops-old');
    const newDir = path.join(root, 'crops-new');
    const captured = NOW - 31 * DAY_MS;
    const before = new StoreReadSink(store, { cropsDir: oldDir, storeCrops: true, logger: quietLogger() });
    const passes = [0, 1, 2].map((i) =>
      makePass({ capturedAt: captured + i, plate: `OLD${i}`, rawText: `OLD${i}`, cropJpeg: JPEG }),
    );
    const ids = before.store(passes, verdictId, 'm1', captured + 1000);
    const crops = ids.map(
      (id) => resolveCropPath(oldDir, store.reads.findById(id, captured + 1000)!.cropPath!)!,
    );
    expect(crops.every((f) => f.startsWith(oldDir) && existsSync(f))).toBe(true);
    rmSync(crops[2]!); // lost before the purge (a disk replaced, an operator's cleanup)

    // The operator moves crops to a new directory; the purge is configured with it.
    mkdirSync(newDir);
    const outcome = await purgeService(store, { clock: () => NOW, cropsDir: newDir }).run({
      runId: 'moved',
      trigger: 'manual',
    });
    expect(outcome.kind === 'completed' && outcome.receipt).toMatchObject({
      rowsDeleted: 3,
      filesDeleted: 2,
      filesMissing: 1,
      fileErrors: 0,
    });
    expect(crops.filter(existsSync)).toEqual([]);
    store.close();
  });
});

describe('purge and a reader holding an old snapshot', () => {
  it('retries the WAL truncate until the reader lets go, so no deleted plate stays on disk', async () => {
    const { store, verdictId } = openSeededStore();
    const deleted = Array.from({ length: 400 }, (_, i) => `QZW${String(i).padStart(4, '0')}`);
    store.reads.insertMany(
      deleted.map((p, i) => makeRead({ verdictId, plate: p, rawText: p, capturedAt: NOW - 31 * DAY_MS - i })),
      NOW,
    );
    store.reads.insertMany(
      [makeRead({ verdictId, plate: 'KEEP001', rawText: 'KEEP001', capturedAt: NOW - DAY_MS })],
      NOW,
    );
    // Everything so far is in the main file; the reader's snapshot is of this state.
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const reader = new Database(store.file, { readonly: true });
    reader.exec('BEGIN');
    expect(reader.prepare('SELECT count(*) AS n FROM reads').get()).toEqual({ n: 401 });

    const service = purgeService(store, {
      clock: () => NOW,
      walRetry: { firstDelayMs: 50, maxDelayMs: 400, giveUpAfterMs: 60_000 },
    });
    const outcome = await service.run({ runId: 'held-open', trigger: 'manual' });
    expect(outcome.kind === 'completed' && outcome.receipt).toMatchObject({
      rowsDeleted: 400,
      walTruncated: false,
    });
    const held = databaseBytes(store.file);
    expect(deleted.filter((p) => held.includes(p)).length).toBe(deleted.length); // still on disk

    await new Promise((r) => setTimeout(r, 500));
    reader.exec('COMMIT');
    reader.close();
    await eventually('the WAL to be truncated', () => statSync(`${store.file}-wal`).size === 0);
    const after = databaseBytes(store.file);
    expect(deleted.filter((p) => after.includes(p))).toEqual([]);
    expect(after.includes('KEEP001')).toBe(true);
    const events = store.audit.list({ kind: AuditKind.purgeWalTruncated }).map((e) => JSON.parse(e.payload));
    expect(events).toEqual([expect.objectContaining({ runId: 'held-open', attempts: expect.any(Number) })]);
    expect(service.walStatus()).toMatchObject({ pending: false });
    store.close();
  });
});
