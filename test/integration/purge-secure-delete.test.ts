import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HoldService } from '../../shared/holds/hold.service.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { makeHoldRequest, makeRead } from '../support/factories.js';
import { openSeededStore, purgeService } from '../support/purge.js';

const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
/** Plates no other byte sequence in the file could spell by accident. */
const plate = (prefix: string, n: number) =>
  prefix +
  Array.from({ length: 6 }, (_, k) => LETTERS[Math.floor(n / LETTERS.length ** k) % LETTERS.length]).join('');

function databaseBytes(file: string): Buffer {
  return Buffer.concat(
    [file, `${file}-wal`, `${file}-shm`, `${file}-journal`].filter(existsSync).map((f) => readFileSync(f)),
  );
}

describe('purge with secure_delete', () => {
  it('leaves no byte of a deleted plate in the database files', async () => {
    const now = Date.now();
    const { store, verdictId } = openSeededStore();
    const read = (p: string, capturedAt: number) =>
      makeRead({ verdictId, plate: p, rawText: p, capturedAt, evidence: { perFrame: [p, p, p] } });
    const deleted = Array.from({ length: 3000 }, (_, i) => plate('QZ', i * 7919));
    const kept = Array.from({ length: 200 }, (_, i) => plate('KP', i * 104729));
    for (let i = 0; i < deleted.length; i += 500) {
      store.reads.insertMany(
        deleted.slice(i, i + 500).map((p, j) => read(p, now - 31 * DAY_MS - i - j)),
        now,
      );
    }
    store.reads.insertMany(
      kept.map((p, j) => read(p, now - DAY_MS - j)),
      now,
    );
    const [heldId] = store.reads.insertMany([read('HLDZZZ9', now - 10 * DAY_MS)], now);
    const holds = new HoldService(store, { maxCameraRangeHours: 24 });
    const hold = holds.create(
      makeHoldRequest({ crimeType: 'PC10851', reason: 'stolen vehicle', readIds: [String(heldId)] }),
      now - 5 * DAY_MS,
    );
    expect(hold.ok).toBe(true);

    // Sanity: the search finds plates that are there (in the table, the plate index, the WAL).
    const before = databaseBytes(store.file);
    expect(deleted.filter((p) => before.includes(p)).length).toBe(deleted.length);

    const later = now + 25 * DAY_MS; // the held read is now 35 days old; the kept ones 26
    const outcome = await purgeService(store, { clock: () => later, chunkSize: 250 }).run({
      runId: 'sd',
      trigger: 'manual',
    });
    expect(outcome.kind === 'completed' && outcome.receipt).toMatchObject({
      rowsDeleted: 3000,
      heldSkipped: 1,
    });

    const after = databaseBytes(store.file);
    expect(deleted.filter((p) => after.includes(p))).toEqual([]);
    expect(kept.every((p) => after.includes(p))).toBe(true);
    expect(after.includes('HLDZZZ9')).toBe(true);
    store.close();
    const closed = databaseBytes(store.file);
    expect(deleted.filter((p) => closed.includes(p))).toEqual([]);
  });
});
