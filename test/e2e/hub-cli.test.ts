// `alpr hub` as an operator runs it: embedded PGlite with nothing but a data directory, or a PostgreSQL
// server by URL; /health, the OpenAPI description, JSON errors, a clean stop on SIGTERM.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HUB_LATEST_VERSION } from '../../hub/db/hub-migrations.js';
import { spawnCli } from '../support/cli.js';
import { createPgDatabase, PG_AVAILABLE } from '../support/hub-db.js';
import { type HubProcess, startHubProcess } from '../support/hub-process.js';
import { tempDir } from '../support/temp-dir.js';

function writeConfig(dir: string, value: Record<string, unknown>): string {
  const file = path.join(dir, 'hub.yaml');
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

let hub: HubProcess | undefined;
afterEach(async () => {
  await hub?.stop();
  hub = undefined;
});

describe('alpr hub', () => {
  it('runs on embedded PGlite with only a data directory, answers /health, and stops on SIGTERM', async () => {
    const dir = tempDir('alpr-hub-e2e-');
    hub = await startHubProcess(writeConfig(dir, { hub: { dataDir: './hub-data' } }));
    const health = await fetch(`${hub.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      database: { engine: 'pglite', schemaVersion: HUB_LATEST_VERSION },
    });

    const openapi = (await (await fetch(`${hub.url}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(openapi.paths)).toContain('/health');

    const missing = await fetch(`${hub.url}/no/such/route`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', message: 'no route GET /no/such/route' });

    expect(await hub.stop()).toBe(0);
    expect(hub.output().stdout).toMatch(/hub stopped/);
  });

  it.skipIf(!PG_AVAILABLE)('runs on a PostgreSQL server given by hub.databaseUrl', async () => {
    const dir = tempDir('alpr-hub-e2e-');
    const database = await createPgDatabase('e2e');
    try {
      hub = await startHubProcess(writeConfig(dir, { hub: { databaseUrl: database.url } }));
      const body = (await (await fetch(`${hub.url}/health`)).json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        status: 'ok',
        database: { engine: 'postgres', schemaVersion: HUB_LATEST_VERSION },
      });
      expect(await hub.stop()).toBe(0);
    } finally {
      hub = undefined;
      await database.drop();
    }
  });

  it('refuses to listen on a non-loopback address without TLS (exit 2, naming the key)', () => {
    const dir = tempDir('alpr-hub-e2e-');
    const run = spawnCli(['hub', '--config', writeConfig(dir, { hub: { host: '0.0.0.0' } })]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/hub\.host: listening on 0\.0\.0\.0 without TLS/);
  });

  it('says which server it could not reach, and exits 1', () => {
    const dir = tempDir('alpr-hub-e2e-');
    const config = writeConfig(dir, { hub: { databaseUrl: 'postgres://postgres:pw@127.0.0.1:1/x' } });
    const run = spawnCli(['hub', '--config', config]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/hub database unreachable/);
    expect(run.stderr).not.toContain(':pw@');
  });
});

describe('alpr hub keys', () => {
  it('creates its signing and secrets keys (0600, in a 0700 directory) on first start and refuses a key others can read', async () => {
    const { chmodSync, statSync } = await import('node:fs');
    const dir = tempDir('alpr-hub-e2e-');
    const config = writeConfig(dir, { hub: { dataDir: './hub-data' } });
    hub = await startHubProcess(config);
    await hub.stop();
    hub = undefined;
    const keys = path.join(dir, 'hub-data', 'keys');
    expect(statSync(keys).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(keys, 'hub-signing.key')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(keys, 'secrets.key')).mode & 0o777).toBe(0o600);
    chmodSync(path.join(keys, 'secrets.key'), 0o644);
    const run = spawnCli(['hub', '--config', config, '--port', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/secrets key is readable by others/);
  });
});
