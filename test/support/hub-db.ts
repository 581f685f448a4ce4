// Hub databases for tests, on both engines: embedded PGlite (in a temp directory) and the PostgreSQL
// server (a database of its own per test, dropped afterwards, so parallel test files and engineers never
// share tables). A PostgreSQL that does not answer fails the test unless ALPR_TEST_ALLOW_SKIP=1.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { HubDb, HubEngine } from '../../hub/db/hub-db.js';
import { migrateHub } from '../../hub/db/hub-migrations.js';
import { openPgliteDb } from '../../hub/db/pglite-db.js';
import { openPostgresDb } from '../../hub/db/postgres-db.js';
import { ALLOW_SKIP, portAnswers } from './services.js';

/** A server database tests may create databases from (trust auth on the CI machines). */
export const PG_ADMIN_URL = process.env.ALPR_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const adminUrl = new URL(PG_ADMIN_URL);
export const PG_AVAILABLE = await portAnswers(adminUrl.hostname, Number(adminUrl.port || 5432));
if (!PG_AVAILABLE && !ALLOW_SKIP) {
  throw new Error(`PostgreSQL is not answering at ${adminUrl.host} (set ALPR_TEST_ALLOW_SKIP=1 to skip)`);
}

/** The engines a hub store test runs on; PostgreSQL left out only when allowed to skip. */
export const HUB_ENGINES: readonly HubEngine[] = PG_AVAILABLE ? ['pglite', 'postgres'] : ['pglite'];

export interface TestHubDb {
  db: HubDb;
  /** postgres: the test database's URL; pglite: its data directory */
  location: string;
  /** Close the connection and remove the database. */
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty PostgreSQL database on the test server; returns its URL. */
export async function createPgDatabase(label = 'hub'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `alpr_test_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

// initdb in WebAssembly takes seconds; a migrated data directory loads in a fraction of that. Built once per
// test process, and only from this code's migrations, so it is never stale.
let migratedPglite: Promise<Blob> | undefined;
function migratedPgliteTemplate(): Promise<Blob> {
  migratedPglite ??= (async () => {
    const db = await openPgliteDb('memory://');
    try {
      await migrateHub(db);
      return await db.dump();
    } finally {
      await db.close();
    }
  })();
  return migratedPglite;
}

/**
 * A fresh hub database on `engine`, migrated unless `migrate: false`. PGlite lives in a temp directory
 * (`onDisk`) or in memory.
 */
export async function openTestHubDb(
  engine: HubEngine,
  options: { migrate?: boolean; onDisk?: boolean } = {},
): Promise<TestHubDb> {
  const migrate = options.migrate ?? true;
  let db: HubDb;
  let location: string;
  let remove: () => Promise<void>;
  if (engine === 'pglite') {
    location = options.onDisk ? mkdtempSync(path.join(os.tmpdir(), 'alpr-hub-pglite-')) : 'memory://';
    const dir = location;
    db = await openPgliteDb(dir, { loadDataDir: migrate ? await migratedPgliteTemplate() : undefined });
    remove = async () => {
      if (dir !== 'memory://') rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const created = await createPgDatabase();
    location = created.url;
    db = await openPostgresDb({ url: created.url, poolSize: 4 });
    remove = created.drop;
  }
  if (migrate) await migrateHub(db);
  return {
    db,
    location,
    async drop() {
      await db.close();
      await remove();
    },
  };
}
