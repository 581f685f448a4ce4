// Migration 2 on a store written by the previous version, and the hold rules the schema mirrors
// (identities, camera holds) when the service is bypassed.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../shared/audit/audit-log.js';
import { HoldService } from '../../shared/holds/hold.service.js';
import { HOUR_MS } from '../../shared/runtime/clock.js';
import { LATEST_VERSION, MIGRATIONS } from '../../shared/store/migrations.js';
import { openStore } from '../../shared/store/store.js';
import { makeHoldRequest, makeRead, placeHold, seedCompliantCamera, T0 } from '../support/factories.js';
import { tempDir } from '../support/temp-dir.js';

/** A file at schema version 1 with a camera, reads, a hold (with a non-normalised requester) and events. */
function versionOneStore(): string {
  const file = path.join(tempDir(), 'v1.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(MIGRATIONS.find((m) => m.version === 1)!.sql);
  db.pragma('user_version = 1');
  db.exec(`INSERT INTO cameras VALUES ('cam-1', 'h', '{}', 0, 0);
    INSERT INTO compliance_verdicts (camera_id, camera_hash, registry_version, compliant, evaluated_at)
      VALUES ('cam-1', 'h', 'r1', 1, 0);`);
  const read = db.prepare(`INSERT INTO reads (camera_id, plate, raw_text, confidence, char_confidences,
    captured_at, box_x, box_y, box_w, box_h, model_id, verdict_id, stored_at)
    VALUES ('cam-1', ?, ?, 0.9, '[]', ?, 0, 0, 10, 5, 'm', 1, ?)`);
  read.run('7ABC123', '7ABC123', T0, T0);
  read.run('8XYZ999', '8XYZ999', T0, T0);
  db.exec(`INSERT INTO holds (case_number, crime_type, reason, requested_by, approved_by, scope, created_at)
      VALUES ('C-OLD', 'PC211', 'robbery', 'Det.A', 'lt.b', '{"kind":"reads","readIds":[1]}', ${T0});
    INSERT INTO hold_reads VALUES (1, 1);`);
  const log = new AuditLog(db);
  for (let i = 0; i < 4; i++) log.append({ kind: 'test.event', actor: 'v1', payload: { i } }, T0 + i);
  db.close();
  return file;
}

describe('migration 2 on a version 1 store', () => {
  it('migrates cleanly: every row kept, the chain intact, the new guards in force on old rows', () => {
    const file = versionOneStore();
    const store = openStore(file, { retentionDays: 30 });
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(store.reads.countAll()).toBe(2);
    expect(store.holds.get(1)).toMatchObject({ caseNumber: 'C-OLD', requestedBy: 'Det.A', readCount: 1 });
    expect(store.audit.verify()).toMatchObject({ ok: true, rows: 4 });
    expect(() => store.db.exec('DELETE FROM hold_reads WHERE hold_id = 1')).toThrow(/stays linked/);
    expect(() => store.db.exec("UPDATE holds SET approved_by = 'x' WHERE id = 1")).toThrow(
      /cannot be edited/,
    );
    expect(store.db.prepare('SELECT count(*) AS n FROM hold_reads').get()).toEqual({ n: 1 });

    // The old hold is released, and new holds are created, through the service as usual.
    const service = new HoldService(store, { maxCameraRangeHours: 24 });
    const released = service.release(1, { releasedBy: 'Lt.B', reason: 'case closed' }, T0 + HOUR_MS);
    expect(released.ok && released.value.hold).toMatchObject({ releasedBy: 'lt.b' });
    const created = service.create(
      makeHoldRequest({ caseNumber: 'C-NEW', crimeType: 'PC459', requestedBy: 'det.c', readIds: ['2'] }),
      T0 + HOUR_MS,
    );
    expect(created.ok && created.value.matched).toBe(1);
    expect(store.audit.verify()).toMatchObject({ ok: true, rows: 6 });
    store.close();
  });
});

describe('the schema mirrors the hold rules when the service is bypassed', () => {
  const fresh = () => {
    const store = openStore(path.join(tempDir(), 'alpr.db'), { retentionDays: 30 });
    const verdictId = seedCompliantCamera(store);
    const [readId] = store.reads.insertMany([makeRead({ verdictId })], T0) as [number];
    return { store, readId };
  };

  it.each([
    ['upper case', 'Det.A'],
    ['surrounding space', 'det.a '],
    ['a zero-width space', 'det.a\u200b'],
    ['a right-to-left override', 'det\u202e.a'],
    ['a fullwidth letter', 'ｄet.a'],
    ['a doubled space', 'det  a'],
  ])('refuses a requester with %s', (_what, requestedBy) => {
    const { store, readId } = fresh();
    expect(() => placeHold(store, [readId], { requestedBy })).toThrow(/identities must be normalised/);
    expect(store.holds.list()).toEqual([]);
    store.close();
  });

  it('refuses requester = approver once both are normalised', () => {
    const { store, readId } = fresh();
    expect(() => placeHold(store, [readId], { requestedBy: 'det.a', approvedBy: 'det.a' })).toThrow(/CHECK/);
    store.close();
  });

  it('refuses plate-less camera holds longer than 72 h, overlapping, adjoining or together over 72 h', () => {
    const { store, readId } = fresh();
    const camera = (from: number, to: number) => ({
      scope: { kind: 'camera' as const, cameraId: 'cam-1', from, to },
    });
    expect(() => placeHold(store, [readId], camera(T0, T0 + 73 * HOUR_MS))).toThrow(/72 h/);
    placeHold(store, [readId], camera(T0, T0 + 24 * HOUR_MS));
    expect(() => placeHold(store, [], camera(T0 + 24 * HOUR_MS, T0 + 30 * HOUR_MS))).toThrow(/adjoin/);
    expect(() => placeHold(store, [], camera(T0 + 10 * HOUR_MS, T0 + 30 * HOUR_MS))).toThrow(/overlap/);
    placeHold(store, [], camera(T0 + 25 * HOUR_MS, T0 + 73 * HOUR_MS));
    expect(() => placeHold(store, [], camera(T0 + 74 * HOUR_MS, T0 + 75 * HOUR_MS))).toThrow(/exceed 72 h/);
    // With a plate, a camera hold is not a blanket hold: not limited.
    placeHold(store, [], {
      scope: { kind: 'camera', cameraId: 'cam-1', from: T0, to: T0 + 200 * HOUR_MS, plate: '7ABC123' },
    });
    expect(store.holds.list()).toHaveLength(3);
    store.close();
  });
});
