import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PurgeReceipt } from '../../shared/policy/purge-plan.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { openStore } from '../../shared/store/store.js';
import { ALPR_BIN, spawnCli } from '../support/cli.js';
import { eventually } from '../support/eventually.js';
import { makeRead, seedCompliantCamera } from '../support/factories.js';
import { freePort } from '../support/redis.js';
import { tempDir } from '../support/temp-dir.js';

/** A store with an expired read, a 29-day-old read and a fresh one; returns their ids. */
function seed(db: string) {
  const now = Date.now();
  const store = openStore(db, { retentionDays: 30 });
  const verdictId = seedCompliantCamera(store, 'cam-1', now - 40 * DAY_MS);
  const ids = store.reads.insertMany(
    [
      makeRead({ verdictId, capturedAt: now - 30 * DAY_MS - 60_000, plate: 'OLD111' }),
      makeRead({ verdictId, capturedAt: now - 29 * DAY_MS, plate: 'KEEP29' }),
      makeRead({ verdictId, capturedAt: now - 3_600_000, plate: '7ABC123' }),
    ],
    now,
  );
  store.close();
  return ids as [number, number, number];
}

describe('alpr hold / purge (CLI)', () => {
  it('refuses an incomplete or self-approved hold with exit 2, naming each problem', () => {
    const db = path.join(tempDir(), 'alpr.db');
    seed(db);
    const run = spawnCli([
      'hold',
      'add',
      '--db',
      db,
      '--by',
      'det.a',
      '--approved-by',
      'det.a',
      '--read',
      '1',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('alpr: hold request refused');
    for (const line of [
      '--case: case number is required',
      '--crime-type: crime type is required',
      '--reason: reason is required',
      '--approved-by: the approver must be a different person from the requester',
    ]) {
      expect(run.stderr).toContain(line);
    }
  });

  it('holds a read by camera, time and plate, purges expired reads with a receipt, and releases the hold', () => {
    const db = path.join(tempDir(), 'alpr.db');
    const [, keep29, fresh] = seed(db);
    const hold = spawnCli([
      'hold',
      'add',
      '--db',
      db,
      '--case',
      'C-2026-7',
      '--crime-type',
      'PC211',
      '--reason',
      'robbery suspect',
      '--by',
      'det.alvarez',
      '--approved-by',
      'lt.chen',
      '--camera',
      'cam-1',
      '--from',
      new Date(Date.now() - 2 * 3_600_000).toISOString(),
      '--to',
      new Date().toISOString(),
      '--plate',
      '7abc-123',
      '--json',
    ]);
    expect(hold.code).toBe(0);
    expect(hold.stdout).toMatch(/hold 1 created for case C-2026-7: 1 read\(s\) held/);
    expect(hold.json()).toMatchObject({
      matched: 1,
      hold: { id: 1, status: 'active', scope: { plate: '7ABC123' } },
    });
    expect(spawnCli(['hold', 'list', '--db', db, '--json']).json()).toMatchObject({
      holds: [{ id: 1, readCount: 1 }],
    });

    const dry = spawnCli(['purge', '--once', '--dry-run', '--db', db, '--json']);
    expect(dry.json()).toMatchObject({ dryRun: true, rowsToDelete: 1, heldSkipped: 0 });

    const purge = spawnCli(['purge', '--once', '--db', db, '--json']);
    expect(purge.code).toBe(0);
    const receipt = purge.json<PurgeReceipt>();
    expect(receipt).toMatchObject({
      trigger: 'cli',
      status: 'completed',
      rowsDeleted: 1,
      retentionMet: true,
    });
    expect(purge.stdout).toContain('1 read(s) and 0 crop file(s) deleted');
    const listed = spawnCli(['audit', 'list', '--db', db, '--kind', 'purge.receipt', '--json']);
    expect(listed.json()).toMatchObject({
      kind: 'purge.receipt',
      payload: { runId: receipt.runId, rowsDeleted: 1 },
    });

    const release = spawnCli([
      'hold',
      'release',
      '1',
      '--db',
      db,
      '--by',
      'lt.chen',
      '--reason',
      'case closed',
      '--json',
    ]);
    expect(release.code).toBe(0);
    expect(release.json()).toMatchObject({ hold: { status: 'released', releasedBy: 'lt.chen' } });
    expect(spawnCli(['hold', 'release', '1', '--db', db, '--by', 'lt.chen', '--reason', 'again']).code).toBe(
      1,
    );
    // The read is an hour old: released, it is kept until its own 30 days are up.
    expect(spawnCli(['purge', '--once', '--db', db, '--json']).json()).toMatchObject({ rowsDeleted: 0 });
    const store = openStore(db, { retentionDays: 30 });
    expect(store.reads.findById(fresh, Date.now())?.plate).toBe('7ABC123');
    expect(store.reads.findById(keep29, Date.now())?.plate).toBe('KEEP29');
    expect(store.reads.countAll()).toBe(2);
    expect(store.audit.verify()).toMatchObject({ ok: true });
    store.close();
  });

  it('asks for --once rather than guessing what `alpr purge` should do', () => {
    const run = spawnCli(['purge', '--db', path.join(tempDir(), 'alpr.db')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pass --once');
  });
});

describe('alpr worker (CLI)', () => {
  it('purges on its local timer with Redis unreachable, serves /health and /metrics, and stops on SIGTERM', async () => {
    const dir = tempDir();
    seed(path.join(dir, 'alpr.db'));
    const deadRedisPort = await freePort(); // nothing listens here
    const config = path.join(dir, 'alpr.yaml');
    writeFileSync(
      config,
      [
        'node: { id: e2e-node }',
        'store: { path: ./alpr.db }',
        'retention: { purgeEveryMinutes: 60 }',
        `redis: { url: "redis://127.0.0.1:${deadRedisPort}" }`,
        'worker: { localFallbackMinutes: 0.01, httpPort: 0 }',
        'log: { level: warn }',
      ].join('\n'),
    );
    const child = spawn(process.execPath, [ALPR_BIN, 'worker', '--config', config], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const healthUrl = await eventually(
        '/health (http:\\/\\/\\S+\\/health)/.exec(stdout)?.[1]',
        () => /health (http:\/\/\S+\/health)/.exec(stdout)?.[1],
      );
      expect(stdout).toContain('purge worker for node e2e-node: queue alpr-purge-e2e-node');
      const health = await eventually('the worker health', async () => {
        const res = await fetch(healthUrl);
        const body = (await res.json()) as { lastSuccessfulPurgeAt: string | null };
        return body.lastSuccessfulPurgeAt ? { status: res.status, body } : undefined;
      });
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({
        status: 'ok',
        lastPurge: { trigger: 'fallback', rowsDeleted: 1 },
        redis: expect.stringMatching(/^unreachable/),
      });
      const metrics = await (await fetch(healthUrl.replace('/health', '/metrics'))).text();
      expect(metrics).toMatch(/^alpr_purge_last_success_timestamp_seconds \d+/m);
      expect(metrics).toMatch(/^alpr_purge_oldest_unheld_read_age_seconds \d+/m);
      expect(metrics).toContain('alpr_purge_redis_connected 0');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exit).toBe(0);
  });
});
