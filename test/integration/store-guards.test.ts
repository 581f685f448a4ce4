// The schema's own refusals (migration 2), statement form by statement form, through a raw connection:
// what a bug, a script or someone with the sqlite3 shell could run against the store.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../../shared/runtime/clock.js';
import { openStore, type Store } from '../../shared/store/store.js';
import { makeRead, placeHold, releaseHold, seedCompliantCamera, T0 } from '../support/factories.js';
import { tempDir } from '../support/temp-dir.js';

/** A store with an audit chain, two reads, an active hold on the first and a released hold on the second. */
function guardedStore() {
  const store = openStore(path.join(tempDir(), 'alpr.db'), { retentionDays: 30 });
  const verdictId = seedCompliantCamera(store);
  const [held, other] = store.reads.insertMany(
    [makeRead({ verdictId }), makeRead({ verdictId, plate: '8XYZ999' })],
    T0,
  ) as [number, number];
  for (let i = 0; i < 3; i++) store.audit.append({ kind: 'test.event', actor: 'tester', payload: { i } }, T0);
  const active = placeHold(store, [held], { caseNumber: 'C-ACTIVE' });
  const released = placeHold(store, [other], { caseNumber: 'C-RELEASED' });
  releaseHold(store, released, T0 + 1);
  return { store, held, other, active, released };
}

const rows = (store: Store, table: string) => store.db.prepare(`SELECT * FROM ${table}`).all();

/** Run `sql`; expect it refused and the table unchanged. */
function expectRefused(store: Store, table: string, sql: string, message: RegExp) {
  const before = rows(store, table);
  expect(() => store.db.exec(sql)).toThrow(message);
  expect(rows(store, table)).toEqual(before);
}

const AUDIT_ROW = (seq: number, hash: string) =>
  `(${seq}, 1, 'forged', 'mallory', '{}', '${'0'.repeat(64)}', '${hash}')`;
const AUDIT_COLUMNS = 'audit_events (seq, at, kind, actor, payload, prev_hash, hash)';

describe('audit_events refuses every way of replacing, changing or removing a row', () => {
  const existingHash = (store: Store) =>
    (store.db.prepare('SELECT hash FROM audit_events WHERE seq = 1').get() as { hash: string }).hash;
  it.each([
    ['DELETE', () => 'DELETE FROM audit_events WHERE seq = 2', /append-only/],
    ['UPDATE', () => "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2", /append-only/],
    [
      'INSERT OR REPLACE (same seq)',
      () => `INSERT OR REPLACE INTO ${AUDIT_COLUMNS} VALUES ${AUDIT_ROW(2, 'f'.repeat(64))}`,
      /append-only/,
    ],
    [
      'REPLACE (same hash, new seq)',
      (store: Store) => `REPLACE INTO ${AUDIT_COLUMNS} VALUES ${AUDIT_ROW(99, existingHash(store))}`,
      /append-only/,
    ],
    [
      'UPSERT (ON CONFLICT DO UPDATE)',
      () =>
        `INSERT INTO ${AUDIT_COLUMNS} VALUES ${AUDIT_ROW(2, 'f'.repeat(64))} ON CONFLICT(seq) DO UPDATE SET actor = 'mallory'`,
      /append-only/,
    ],
    [
      'INSERT OR IGNORE into the middle',
      () => `INSERT OR IGNORE INTO ${AUDIT_COLUMNS} VALUES ${AUDIT_ROW(2, 'f'.repeat(64))}`,
      /append-only/,
    ],
  ] as const)('%s', (_form, sql, message) => {
    const { store } = guardedStore();
    expectRefused(store, 'audit_events', sql(store), message);
    expect(store.audit.verify()).toMatchObject({ ok: true });
    store.close();
  });

  it('refuses a new row that does not extend the chain (wrong seq or prev_hash)', () => {
    const { store } = guardedStore();
    const head = store.audit.head()!;
    expectRefused(
      store,
      'audit_events',
      `INSERT INTO ${AUDIT_COLUMNS} VALUES (${head.seq + 1}, 1, 'k', 'a', '{}', '${'0'.repeat(64)}', '${'e'.repeat(64)}')`,
      /must extend the chain/,
    );
    expectRefused(
      store,
      'audit_events',
      `INSERT INTO ${AUDIT_COLUMNS} VALUES (${head.seq + 5}, 1, 'k', 'a', '{}', '${head.hash}', '${'e'.repeat(64)}')`,
      /must extend the chain/,
    );
    store.close();
  });
});

