// `alpr hub hold …` and `alpr hub retention …` as an operator runs them, and two `alpr hub` processes
// starting together on one PostgreSQL database with expired days in it: each day is dropped exactly once.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { HubDb } from '../../hub/db/hub-db.js';
import { migrateHub } from '../../hub/db/hub-migrations.js';
import { openPgliteDb } from '../../hub/db/pglite-db.js';
import { openPostgresDb } from '../../hub/db/postgres-db.js';
import { RetentionKind } from '../../hub/retention/day-drop.js';
import type { HubRetentionReceipt } from '../../hub/retention/retention.service.js';
import { utcDay } from '../../shared/policy/hub-retention.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { spawnCli } from '../support/cli.js';
import { createPgDatabase, PG_AVAILABLE } from '../support/hub-db.js';
import { type HubProcess, startHubProcess } from '../support/hub-process.js';
import { auditPayloads, insertReadsOnDay, seedHub } from '../support/hub-retention.js';
import { deletePrefix, uniquePrefix } from '../support/redis.js';
import { REDIS_URL } from '../support/services.js';
import { tempDir } from '../support/temp-dir.js';

const prefix = uniquePrefix('hub-retention-cli');
afterAll(() => deletePrefix(REDIS_URL, prefix).catch(() => undefined));

const hubs: HubProcess[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
});

function writeConfig(dir: string, hub: Record<string, unknown>): string {
  const file = path.join(dir, 'alpr.yaml');
  writeFileSync(file, JSON.stringify({ hub: { retention: { queuePrefix: prefix }, ...hub } }, null, 2));
  return file;
}

const today = utcDay(Date.now());

/** Yesterday's reads (ids 1-50) and, 40 and 41 days ago, expired days (ids 1001-1100, 2001-2100). */
async function seed(db: HubDb): Promise<void> {
  const { verdictId } = await seedHub(db);
  await insertReadsOnDay(db, { verdictId, day: today - DAY_MS, count: 50, firstId: 1 });
  await insertReadsOnDay(db, { verdictId, day: today - 40 * DAY_MS, count: 100, firstId: 1001 });
  await insertReadsOnDay(db, { verdictId, day: today - 41 * DAY_MS, count: 100, firstId: 2001 });
}

async function pgliteHub(): Promise<{ dir: string; config: string }> {
  const dir = tempDir('alpr-hub-cli-');
  const db = await openPgliteDb(path.join(dir, 'hub', 'pg'));
  await migrateHub(db);
  await seed(db);
  await db.close();
  return { dir, config: writeConfig(dir, { dataDir: path.join(dir, 'hub') }) };
}

const holdArgs = (config: string, extra: string[]) => [
  'hub',
  'hold',
  'add',
  '--config',
  config,
  '--case',
  'C-2026-0042',
  '--crime-type',
  'PC211',
  '--reason',
  'robbery suspect vehicle',
  '--by',
  'det.alvarez',
  '--approved-by',
  'lt.chen',
  ...extra,
];

