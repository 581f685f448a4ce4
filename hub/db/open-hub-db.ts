// Picks the hub's engine from config: a PostgreSQL server when hub.databaseUrl is set, else embedded
// PGlite under hub.dataDir/pg. Then brings the schema up to date.
import path from 'node:path';
import type { HubConfig } from '../../shared/config/hub.schema.js';
import type { HubDb } from './hub-db.js';
import { migrateHub } from './hub-migrations.js';
import { openPgliteDb } from './pglite-db.js';
import { lockDataDir } from './pglite-lock.js';
import { openPostgresDb } from './postgres-db.js';

export async function openHubDb(
  hub: Pick<HubConfig, 'databaseUrl' | 'dataDir' | 'poolSize'>,
  options: { migrate?: boolean } = {},
): Promise<HubDb> {
  const db = hub.databaseUrl
    ? await openPostgresDb({ url: hub.databaseUrl, poolSize: hub.poolSize })
    : await openLockedPglite(path.join(hub.dataDir, 'pg'));
  if (options.migrate ?? true) {
    try {
      await migrateHub(db);
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return db;
}

/** PGlite under `dir`, held by this process alone until closed (pglite-lock.ts). */
async function openLockedPglite(dir: string): Promise<HubDb> {
  const release = lockDataDir(dir);
  let db: HubDb;
  try {
    db = await openPgliteDb(dir);
  } catch (error) {
    release();
    throw error;
  }
  return {
    ...db,
    async close() {
      try {
        await db.close();
      } finally {
        release();
      }
    },
  };
}