describe('audit_events refuses a payload that is not canonical JSON (as far as SQLite can tell)', () => {
  it.each([
    ['a duplicate key', '{"a":1,"a":2}'],
    ['whitespace outside strings', '{ "a":1}'],
    ['keys out of order', '{"b":1,"a":2}'],
    ['nested keys out of order', '{"a":[{"y":1,"x":2}]}'],
    ['text that is not JSON', 'not json'],
    ['JSON5', '{a:1}'],
    ['an array instead of an object', '[1,2]'],
  ])('%s', (_what, payload) => {
    const { store } = guardedStore();
    const head = store.audit.head()!;
    expect(() =>
      store.db
        .prepare(`INSERT INTO ${AUDIT_COLUMNS} VALUES (?, 1, 'k', 'a', ?, ?, ?)`)
        .run(head.seq + 1, payload, head.hash, 'e'.repeat(64)),
    ).toThrow(/not canonical JSON/);
    store.close();
  });

  it('accepts canonical payloads, strings with spaces and non-ASCII keys included', () => {
    const { store } = guardedStore();
    const row = store.audit.append(
      { kind: 'k', actor: 'a', payload: { z: 1, é: 'x y', b: [1, { c: null }] } },
      T0,
    );
    expect(row.payload).toBe('{"b":[1,{"c":null}],"z":1,"é":"x y"}');
    store.close();
  });
});

describe('holds: never replaced or removed; an active hold changes only by its audited release', () => {
  const HOLD_COLUMNS =
    'holds (id, case_number, crime_type, reason, requested_by, approved_by, scope, created_at)';
  const holdValues = (id: number) =>
    `(${id}, 'C-X', 'X', 'r', 'det.x', 'lt.y', '{"kind":"reads","readIds":[]}', 1)`;
  it.each([
    ['DELETE', (id: number) => `DELETE FROM holds WHERE id = ${id}`, /never deleted/],
    [
      'UPDATE of the case number',
      (id: number) => `UPDATE holds SET case_number = 'C-OTHER' WHERE id = ${id}`,
      /cannot be edited/,
    ],
    [
      'UPDATE of the approver',
      (id: number) => `UPDATE holds SET approved_by = 'someone.else' WHERE id = ${id}`,
      /cannot be edited/,
    ],
    [
      'UPDATE of the scope',
      (id: number) => `UPDATE holds SET scope = '{"kind":"reads","readIds":[]}' WHERE id = ${id}`,
      /cannot be edited/,
    ],
    [
      'INSERT OR REPLACE',
      (id: number) => `INSERT OR REPLACE INTO ${HOLD_COLUMNS} VALUES ${holdValues(id)}`,
      /never replaced/,
    ],
    ['REPLACE', (id: number) => `REPLACE INTO ${HOLD_COLUMNS} VALUES ${holdValues(id)}`, /never replaced/],
    [
      'UPSERT (ON CONFLICT DO UPDATE)',
      (id: number) =>
        `INSERT INTO ${HOLD_COLUMNS} VALUES ${holdValues(id)} ON CONFLICT(id) DO UPDATE SET case_number = 'C-X'`,
      /never replaced/,
    ],
  ] as const)('%s', (_form, sql, message) => {
    const { store, active, held } = guardedStore();
    expectRefused(store, 'holds', sql(active), message);
    expect(store.holds.get(active)).toMatchObject({ caseNumber: 'C-ACTIVE', releasedAt: null });
    expect(store.holds.isHeld(held)).toBe(true);
    store.close();
  });

  it('refuses a release written without its hold.released audit event', () => {
    const { store, active } = guardedStore();
    expectRefused(
      store,
      'holds',
      `UPDATE holds SET released_at = 5, released_by = 'lt.b', release_reason = 'x' WHERE id = ${active}`,
      /only right after its hold.released audit event/,
    );
    store.close();
  });

  it('allows exactly the one release update, right after its audit event, and nothing after it', () => {
    const { store, active } = guardedStore();
    expect(releaseHold(store, active, T0 + 5)).toBe(true);
    expect(store.holds.get(active)).toMatchObject({ releasedAt: T0 + 5, releasedBy: 'lt.b' });
    expectRefused(
      store,
      'holds',
      `UPDATE holds SET release_reason = 'changed' WHERE id = ${active}`,
      /released hold cannot change/,
    );
    store.close();
  });

  it('refuses a hold row that its hold.created audit event did not come right before', () => {
    const { store } = guardedStore();
    expectRefused(
      store,
      'holds',
      `INSERT INTO ${HOLD_COLUMNS} VALUES ${holdValues(50)}`,
      /hold.created audit event/,
    );
    store.close();
  });
});

