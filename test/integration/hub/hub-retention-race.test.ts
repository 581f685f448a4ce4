// A hold placed while a day's partition is being dropped is never violated: whichever step of the drop
// the hold lands on, every read an active hold covers still exists afterwards (in its partition or in
// evidence). On PostgreSQL the hold comes from a second connection pool, as from another hub process;
// on PGlite (one engine per process) it queues behind the drop's transaction.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubDb } from '../../../hub/db/hub-db.js';
import { openPostgresDb } from '../../../hub/db/postgres-db.js';
import type { DropStep } from '../../../hub/retention/day-drop.js';
import { listReadPartitions } from '../../../hub/store/read-partitions.js';
import { DAY_MS, HOUR_MS } from '../../../shared/runtime/clock.js';
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
import { captureLogs } from '../../support/log-capture.js';

// Retention's clock is past the whole of DAY0; the hold's clock runs 31 hours behind, so to the hold the
// reads of DAY0 after 00:30 are still within retention: exactly the reads the drop is removing.
const RETENTION_NOW = DAY0 + 31 * DAY_MS + HOUR_MS;
const HOLD_NOW = DAY0 + 30 * DAY_MS + HOUR_MS / 2;

/** Every link of an active hold pins a read that exists, in the place the link says. */
async function danglingPins(db: HubDb): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM hold_reads l JOIN holds h ON h.id = l.hold_id
      WHERE h.released_at IS NULL AND NOT (
        (l.live_at IS NOT NULL AND EXISTS (SELECT 1 FROM reads r WHERE r.edge_id = l.edge_id
           AND r.edge_read_id = l.edge_read_id AND r.captured_at = l.live_at))
        OR (l.evidence_read_id IS NOT NULL AND EXISTS (SELECT 1 FROM evidence_reads e
           WHERE e.edge_id = l.edge_id AND e.edge_read_id = l.evidence_read_id)))`,
  );
  return rows[0]!.n;
}

describe.each(HUB_ENGINES)('retention drop racing a hold on %s', (engine) => {
  let t: TestHubDb;
  let other: HubDb;
  beforeEach(async () => {
    t = await openTestHubDb(engine);
    other = engine === 'postgres' ? await openPostgresDb({ url: t.location, poolSize: 2 }) : t.db;
    const { verdictId } = await seedHub(t.db);
    await insertReadsOnDay(t.db, { verdictId, day: DAY0, count: 2000, firstId: 1 });
    const first = await holdService(t.db).create(readHold([5]), DAY0 + DAY_MS);
    expect(first.ok).toBe(true);
  });
  afterEach(async () => {
    if (other !== t.db) await other.close();
    await t.drop();
  });

  it.each<DropStep>(['counted', 'copied', 'pins-moved', 'detached'])(
    'keeps every held read when the hold lands after the drop has %s',
    async (at) => {
      let resume!: () => void;
      const resumed = new Promise<void>((resolve) => {
        resume = resolve;
      });
      let reached!: () => void;
      const paused = new Promise<void>((resolve) => {
        reached = resolve;
      });
      let pausedOnce = false;
      const logs = captureLogs('warn');
      const run = retentionService(t.db, () => RETENTION_NOW, {
        logger: logs.logger,
        pause: async (step) => {
          if (step !== at || pausedOnce) return;
          pausedOnce = true;
          reached();
          await resumed;
        },
      }).run('race', 'schedule');
      await paused;
      // Reads 1500-1502 (captured mid-day) are within retention by the hold's clock.
      const hold = holdService(other).create(readHold([1500, 1501, 1502], 'C-RACE'), HOLD_NOW);
      // Give the hold time to commit (PostgreSQL) or queue behind the drop (PGlite) before resuming.
      await Promise.race([hold, new Promise((r) => setTimeout(r, 300))]);
      resume();
      const [outcome, placed] = await Promise.all([run, hold]);

      expect(outcome.kind).toBe('completed');
      expect(await danglingPins(t.db)).toBe(0);
      const held = placed.ok ? placed.value.matched : 0;
      if (placed.ok) {
        // The hold won: its reads survive the drop, in evidence.
        expect(held).toBe(3);
        expect(await count(t.db, 'evidence_reads', 'edge_read_id IN (1500, 1501, 1502)')).toBe(3);
      } else {
        // The drop won: the reads were gone before the hold could pin them, and no hold exists for them.
        expect(placed.error.code).toBe('no-reads');
        expect(await count(t.db, 'holds', "case_number = 'C-RACE'")).toBe(0);
      }
      // The day is gone (at once, or on the run's own retry after the hold made it roll back).
      expect((await listReadPartitions(t.db)).map((p) => p.name)).not.toContain('reads_p20260301');
      expect(await count(t.db, 'evidence_reads')).toBe(1 + held);
      if (at === 'detached') expect(placed.ok).toBe(false);
      if (engine === 'postgres' && at !== 'detached') {
        expect(placed.ok).toBe(true);
        // Landing after the copy, the hold's new pins made the drop roll back and start over.
        const retried = logs.entries().some((e) => String(e.msg).includes('lost a race'));
        expect(retried).toBe(at !== 'counted');
      }
    },
  );

  it('never leaves a dangling pin under many concurrent holds while several days drop', async () => {
    const { verdictId } = {
      verdictId: (await t.db.query<{ id: number }>('SELECT id FROM camera_verdicts'))[0]!.id,
    };
    for (let d = 1; d <= 3; d++) {
      await insertReadsOnDay(t.db, { verdictId, day: DAY0 + d * DAY_MS, count: 1000, firstId: 10_000 * d });
    }
    const now = DAY0 + 34 * DAY_MS + HOUR_MS;
    const holdNow = now - 2 * DAY_MS; // two days behind: most of what drops is still "within retention" to it
    const run = retentionService(t.db, () => now).run('many', 'schedule');
    const holds = Array.from({ length: 12 }, (_, i) => {
      const ids = [10_000 * (1 + (i % 3)) + 100 + i, 10_000 * (1 + (i % 3)) + 600 + i];
      return holdService(other).create(readHold(ids, `C-${i}`), holdNow);
    });
    const [outcome, ...results] = await Promise.all([run, ...holds]);
    expect(outcome.kind).toBe('completed');
    expect(await danglingPins(t.db)).toBe(0);
    const matched = results.reduce((n, r) => n + (r.ok ? r.value.matched : 0), 0);
    const stillHeld = await t.db.query<{ n: number }>(
      `SELECT count(DISTINCT (l.edge_id, l.edge_read_id))::int AS n FROM hold_reads l JOIN holds h ON h.id = l.hold_id
        WHERE h.case_number LIKE 'C-%' AND h.case_number <> 'C-2026-001'`,
    );
    expect(stillHeld[0]!.n).toBe(matched);
  });
});