describe('alpr hub hold', () => {
  it('adds, lists and releases a hold on the embedded database, naming every problem of a bad request', async () => {
    const { config } = await pgliteHub();
    const bad = spawnCli([
      'hub',
      'hold',
      'add',
      '--config',
      config,
      '--by',
      'det.a',
      '--approved-by',
      'DET.A',
      '--read',
      '3',
    ]);
    expect(bad.code).toBe(2);
    for (const field of [
      '--edge',
      '--case',
      '--crime-type',
      '--reason',
      '--approved-by: the approver must be a different person',
    ]) {
      expect(bad.stderr).toContain(field);
    }

    const added = spawnCli([
      ...holdArgs(config, ['--edge', 'edge-01', '--read', '3,4', '--read', '999999', '--json']),
    ]);
    expect(added.code).toBe(0);
    const { hold, matched, notFoundReadIds } = added.json<{
      hold: { id: number };
      matched: number;
      notFoundReadIds: number[];
    }>();
    expect(matched).toBe(2);
    expect(notFoundReadIds).toEqual([999999]);
    expect(added.stdout).toMatch(/hold \d+ created for case C-2026-0042: 2 read\(s\) held/);

    const listed = spawnCli(['hub', 'hold', 'list', '--config', config, '--active', '--json']);
    expect(listed.json<{ holds: unknown[] }>().holds).toEqual([
      expect.objectContaining({
        id: hold.id,
        status: 'active',
        edgeId: 'edge-01',
        readCount: 2,
        approvedBy: 'lt.chen',
      }),
    ]);

    const released = spawnCli([
      'hub',
      'hold',
      'release',
      String(hold.id),
      '--config',
      config,
      '--by',
      'lt.chen',
      '--reason',
      'case closed',
    ]);
    expect(released.code).toBe(0);
    expect(released.stdout).toMatch(/released by lt\.chen; 0 read\(s\) past retention deleted/);
    const again = spawnCli([
      'hub',
      'hold',
      'release',
      String(hold.id),
      '--config',
      config,
      '--by',
      'lt.chen',
      '--reason',
      'x',
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already released/);
  });

  it('refuses the embedded database while a hub process has it open, and a data directory that does not exist', async () => {
    const { dir, config } = await pgliteHub();
    hubs.push(await startHubProcess(config));
    const busy = spawnCli(['hub', 'hold', 'list', '--config', config]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/is in use by process \d+/);
    const missing = spawnCli([
      'hub',
      'hold',
      'list',
      '--config',
      writeConfig(dir, { dataDir: path.join(dir, 'typo') }),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no hub database in .*typo/);
  });
});

describe('alpr hub retention', () => {
  it('refuses to hold an expired read, drops the expired days now and shows the last run', async () => {
    const { config } = await pgliteHub();
    // Reads 1001-1002 are 40 days old: only an existing hold could keep them, so this one matches nothing.
    const late = spawnCli(holdArgs(config, ['--edge', 'edge-01', '--read', '1001']));
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/none of the given reads of edge edge-01 exists at the hub within retention/);

    const run = spawnCli(['hub', 'retention', 'run', '--config', config, '--json']);
    expect(run.code).toBe(0);
    expect(run.json<HubRetentionReceipt>()).toMatchObject({
      trigger: 'cli',
      daysDropped: 2,
      rowsDropped: 200,
      retentionMet: true,
    });
    const status = spawnCli(['hub', 'retention', 'status', '--config', config, '--json']);
    expect(status.json()).toMatchObject({
      retentionDays: 30,
      lastRun: { trigger: 'cli', daysDropped: 2 },
      evidenceReads: 0,
    });
  });
});

describe.skipIf(!PG_AVAILABLE)('two alpr hub processes on one PostgreSQL database', () => {
  it('start together, each running retention before serving, and drop each expired day once', async () => {
    const database = await createPgDatabase('twohubs');
    try {
      const db = await openPostgresDb({ url: database.url });
      await migrateHub(db);
      await seed(db);
      const dir = tempDir('alpr-two-hubs-');
      const config = writeConfig(dir, { databaseUrl: database.url, dataDir: path.join(dir, 'hub') });
      const started = await Promise.all([startHubProcess(config), startHubProcess(config)]);
      hubs.push(...started);
      for (const h of started) expect((await fetch(`${h.url}/health`)).status).toBe(200);
      const drops = await auditPayloads<{ day: string }>(db, RetentionKind.partitionDropped);
      expect(drops.map((d) => d.day).sort()).toEqual(
        [today - 41 * DAY_MS, today - 40 * DAY_MS].map((d) => new Date(d).toISOString().slice(0, 10)),
      );
      const runs = await auditPayloads<HubRetentionReceipt>(db, RetentionKind.run);
      expect(runs.filter((r) => r.trigger === 'start')).toHaveLength(2);
      expect(runs.reduce((n, r) => n + r.daysDropped, 0)).toBe(2);
      await db.close();
    } finally {
      for (const h of hubs.splice(0)) await h.stop();
      await database.drop();
    }
  });
});
