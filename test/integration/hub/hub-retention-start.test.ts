// A restored backup never serves an expired read (RET-07): a hub started on an old copy of its database
// runs retention before it listens, on both engines. Redis is unreachable here: the startup run does not
// need it, and the local timer takes over the schedule.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateHub } from '../../../hub/db/hub-migrations.js';
import { openPgliteDb } from '../../../hub/db/pglite-db.js';
import { openPostgresDb } from '../../../hub/db/postgres-db.js';
import { healthFeature } from '../../../hub/health.feature.js';
import { type HubRuntime, startHub } from '../../../hub/hub-runtime.js';
import { RetentionKind } from '../../../hub/retention/day-drop.js';
import { retentionFeature } from '../../../hub/retention/retention.feature.js';
import type { HubRetentionReceipt } from '../../../hub/retention/retention.service.js';
import { listReadPartitions } from '../../../hub/store/read-partitions.js';
import { parseConfig } from '../../../shared/config/load-config.js';
import { DAY_MS } from '../../../shared/runtime/clock.js';
import { createPgDatabase, HUB_ENGINES } from '../../support/hub-db.js';
import {
  auditPayloads,
  count,
  DAY0,
  holdService,
  insertReadsOnDay,
  readHold,
  seedHub,
} from '../../support/hub-retention.js';
import { captureLogs } from '../../support/log-capture.js';
import { tempDir } from '../../support/temp-dir.js';

let runtime: HubRuntime | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await runtime?.shutdown.run('test done');
  runtime = undefined;
  for (const c of cleanups.splice(0)) await c();
});

function hubConfig(dir: string, hub: Record<string, unknown>) {
  const parsed = parseConfig(
    { hub: { dataDir: path.join(dir, 'hub'), redisUrl: 'redis://127.0.0.1:1', ...hub } },
    dir,
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

describe.each(HUB_ENGINES)('hub start on %s', (engine) => {
  it('runs retention on a restored old database before it listens', async () => {
    const dir = tempDir('alpr-hub-restore-');
    let hubSettings: Record<string, unknown>;
    // The backup: a database last used on DAY0 + 2, with DAY0's reads and one held read.
    if (engine === 'pglite') {
      const original = await openPgliteDb('memory://');
      await migrateHub(original);
      await seed(original);
      const backup = await original.dump();
      await original.close();
      const restored = await openPgliteDb(path.join(dir, 'hub', 'pg'), { loadDataDir: backup });
      await restored.close();
      hubSettings = {};
    } else {
      const database = await createPgDatabase('restore');
      cleanups.push(() => database.drop());
      const db = await openPostgresDb({ url: database.url });
      await migrateHub(db);
      await seed(db);
      await db.close();
      hubSettings = { databaseUrl: database.url };
    }
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));

    const logs = captureLogs('info');
    const now = DAY0 + 45 * DAY_MS;
    runtime = await startHub(hubConfig(dir, hubSettings), {
      logger: logs.logger,
      port: 0,
      clock: () => now,
      features: [healthFeature, retentionFeature],
    });
    const messages = logs.entries().map((e) => e.msg);
    expect(messages.indexOf('hub retention ran before serving')).toBeGreaterThanOrEqual(0);
    expect(messages.indexOf('hub retention ran before serving')).toBeLessThan(
      messages.indexOf('hub listening'),
    );

    const { db } = runtime;
    expect((await listReadPartitions(db)).some((p) => p.day < now - 30 * DAY_MS)).toBe(false);
    expect(await count(db, 'reads', `captured_at < '${new Date(now - 30 * DAY_MS).toISOString()}'`)).toBe(0);
    expect(await count(db, 'evidence_reads')).toBe(1);
    const [run] = await auditPayloads<HubRetentionReceipt>(db, RetentionKind.run);
    expect(run).toMatchObject({ trigger: 'start', daysDropped: 2, heldKept: 1, retentionMet: true });
    const health = await fetch(`${runtime.url}/health`);
    expect(health.status).toBe(200);
  });
});

async function seed(db: Parameters<typeof seedHub>[0] & Parameters<typeof holdService>[0]) {
  const { verdictId } = await seedHub(db);
  await insertReadsOnDay(db, { verdictId, day: DAY0, count: 100, firstId: 1 });
  await insertReadsOnDay(db, { verdictId, day: DAY0 + DAY_MS, count: 100, firstId: 1001 });
  const held = await holdService(db).create(readHold([42]), DAY0 + 2 * DAY_MS);
  if (!held.ok) throw new Error('hold not created');
}
