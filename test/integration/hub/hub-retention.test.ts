// Hub retention by partition on both engines: the cutoff filter, partitions ahead and on demand, the drop
// of a whole expired day with its held reads copied to evidence, the trim of the boundary day, release,
// receipts in the audit chain, the clock check and the lease.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubAuditLog } from '../../../hub/audit/hub-audit-log.js';
import { RetentionKind } from '../../../hub/retention/day-drop.js';
import type { HubRetentionReceipt } from '../../../hub/retention/retention.service.js';
import {
  ensureReadPartitionWithinRetention,
  listReadPartitions,
  PastRetentionError,
} from '../../../hub/store/read-partitions.js';
import { hubRetentionCutoff, withinRetentionSql } from '../../../hub/store/retention-cutoff.js';
import { DAY_MS, HOUR_MS } from '../../../shared/runtime/clock.js';
import { eventually } from '../../support/eventually.js';
import { HUB_ENGINES, openTestHubDb, type TestHubDb } from '../../support/hub-db.js';
import {
  auditPayloads,
  count,
  DAY0,
  holdService,
  insertReadsOnDay,
  readHold,
  retentionService,
  seedHub,
} from '../../support/hub-retention.js';

const completed = (outcome: Awaited<ReturnType<ReturnType<typeof retentionService>['run']>>) => {
  if (outcome.kind !== 'completed') throw new Error(`run was ${outcome.kind}`);
  return outcome.receipt;
};

