import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { LATEST_VERSION } from '../../shared/store/migrations.js';
import { openStore } from '../../shared/store/store.js';
import { makeRead, placeHold, releaseHold, seedCompliantCamera, T0 } from '../support/factories.js';
import { dropTriggersOn } from '../support/tamper.js';
import { tempDir } from '../support/temp-dir.js';

function newStore() {
  const file = path.join(tempDir(), 'nested', 'alpr.db');
  return openStore(file, { retentionDays: 30 });
}

describe('store', () => {
  it('migrates an empty file to the latest schema with the required pragmas', () => {
    const store = newStore();
    const pragma = (name: string) => store.db.pragma(name, { simple: true });
    expect(pragma('user_version')).toBe(LATEST_VERSION);
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('secure_delete')).toBe(1);
    expect(pragma('foreign_keys')).toBe(1);
    expect(pragma('busy_timeout')).toBe(5000);
    const tables = store.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'audit_events',
        'cameras',
        'compliance_verdicts',
        'hold_reads',
        'holds',
        'meta',
        'reads',
      ]),
    );
    store.close();
    store.close(); // idempotent
  });

  it('reopens an existing file without re-running migrations', () => {
    const store = newStore();
    store.audit.append({ kind: 'k', actor: 'a', payload: {} }, T0);
    store.close();
    const again = openStore(store.file, { retentionDays: 30 });
    expect(again.audit.verify()).toMatchObject({ ok: true, rows: 1 });
    again.close();
  });

  it('refuses a file from a newer version of the software', () => {
    const store = newStore();
    store.db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    store.close();
    expect(() => openStore(store.file, { retentionDays: 30 })).toThrow(/newer than this software supports/);
  });

  it('inserts a batch in one transaction: all or nothing', () => {
    const store = newStore();
    const verdictId = seedCompliantCamera(store);
    const ids = store.reads.insertMany(
      Array.from({ length: 500 }, (_, i) => makeRead({ verdictId, capturedAt: T0 + i, plate: `P${i}` })),
      T0,
    );
    expect(ids).toHaveLength(500);
    expect(store.reads.countAll()).toBe(500);
    const bad = [makeRead({ verdictId }), makeRead({ verdictId, confidence: 2 })];
    expect(() => store.reads.insertMany(bad, T0)).toThrow(/CHECK constraint/);
    expect(store.reads.countAll()).toBe(500);
    const stored = store.reads.findById(ids[0]!, T0)!;
    expect(stored).toMatchObject({
      plate: 'P0',
      charConfidences: makeRead().charConfidences,
      box: makeRead().box,
    });
    store.close();
  });

  it('refuses a read without a compliant verdict for its camera (fails closed in the schema)', () => {
    const store = newStore();
    seedCompliantCamera(store, 'cam-1');
    store.cameras.upsert({ id: 'cam-2', configHash: 'h2', config: '{}' }, T0);
    const refusedVerdict = store.verdicts.insert({
      cameraId: 'cam-2',
      cameraHash: 'h2',
      registryVersion: 'r1',
      compliant: false,
      violations: [{ siteId: 's1', category: 'religious_observance', distanceM: 0, overlapM2: 120 }],
      evaluatedAt: T0,
    });
    expect(() => store.reads.insert(makeRead({ cameraId: 'cam-2', verdictId: refusedVerdict }), T0)).toThrow(
      /no compliant verdict/,
    );
    expect(() => store.reads.insert(makeRead({ cameraId: 'cam-2', verdictId: 1 }), T0)).toThrow(
      /no compliant verdict/,
    );
    expect(() => store.reads.insert(makeRead({ verdictId: 999 }), T0)).toThrow(/no compliant verdict/);
    expect(store.reads.countAll()).toBe(0);
    store.close();
  });

  it('never returns a read past retention, unless it is held', () => {
    const store = newStore();
    const verdictId = seedCompliantCamera(store);
    const now = T0 + 40 * DAY_MS;
    const [old, held, fresh] = store.reads.insertMany(
      [
        makeRead({ verdictId, capturedAt: now - 30 * DAY_MS - 60_000 }),
        makeRead({ verdictId, capturedAt: now - 35 * DAY_MS }),
        makeRead({ verdictId, capturedAt: now - 29 * DAY_MS }),
      ],
      now,
    ) as [number, number, number];
    placeHold(store, [held], {}, now);
    expect(store.reads.findById(old, now)).toBeUndefined();
    expect(store.reads.findById(held, now)?.id).toBe(held);
    expect(
      store.reads
        .search({}, now)
        .map((r) => r.id)
        .sort(),
    ).toEqual([held, fresh].sort());
    store.close();
  });

  it('refuses to delete a read under an active hold, and allows it after release', () => {
    const store = newStore();
    const verdictId = seedCompliantCamera(store);
    const readId = store.reads.insert(makeRead({ verdictId }), T0);
    const holdId = placeHold(store, [readId], { caseNumber: 'C-2', crimeType: 'PC459' });
    const del = store.db.prepare('DELETE FROM reads WHERE id = ?');
    expect(() => del.run(readId)).toThrow(/active evidentiary hold/);
    expect(() => store.db.prepare('DELETE FROM holds').run()).toThrow(/never deleted/);
    expect(releaseHold(store, holdId, T0 + 1)).toBe(true);
    expect(store.holds.release(holdId, 'lt.b', 'again', T0 + 2)).toBe(false);
    expect(del.run(readId).changes).toBe(1);
    store.close();
  });

  it('refuses a hold approved by its own requester', () => {
    const store = newStore();
    expect(() => placeHold(store, [], { requestedBy: 'same', approvedBy: 'same' })).toThrow(
      /CHECK constraint/,
    );
    store.close();
  });

  it('overwrites deleted plates with secure_delete so they do not linger in the file', () => {
    const store = newStore();
    const verdictId = seedCompliantCamera(store);
    const ids = store.reads.insertMany(
      Array.from({ length: 200 }, (_, i) =>
        makeRead({ verdictId, plate: `ZQX${String(i).padStart(4, '0')}`, rawText: 'RAWZQX' }),
      ),
      T0,
    );
    store.db.prepare(`DELETE FROM reads WHERE id <= ?`).run(ids.at(-1)!);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    const bytes = readFileSync(store.file);
    expect(bytes.includes(Buffer.from('ZQX0042'))).toBe(false);
    expect(bytes.includes(Buffer.from('RAWZQX'))).toBe(false);
  });
});

