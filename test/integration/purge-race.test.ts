import { describe, expect, it } from 'vitest';
import { AuditKind } from '../../shared/audit/audit-log.js';
import type { PurgeReceipt } from '../../shared/policy/purge-plan.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { T0 } from '../support/factories.js';
import {
  exited,
  forkTs,
  insertExpired,
  nextMessage,
  openSeededStore,
  purgeService,
  rawCount,
} from '../support/purge.js';

const NOW = T0 + 60 * DAY_MS;
const TOTAL = 20_000;

interface Held {
  type: 'held';
  holdId: number;
  linked: number;
  notFound: number[];
}

describe('purge vs. a hold placed mid-run in another process', () => {
  it('never deletes a read that a concurrently placed hold covers', async () => {
    const { store, verdictId } = openSeededStore();
    insertExpired(store, verdictId, NOW, TOTAL);
    const allIds = store.db.prepare('SELECT id FROM reads ORDER BY captured_at').pluck().all() as number[];
    const holder = forkTs('hold-child.ts', [store.file]);
    await nextMessage(holder, (m) => (m as { type: string }).type === 'ready');

    // The holder judges visibility two days earlier than the purger (as a skewed clock would), so the
    // reads it may hold are exactly the ones the purge is deleting: the purge must re-check each chunk.
    const holderNow = NOW - 2 * DAY_MS;
    const milestones = [0.15, 0.35, 0.55, 0.75];
    const replies: Promise<Held>[] = [];
    let placed = 0;
    const outcome = await purgeService(store, { clock: () => NOW, chunkSize: 150, chunkPauseMs: 3 }).run({
      runId: 'race',
      trigger: 'schedule',
      onProgress: (p) => {
        while (placed < milestones.length && p.rowsDeleted >= milestones[placed]! * TOTAL) {
          // Every 97th read across the whole range: some already deleted, most still ahead of the cursor.
          const readIds = allIds.filter((_, i) => (i + placed) % 97 === 0);
          replies.push(nextMessage<Held>(holder, (m) => (m as { type: string }).type !== 'ready'));
          holder.send({ type: 'hold', readIds, now: holderNow, caseNumber: `RACE-${placed}` });
          placed += 1;
          break;
        }
      },
    });
    const holds = await Promise.all(replies);
    holder.send({ type: 'exit' });
    await exited(holder);

    expect(outcome.kind).toBe('completed');
    expect(holds).toHaveLength(milestones.length);
    const linked = holds.reduce((n, h) => n + h.linked, 0);
    const refusedAsGone = holds.reduce((n, h) => n + h.notFound.length, 0);
    expect(linked).toBeGreaterThan(0);
    expect(refusedAsGone).toBeGreaterThan(0); // the holds really raced the purge
    // Every read a hold links still exists; every id it could not link is really gone.
    const orphanLinks = rawCount(
      store,
      'SELECT count(*) AS n FROM hold_reads hr WHERE NOT EXISTS (SELECT 1 FROM reads r WHERE r.id = hr.read_id)',
    );
    expect(orphanLinks).toBe(0);
    for (const h of holds) {
      expect(rawCount(store, `SELECT count(*) AS n FROM hold_reads WHERE hold_id = ${h.holdId}`)).toBe(
        h.linked,
      );
      for (const id of h.notFound)
        expect(store.db.prepare('SELECT 1 FROM reads WHERE id = ?').get(id)).toBeUndefined();
    }
    const distinctHeld = rawCount(store, 'SELECT count(DISTINCT read_id) AS n FROM hold_reads');
    expect(rawCount(store)).toBe(distinctHeld);
    const receipt = JSON.parse(
      store.audit.list({ kind: AuditKind.purgeReceipt })[0]!.payload,
    ) as PurgeReceipt;
    expect(receipt).toMatchObject({ rowsDeleted: TOTAL - distinctHeld, heldSkipped: distinctHeld });
    expect(store.audit.verify()).toMatchObject({ ok: true });
    store.close();
  });
});
