import { afterEach, describe, expect, it } from 'vitest';
import { type StatusServer, startStatusServer } from '../../shared/http/status-server.js';
import { DAY_MS, HOUR_MS } from '../../shared/runtime/clock.js';
import { ALPR_VERSION } from '../../shared/runtime/version.js';
import { createWorkerStatusRoutes } from '../../worker/worker-health.js';
import { T0 } from '../support/factories.js';
import { insertReadsAged, openSeededStore, purgeService } from '../support/purge.js';

let server: StatusServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('worker /health and /metrics', () => {
  it('degrades when the oldest unheld read is past retention + 1 hour, and recovers after a purge', async () => {
    const now = T0 + 50 * DAY_MS;
    const { store, verdictId } = openSeededStore();
    insertReadsAged(store, verdictId, now, [30 * DAY_MS + 2 * HOUR_MS, 3 * DAY_MS]);
    const service = purgeService(store, { clock: () => now });
    const routes = createWorkerStatusRoutes({
      purge: service.records,
      holds: store.holds,
      retention: store.retention,
      clock: () => now,
    });
    server = await startStatusServer({ host: '127.0.0.1', port: 0, routes });

    const degraded = await fetch(`${server.url}/health`);
    expect(degraded.status).toBe(503);
    expect(await degraded.json()).toMatchObject({
      status: 'degraded',
      version: ALPR_VERSION,
      oldestUnheldReadAgeS: (30 * DAY_MS + 2 * HOUR_MS) / 1000,
      lastSuccessfulPurgeAt: null,
      redis: 'not used',
    });
    expect(await (await fetch(`${server.url}/metrics`)).text()).toContain('alpr_purge_retention_ok 0');

    await service.run({ runId: 'h1', trigger: 'manual' });
    const ok = await fetch(`${server.url}/health`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      status: 'ok',
      oldestUnheldReadAgeS: (3 * DAY_MS) / 1000,
      lastSuccessfulPurgeAt: new Date(now).toISOString(),
      lastPurge: { runId: 'h1', rowsDeleted: 1 },
    });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain(`alpr_purge_last_success_timestamp_seconds ${now / 1000}`);
    expect(metrics).toContain(`alpr_purge_oldest_unheld_read_age_seconds ${(3 * DAY_MS) / 1000}`);
    expect(metrics).toContain('alpr_purge_last_rows_deleted 1');
    expect(metrics).toContain('alpr_purge_retention_ok 1');
    expect(metrics).toContain(`alpr_build_info{version="${ALPR_VERSION}"} 1`);
    store.close();
  });
});