describe('hold_reads: no link of an active hold is removed, replaced or edited', () => {
  const link = (holdId: number, readId: number) =>
    `hold_reads (hold_id, read_id) VALUES (${holdId}, ${readId})`;
  it.each([
    [
      'DELETE',
      (h: number, r: number) => `DELETE FROM hold_reads WHERE hold_id = ${h} AND read_id = ${r}`,
      /stays linked/,
    ],
    [
      'UPDATE (unlink by moving it)',
      (h: number, r: number) => `UPDATE hold_reads SET read_id = ${r + 1000} WHERE hold_id = ${h}`,
      /never edited/,
    ],
    ['INSERT OR REPLACE', (h: number, r: number) => `INSERT OR REPLACE INTO ${link(h, r)}`, /never replaced/],
    ['REPLACE', (h: number, r: number) => `REPLACE INTO ${link(h, r)}`, /never replaced/],
    [
      'UPSERT (ON CONFLICT DO UPDATE)',
      (h: number, r: number) => `INSERT INTO ${link(h, r)} ON CONFLICT DO UPDATE SET read_id = ${r}`,
      /never replaced/,
    ],
  ] as const)('%s', (_form, sql, message) => {
    const { store, active, held } = guardedStore();
    expectRefused(store, 'hold_reads', sql(active, held), message);
    expect(store.holds.isHeld(held)).toBe(true);
    store.close();
  });

  it('keeps a held read: unlinking it fails, so deleting it fails too (the item-4 attack)', () => {
    const { store, active, held } = guardedStore();
    expect(() => store.db.exec(`DELETE FROM hold_reads WHERE hold_id = ${active}`)).toThrow(/stays linked/);
    expect(() => store.db.exec(`DELETE FROM reads WHERE id = ${held}`)).toThrow(/active evidentiary hold/);
    expect(store.reads.countAll()).toBe(2);
    store.close();
  });

  it('refuses new links to an existing hold (a hold covers what it was created with)', () => {
    const { store, active, released, other } = guardedStore();
    expectRefused(
      store,
      'hold_reads',
      `INSERT INTO ${link(active, other)}`,
      /only while the hold is being created/,
    );
    expectRefused(
      store,
      'hold_reads',
      `INSERT INTO ${link(released, other + 1)}`,
      /only while the hold is being created|FOREIGN KEY/,
    );
    store.close();
  });

  it('lets the purge delete a read whose only hold was released (the link goes with it)', () => {
    const { store, other } = guardedStore();
    expect(store.db.prepare('DELETE FROM reads WHERE id = ?').run(other).changes).toBe(1);
    expect(store.db.prepare('SELECT count(*) AS n FROM hold_reads WHERE read_id = ?').get(other)).toEqual({
      n: 0,
    });
    store.close();
  });
});

describe('reads: a stored read is never replaced or edited', () => {
  it.each([
    [
      'INSERT OR REPLACE of a held read',
      (id: number) => `INSERT OR REPLACE INTO reads SELECT * FROM reads WHERE id = ${id}`,
    ],
    ['REPLACE of a read', (id: number) => `REPLACE INTO reads SELECT * FROM reads WHERE id = ${id}`],
    [
      'UPDATE of the capture time (outliving retention)',
      (id: number) => `UPDATE reads SET captured_at = captured_at + ${400 * DAY_MS} WHERE id = ${id}`,
    ],
    [
      'UPDATE of the plate of a held read',
      (id: number) => `UPDATE reads SET plate = 'FORGED' WHERE id = ${id}`,
    ],
  ] as const)('%s', (_form, sql) => {
    const { store, held } = guardedStore();
    expectRefused(store, 'reads', sql(held), /never replaced|cannot be edited/);
    store.close();
  });
});

describe('reads_require_compliant_verdict: only under the camera latest verdict', () => {
  it('refuses a stale compliant verdict id after the camera turned non-compliant', () => {
    const store = openStore(path.join(tempDir(), 'alpr.db'), { retentionDays: 30 });
    const stale = seedCompliantCamera(store);
    store.reads.insert(makeRead({ verdictId: stale }), T0);
    store.verdicts.insert({
      cameraId: 'cam-1',
      cameraHash: 'hash-cam-1',
      registryVersion: 'registry-v2',
      compliant: false,
      violations: [{ siteId: 's1', category: 'religious_observance', distanceM: 0, overlapM2: 10 }],
      evaluatedAt: T0 + HOUR_MS,
    });
    expect(() => store.reads.insert(makeRead({ verdictId: stale }), T0 + HOUR_MS)).toThrow(
      /no compliant verdict/,
    );
    const fresh = seedCompliantCamera(store, 'cam-1', T0 + 2 * HOUR_MS);
    expect(() => store.reads.insert(makeRead({ verdictId: stale }), T0)).toThrow(/no compliant verdict/);
    expect(store.reads.insert(makeRead({ verdictId: fresh }), T0 + 2 * HOUR_MS)).toBeGreaterThan(0);
    expect(store.reads.countAll()).toBe(2);
    store.close();
  });
});