describe.each(HUB_ENGINES)('hub retention on %s', (engine) => {
  let t: TestHubDb;
  let verdictId: number;
  beforeEach(async () => {
    t = await openTestHubDb(engine);
    ({ verdictId } = await seedHub(t.db));
  });
  afterEach(async () => {
    await t.drop();
  });

  it('never returns a read past the cutoff, even before retention has run (RET-02)', async () => {
    await insertReadsOnDay(t.db, {
      verdictId,
      day: DAY0,
      count: 24,
      firstId: 1,
      offsetMs: 0,
      stepMs: HOUR_MS,
    });
    // Thirty days after 12:00 on DAY0: the reads of 00:00-11:00 are past retention, 12:00-23:00 are not.
    const now = DAY0 + 30 * DAY_MS + 12 * HOUR_MS;
    const rows = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM reads r WHERE ${withinRetentionSql('r', 1)}`,
      [hubRetentionCutoff(now, 30)],
    );
    expect(rows[0]!.n).toBe(12);
    expect(await count(t.db, 'reads')).toBe(24);
  });

  it('creates the partitions of today and the days ahead, and on demand only for reads within retention', async () => {
    const now = DAY0 + 10 * DAY_MS + 5 * HOUR_MS;
    const receipt = completed(
      await retentionService(t.db, () => now, { partitionsAheadDays: 3 }).run('r1', 'manual'),
    );
    expect(receipt.partitionsCreated).toBe(4);
    expect((await listReadPartitions(t.db)).map((p) => p.name)).toEqual([
      'reads_p20260311',
      'reads_p20260312',
      'reads_p20260313',
      'reads_p20260314',
    ]);
    // A late read 20 days old still gets its day; one 31 days old is refused and creates nothing.
    expect(await ensureReadPartitionWithinRetention(t.db, now - 20 * DAY_MS, now, 30)).toBe(
      'reads_p20260219',
    );
    await expect(ensureReadPartitionWithinRetention(t.db, now - 31 * DAY_MS, now, 30)).rejects.toThrow(
      PastRetentionError,
    );
    expect(await listReadPartitions(t.db)).toHaveLength(5);
  });

  it('drops a day wholly past the cutoff in one transaction, keeping its held reads as evidence', async () => {
    await insertReadsOnDay(t.db, { verdictId, day: DAY0, count: 500, firstId: 1 });
    await insertReadsOnDay(t.db, { verdictId, day: DAY0 + DAY_MS, count: 50, firstId: 1001 });
    const held = await holdService(t.db).create(readHold([7, 8, 9]), DAY0 + 2 * DAY_MS);
    expect(held.ok).toBe(true);
    const before = await t.db.query(
      'SELECT * FROM reads WHERE edge_read_id IN (7, 8, 9) ORDER BY edge_read_id',
    );

    const now = DAY0 + 31 * DAY_MS + HOUR_MS; // DAY0 is wholly past; DAY0+1 is the boundary day
    const receipt = completed(await retentionService(t.db, () => now).run('r1', 'schedule'));

    expect((await listReadPartitions(t.db)).map((p) => p.name)).not.toContain('reads_p20260301');
    const evidence = await t.db.query<Record<string, unknown>>(
      'SELECT * FROM evidence_reads ORDER BY edge_read_id',
    );
    expect(evidence.map(({ moved_at: _moved, ...read }) => read)).toEqual(before);
    expect(await count(t.db, 'hold_reads', 'evidence_read_id IS NOT NULL AND live_at IS NULL')).toBe(3);

    const [drop] = await auditPayloads(t.db, RetentionKind.partitionDropped);
    expect(drop).toMatchObject({
      day: '2026-03-01',
      partition: 'reads_p20260301',
      rowsDropped: 497,
      rowsKeptUnderHold: 3,
      cutoff: new Date(now - 30 * DAY_MS).toISOString(),
      retentionDays: 30,
      runId: 'r1',
    });
    expect(typeof drop!.durationMs).toBe('number');
    expect(receipt).toMatchObject({
      daysDropped: 1,
      rowsDropped: 497,
      heldKept: 3,
      retentionMet: true,
      errors: [],
    });
    expect(await new HubAuditLog().verify(t.db)).toMatchObject({ ok: true });
  });

  it('trims the expired part of the boundary day, leaving its held and unexpired reads (RET-01)', async () => {
    await insertReadsOnDay(t.db, {
      verdictId,
      day: DAY0,
      count: 24,
      firstId: 1,
      offsetMs: 0,
      stepMs: HOUR_MS,
    });
    expect((await holdService(t.db).create(readHold([2]), DAY0 + DAY_MS)).ok).toBe(true);
    const now = DAY0 + 30 * DAY_MS + 12 * HOUR_MS + 1; // reads at 00:00..12:00 expired
    const receipt = completed(await retentionService(t.db, () => now).run('r1', 'schedule'));
    expect(receipt).toMatchObject({ daysDropped: 0, rowsTrimmed: 12, heldKept: 1, unheldExpiredLeft: 0 });
    expect(receipt.retentionMet).toBe(true);
    expect(await count(t.db, 'reads_p20260301')).toBe(12);
    expect(await count(t.db, 'reads', 'edge_read_id = 2')).toBe(1);
    const [trim] = await auditPayloads(t.db, RetentionKind.rowsTrimmed);
    expect(trim).toMatchObject({ day: '2026-03-01', rowsDeleted: 12, heldKept: 1 });
  });

  it('deletes a held read past retention with its release, wherever it is (RET-05)', async () => {
    await insertReadsOnDay(t.db, { verdictId, day: DAY0, count: 10, firstId: 1 });
    const service = holdService(t.db);
    const a = await service.create(readHold([1, 2]), DAY0 + DAY_MS);
    const b = await service.create(readHold([2, 3], 'C-2026-002'), DAY0 + DAY_MS);
    if (!a.ok || !b.ok) throw new Error('holds not created');
    const later = DAY0 + 40 * DAY_MS;
    completed(await retentionService(t.db, () => later).run('r1', 'schedule'));
    expect(await count(t.db, 'evidence_reads')).toBe(3);

    // Read 2 is also under hold b: releasing a deletes read 1 only.
    const releasedA = await service.release(
      a.value.hold.id,
      { releasedBy: 'lt.chen', reason: 'case closed' },
      later,
    );
    expect(releasedA.ok && releasedA.value.readsDeleted).toBe(1);
    expect(
      (await t.db.query<{ id: number }>('SELECT edge_read_id AS id FROM evidence_reads ORDER BY 1')).map(
        (r) => r.id,
      ),
    ).toEqual([2, 3]);
    const releasedB = await service.release(
      b.value.hold.id,
      { releasedBy: 'lt.chen', reason: 'case closed' },
      later,
    );
    expect(releasedB.ok && releasedB.value.readsDeleted).toBe(2);
    expect(await count(t.db, 'evidence_reads')).toBe(0);
    const released = await auditPayloads(t.db, 'hold.released');
    expect(released.map((p) => p.readsDeleted)).toEqual([1, 2]);
  });

  it('keeps a released hold’s reads that are still within retention', async () => {
    await insertReadsOnDay(t.db, { verdictId, day: DAY0, count: 5, firstId: 1 });
    const service = holdService(t.db);
    const created = await service.create(readHold([1]), DAY0 + DAY_MS);
    if (!created.ok) throw new Error('hold not created');
    const released = await service.release(
      created.value.hold.id,
      { releasedBy: 'lt.chen', reason: 'done' },
      DAY0 + 2 * DAY_MS,
    );
    expect(released.ok && released.value.readsDeleted).toBe(0);
    expect(await count(t.db, 'reads')).toBe(5);
  });

  it('flags a clock that went backwards, keeps the last cutoff and never reports retention met', async () => {
    await insertReadsOnDay(t.db, { verdictId, day: DAY0, count: 10, firstId: 1 });
    const first = completed(await retentionService(t.db, () => DAY0 + 40 * DAY_MS).run('r1', 'schedule'));
    expect(first.retentionMet).toBe(true);
    const back = DAY0 + 35 * DAY_MS;
    const second = completed(await retentionService(t.db, () => back).run('r2', 'schedule'));
    expect(second.clock).toEqual({
      status: 'backwards',
      byMs: 5 * DAY_MS,
      lastRunAt: new Date(DAY0 + 40 * DAY_MS).toISOString(),
    });
    expect(second.cutoff).toBe(first.cutoff);
    expect(second.retentionMet).toBe(false);
    const runs = await auditPayloads<HubRetentionReceipt>(t.db, RetentionKind.run);
    expect(runs.map((r) => r.retentionMet)).toEqual([true, false]);
  });

  it('lets one run hold the lease at a time: a second is busy, then free once the first ends', async () => {
    const clock = () => DAY0 + 40 * DAY_MS;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await insertReadsOnDay(t.db, { verdictId, day: DAY0, count: 10, firstId: 1 });
    const first = retentionService(t.db, clock, {
      pause: (step) => (step === 'leased' ? gate : Promise.resolve()),
    }).run('first', 'schedule');
    const other = retentionService(t.db, clock);
    await eventually(
      'one hub lease',
      async () => (await t.db.query('SELECT 1 FROM hub_leases')).length === 1,
    );
    const second = await other.run('second', 'schedule');
    expect(second).toMatchObject({ kind: 'busy', holder: { runId: 'first' } });
    release();
    expect((await first).kind).toBe('completed');
    expect((await other.run('third', 'schedule')).kind).toBe('completed');
    expect(await auditPayloads(t.db, RetentionKind.partitionDropped)).toHaveLength(1);
  });
});
