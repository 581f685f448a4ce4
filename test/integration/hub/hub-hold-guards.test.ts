// The hub database itself refuses to lose a held read or to rewrite a hold, whatever statement is tried
// (schema version 10), on both engines: every form of delete, update, truncate, detach and drop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubAuditLog } from '../../../hub/audit/hub-audit-log.js';
import { DAY_MS } from '../../../shared/runtime/clock.js';
import { HUB_ENGINES, openTestHubDb, type TestHubDb } from '../../support/hub-db.js';
import {
  count,
  DAY0,
  holdService,
  insertReadsOnDay,
  readHold,
  retentionService,
  seedHub,
} from '../../support/hub-retention.js';

const PARTITION = 'reads_p20260301';
const NOW = DAY0 + DAY_MS; // the reads are a day old: within retention

describe.each(HUB_ENGINES)('hold guards on %s', (engine) => {
  let t: TestHubDb;
  let holdId: number;
  beforeEach(async () => {
    t = await openTestHubDb(engine);
    const { verdictId } = await seedHub(t.db);
    await insertReadsOnDay(t.db, { verdictId, day: DAY0, count: 10, firstId: 1 });
    const created = await holdService(t.db).create(readHold([1, 2]), NOW);
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    holdId = created.value.hold.id;
  });
  afterEach(async () => {
    await t.drop();
  });

  const refused = async (sql: string, pattern: RegExp) => {
    await expect(t.db.exec(sql)).rejects.toThrow(pattern);
  };
  const heldReadsLeft = () => count(t.db, 'reads', 'edge_read_id IN (1, 2)');

  describe('a held read in its day partition', () => {
    it.each([
      ['DELETE through the parent', 'DELETE FROM reads WHERE edge_read_id = 1'],
      ['DELETE on the partition', `DELETE FROM ${PARTITION} WHERE edge_read_id = 1`],
      ['DELETE of every read', 'DELETE FROM reads'],
      ['DELETE … USING', 'DELETE FROM reads r USING edges e WHERE e.id = r.edge_id'],
    ])('survives %s', async (_form, sql) => {
      await refused(sql, /is evidence under an active hold/);
      expect(await heldReadsLeft()).toBe(2);
      expect(await count(t.db, 'reads')).toBe(10);
    });

    it.each([
      [
        'UPDATE of its plate',
        "UPDATE reads SET plate = 'X1', plate_key = 'X1' WHERE edge_read_id = 1",
        /is evidence under an active hold/,
      ],
      [
        'UPDATE of its capture time',
        "UPDATE reads SET captured_at = captured_at + interval '1 minute' WHERE edge_read_id = 1",
        /is evidence under an active hold/,
      ],
      [
        'UPDATE on the partition',
        `UPDATE ${PARTITION} SET confidence = 0.1 WHERE edge_read_id = 2`,
        /is evidence under an active hold/,
      ],
    ])('refuses %s', async (_form, sql, pattern) => {
      await refused(sql, pattern);
      const rows = await t.db.query<{ plate: string; confidence: number }>(
        'SELECT plate, confidence FROM reads WHERE edge_read_id IN (1, 2) ORDER BY edge_read_id',
      );
      expect(rows.map((r) => r.plate)).toEqual(['P000000', 'P000001']);
      expect(rows.every((r) => Math.abs(r.confidence - 0.9) < 1e-6)).toBe(true);
    });

    it.each([
      ['TRUNCATE reads', 'TRUNCATE reads', /referenced in a foreign key constraint/],
      ['TRUNCATE the partition', `TRUNCATE ${PARTITION}`, /referenced in a foreign key constraint/],
      ['TRUNCATE … CASCADE', `TRUNCATE ${PARTITION} CASCADE`, /reads of a hold are kept/],
      [
        'DETACH PARTITION',
        `ALTER TABLE reads DETACH PARTITION ${PARTITION}`,
        /violates foreign key constraint/,
      ],
      ['DROP TABLE of the partition', `DROP TABLE ${PARTITION}`, /other objects depend on it/],
      ['DROP TABLE … CASCADE', `DROP TABLE ${PARTITION} CASCADE`, /protects evidentiary holds/],
      [
        'DROP CONSTRAINT of the pin',
        'ALTER TABLE hold_reads DROP CONSTRAINT held_read_in_partition',
        /protects evidentiary holds/,
      ],
      ['DROP TABLE hold_reads', 'DROP TABLE hold_reads CASCADE', /protects evidentiary holds/],
    ])('survives %s', async (_form, sql, pattern) => {
      await refused(sql, pattern);
      expect(await heldReadsLeft()).toBe(2);
      expect(await count(t.db, 'hold_reads', 'live_at IS NOT NULL')).toBe(2);
    });

    it('is deleted normally once unheld: the guards are about holds, not every read', async () => {
      await t.db.exec('DELETE FROM reads WHERE edge_read_id = 5');
      expect(await count(t.db, 'reads')).toBe(9);
    });
  });

  describe('a hold', () => {
    it.each([
      ['DELETE', 'DELETE FROM holds', /never deleted/],
      ['TRUNCATE', 'TRUNCATE holds', /never deleted|referenced in a foreign key/],
      ['TRUNCATE … CASCADE', 'TRUNCATE holds CASCADE', /never deleted|reads of a hold are kept/],
      ['an edit of its reason', "UPDATE holds SET reason = 'something else'", /changes only by its release/],
      [
        'a release that also edits it',
        "UPDATE holds SET released_at = now(), released_by = 'lt.chen', release_reason = 'x', case_number = 'C-9'",
        /changes only by its release/,
      ],
      ['a half release', 'UPDATE holds SET released_at = now()', /holds_release_complete/],
    ])('refuses %s', async (_form, sql, pattern) => {
      await refused(sql, pattern);
      const hold = await holdService(t.db).get(holdId);
      expect(hold).toMatchObject({
        caseNumber: 'C-2026-001',
        reason: 'robbery suspect vehicle',
        releasedAt: null,
      });
    });

    it('refuses any change once released', async () => {
      const released = await holdService(t.db).release(
        holdId,
        { releasedBy: 'lt.chen', reason: 'case closed' },
        NOW,
      );
      expect(released.ok).toBe(true);
      await refused("UPDATE holds SET release_reason = 'rewritten'", /was released and cannot change/);
    });

    it('refuses a requester approving their own hold, whatever the case', async () => {
      await expect(
        t.db.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO holds (edge_id, case_number, crime_type, reason, requested_by, approved_by, scope, created_at)
             VALUES ('edge-01', 'C-1', 'PC211', 'r', 'det.a', ' DET.A', '{"kind":"reads","readIds":[3]}', now())`,
          );
        }),
      ).rejects.toThrow(/holds_approver_is_another_person/);
    });

    it('refuses a hold or a release whose audit entry is missing from its transaction', async () => {
      await expect(
        t.db.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO holds (edge_id, case_number, crime_type, reason, requested_by, approved_by, scope, created_at)
             VALUES ('edge-01', 'C-1', 'PC211', 'r', 'det.a', 'lt.b', '{"kind":"reads","readIds":[3]}', now())`,
          );
        }),
      ).rejects.toThrow(/has no hold.created audit entry/);
      await expect(
        t.db.transaction(async (tx) => {
          await tx.query(
            "UPDATE holds SET released_at = now(), released_by = 'lt.chen', release_reason = 'x' WHERE id = $1",
            [holdId],
          );
        }),
      ).rejects.toThrow(/has no hold.released audit entry/);
      expect(await count(t.db, 'holds')).toBe(1);
      expect(await count(t.db, 'holds', 'released_at IS NULL')).toBe(1);
    });
  });

  describe('the links of a hold', () => {
    it.each([
      ['DELETE', 'DELETE FROM hold_reads', /reads of a hold are kept/],
      ['TRUNCATE', 'TRUNCATE hold_reads', /reads of a hold are kept/],
      ['an unpin while active', 'UPDATE hold_reads SET live_at = NULL', /stays pinned/],
      [
        'a re-point to another read',
        'UPDATE hold_reads SET edge_read_id = 7 WHERE edge_read_id = 1',
        /re-pointed/,
      ],
    ])('refuse %s', async (_form, sql, pattern) => {
      await refused(sql, pattern);
      expect(await count(t.db, 'hold_reads', 'live_at IS NOT NULL')).toBe(2);
    });

    it('refuse a new link to a released hold', async () => {
      await holdService(t.db).release(holdId, { releasedBy: 'lt.chen', reason: 'case closed' }, NOW);
      const capturedAt = (
        await t.db.query<{ c: Date }>('SELECT captured_at AS c FROM reads WHERE edge_read_id = 3')
      )[0]!.c;
      await expect(
        t.db.query(
          `INSERT INTO hold_reads (hold_id, edge_id, edge_read_id, captured_at, live_at) VALUES ($1, 'edge-01', 3, $2, $2)`,
          [holdId, capturedAt],
        ),
      ).rejects.toThrow(/needs an active hold/);
    });
  });

  describe('a held read in evidence (its day dropped)', () => {
    beforeEach(async () => {
      const outcome = await retentionService(t.db, () => DAY0 + 32 * DAY_MS).run('drop', 'manual');
      expect(outcome.kind === 'completed' && outcome.receipt.daysDropped).toBe(1);
      expect(await count(t.db, 'evidence_reads')).toBe(2);
    });

    it.each([
      ['DELETE', 'DELETE FROM evidence_reads', /is evidence under an active hold/],
      ['UPDATE', "UPDATE evidence_reads SET plate = 'X1'", /is evidence under an active hold/],
      ['TRUNCATE', 'TRUNCATE evidence_reads', /referenced in a foreign key constraint/],
      ['TRUNCATE … CASCADE', 'TRUNCATE evidence_reads CASCADE', /reads of a hold are kept/],
      [
        'DROP CONSTRAINT of the pin',
        'ALTER TABLE hold_reads DROP CONSTRAINT held_read_in_evidence',
        /protects evidentiary holds/,
      ],
      ['DROP TABLE', 'DROP TABLE evidence_reads CASCADE', /protects evidentiary holds/],
    ])('survives %s', async (_form, sql, pattern) => {
      await refused(sql, pattern);
      expect(await count(t.db, 'evidence_reads', "plate LIKE 'P%'")).toBe(2);
    });
  });

  it('keeps the audit chain valid through all of it', async () => {
    await refused('DELETE FROM holds', /never deleted/);
    expect(await new HubAuditLog().verify(t.db)).toMatchObject({ ok: true });
  });
});
