// Purges on a bad day (issue 10, items 7 and 20): a worker clock that went backwards purges by the
// latest time the store has already seen, says so in its receipt and in /health, and never reports
// retention met; a resumed run that takes a new cutoff states the retention that produced it.
import { afterEach, describe, expect, it } from 'vitest';
import { type StatusServer, startStatusServer } from '../../shared/http/status-server.js';
import { DAY_MS, HOUR_MS } from '../../shared/runtime/clock.js';
import { openStore } from '../../shared/store/store.js';
import { createWorkerStatusRoutes } from '../../worker/worker-health.js';
import { T0 } from '../support/factories.js';
import { insertExpired, insertReadsAged, openSeededStore, purgeService, rawCount } from '../support/purge.js';

const NOW = T0 + 40 * DAY_MS;
const YEAR = 365 * DAY_MS;

let server: StatusServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a purge whose clock went backwards', () => {
  it('purges by the newest stored_at instead of a clock a year behind, records the skew, and does not claim retention met', async () => {
    const { store, verdictId } = openSeededStore();
    const [old, young] = insertReadsAged(store, verdictId, NOW, [31 * DAY_MS, 2 * DAY_MS]);
    const outcome = await purgeService(store, { clock: () => NOW - YEAR }).run({
      runId: 'behind',
      trigger: 'manual',
    });
    expect(outcome.kind).toBe('completed');
    const receipt = outcome.kind === 'completed' ? outcome.receipt : undefined;
    // By the clock's own reading nothing is expired; by the time the store has already seen, one read is.
    expect(store.db.prepare('SELECT id FROM reads').pluck().all()).toEqual([young]);
    expect(store.db.prepare('SELECT id FROM reads').pluck().all()).not.toContain(old);
    expect(receipt).toMatchObject({
      rowsDeleted: 1,
      cutoff: new Date(NOW - 30 * DAY_MS).toISOString(),
      retentionMet: false,
      clockSkew: {
        observedNow: new Date(NOW - YEAR).toISOString(),
        usedNow: new Date(NOW).toISOString(),
        skewMs: YEAR,
        source: 'stored_at',
        trusted: false,
      },
    });
    store.close();
  });

  it('uses the last receipt’s finish time when no read is left to date the store', async () => {
    const { store, verdictId } = openSeededStore();
    insertExpired(store, verdictId, NOW, 10);
    const first = await purgeService(store, { clock: () => NOW }).run({ runId: 'sane', trigger: 'manual' });
    expect(first.kind === 'completed' && first.receipt).toMatchObject({
      rowsDeleted: 10,
      retentionMet: true,
    });
    // Later reads, all stored before that purge: the newest receipt is the latest trustworthy time.
    const later = NOW + 10 * DAY_MS;
    const again = await purgeService(store, { clock: () => later - YEAR }).run({
      runId: 'behind',
      trigger: 'manual',
    });
    expect(again.kind === 'completed' && again.receipt).toMatchObject({
      retentionMet: false,
      clockSkew: { source: 'last_receipt', usedNow: new Date(NOW).toISOString(), trusted: false },
    });
    store.close();
  });

  it('makes the worker /health unhealthy while the clock is behind, and until a purge runs on a sane clock', async () => {
    const { store, verdictId } = openSeededStore();
    insertReadsAged(store, verdictId, NOW, [31 * DAY_MS, 2 * DAY_MS]);
    let now = NOW - YEAR;
    const service = purgeService(store, { clock: () => now });
    const routes = createWorkerStatusRoutes({
      purge: service.records,
      holds: store.holds,
      retention: store.retention,
      clock: () => now,
    });
    server = await startStatusServer({ host: '127.0.0.1', port: 0, routes });
    const health = async () => {
      const res = await fetch(`${server!.url}/health`);
      return {
        status: res.status,
        body: (await res.json()) as { status: string; reasons: string[]; clock: unknown },
      };
    };

    // Before any purge: the clock is a year behind the newest stored read, and the oldest read, measured
    // at the store's time, is past retention.
    const behind = await health();
    expect(behind.status).toBe(503);
    expect(behind.body.reasons.join('\n')).toMatch(/clock is 365d 0m behind the newest stored read/);
    expect(behind.body.reasons.join('\n')).toMatch(/purge overdue/);
    expect(behind.body.clock).toMatchObject({ trusted: false, behindMs: YEAR, source: 'stored_at' });

    await service.run({ runId: 'behind', trigger: 'manual' });
    expect((await health()).status).toBe(503); // the clock is still wrong

    now = NOW + HOUR_MS; // clock fixed
    const fixedButUnproven = await health();
    expect(fixedButUnproven.status).toBe(503);
    expect(fixedButUnproven.body.reasons.join('\n')).toMatch(
      /the last purge .* ran on a clock 365d 0m behind the store/,
    );

    await service.run({ runId: 'sane', trigger: 'manual' });
    const ok = await health();
    expect(ok).toMatchObject({ status: 200, body: { status: 'ok', reasons: [] } });
    store.close();
  });
});

describe('a resumed purge', () => {
  it('takes the later cutoff of a shorter retention and says which retention produced it', async () => {
    const { store, verdictId } = openSeededStore();
    insertExpired(store, verdictId, NOW, 1000); // 31 days old
    insertReadsAged(store, verdictId, NOW, [25 * DAY_MS, 21 * DAY_MS, 5 * DAY_MS]);
    const abort = new AbortController();
    const first = purgeService(store, { clock: () => NOW, chunkSize: 100, chunkMaxLockMs: 1000 }).run({
      runId: 'job:q:7:1',
      trigger: 'schedule',
      signal: abort.signal,
      onProgress: (p) => p.rowsDeleted >= 200 && abort.abort(new Error('worker shutting down')),
    });
    await expect(first).rejects.toThrow('worker shutting down');

    // Retention was lowered to 20 days before the job was retried (the worker restarts with the new config).
    const lowered = openStore(store.file, { retentionDays: 20 });
    const resumed = await purgeService(lowered, { clock: () => NOW }).run({
      runId: 'job:q:7:1',
      trigger: 'schedule',
    });
    lowered.close();
    expect(resumed.kind === 'completed' && resumed.receipt).toMatchObject({
      attempts: 2,
      retentionDays: 20,
      cutoff: new Date(NOW - 20 * DAY_MS).toISOString(),
      earlierCutoffs: [{ cutoff: new Date(NOW - 30 * DAY_MS).toISOString(), retentionDays: 30 }],
      rowsDeleted: 1002,
      retentionMet: true,
    });
    expect(rawCount(store)).toBe(1);
    store.close();
  });
});