describe('audit chain in the store', () => {
  function storeWithEvents(n: number) {
    const store = newStore();
    for (let i = 1; i <= n; i++)
      store.audit.append({ kind: 'test.event', actor: 'tester', payload: { i } }, T0 + i);
    // An attacker with the file can drop the append-only triggers; the chain must still catch them.
    dropTriggersOn(store.db, 'audit_events');
    return store;
  }

  it('is append-only through the schema', () => {
    const store = newStore();
    store.audit.append({ kind: 'k', actor: 'a', payload: {} }, T0);
    expect(() => store.db.prepare('UPDATE audit_events SET actor = ?').run('x')).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    store.close();
  });

  it('verifies an intact chain', () => {
    const store = storeWithEvents(6);
    expect(store.audit.verify()).toMatchObject({ ok: true, rows: 6, head: { seq: 6 } });
    store.close();
  });

  it('detects a modified row', () => {
    const store = storeWithEvents(6);
    store.db.prepare('UPDATE audit_events SET payload = \'{"i":99}\' WHERE seq = 4').run();
    expect(store.audit.verify()).toMatchObject({ ok: false, badSeq: 4 });
    store.close();
  });

  it('detects a deleted row', () => {
    const store = storeWithEvents(6);
    store.db.prepare('DELETE FROM audit_events WHERE seq = 3').run();
    expect(store.audit.verify()).toMatchObject({ ok: false, badSeq: 4 });
    store.close();
  });

  it('detects an inserted row', () => {
    const store = storeWithEvents(6);
    const row = store.db.prepare('SELECT * FROM audit_events WHERE seq = 2').get() as Record<string, unknown>;
    store.db.prepare('UPDATE audit_events SET seq = seq + 100 WHERE seq > 2').run();
    store.db.prepare('UPDATE audit_events SET seq = seq - 99 WHERE seq > 100').run();
    store.db
      .prepare(
        'INSERT INTO audit_events (seq, at, kind, actor, payload, prev_hash, hash) VALUES (3, ?, ?, ?, ?, ?, ?)',
      )
      .run(row.at, 'forged', 'mallory', '{}', row.hash, 'f'.repeat(64));
    expect(store.audit.verify()).toMatchObject({ ok: false, badSeq: 3 });
    store.close();
  });

  it('detects reordered rows', () => {
    const store = storeWithEvents(6);
    store.db.exec(
      'UPDATE audit_events SET seq = 100 WHERE seq = 2; UPDATE audit_events SET seq = 2 WHERE seq = 5; UPDATE audit_events SET seq = 5 WHERE seq = 100;',
    );
    expect(store.audit.verify()).toMatchObject({ ok: false, badSeq: 2 });
    store.close();
  });

  it('detects rows cut from the end', () => {
    const store = storeWithEvents(6);
    store.db.prepare('DELETE FROM audit_events WHERE seq > 4').run();
    expect(store.audit.verify()).toMatchObject({ ok: false, badSeq: 5 });
    store.close();
  });

  it('keeps one chain when two connections append alternately', () => {
    const a = newStore();
    const b = openStore(a.file, { retentionDays: 30 });
    for (let i = 0; i < 20; i++)
      (i % 2 ? a : b).audit.append({ kind: 'k', actor: i % 2 ? 'a' : 'b', payload: { i } }, T0 + i);
    expect(a.audit.verify()).toMatchObject({ ok: true, rows: 20 });
    a.close();
    b.close();
    const raw = new Database(a.file, { readonly: true });
    expect(raw.prepare('SELECT count(DISTINCT prev_hash) AS n FROM audit_events').get()).toEqual({ n: 20 });
    raw.close();
  });
});
