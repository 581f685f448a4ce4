// Picks the hub's engine from config: a PostgreSQL server when hub.databaseUrl is set, else embedded
// PGlite under hub.dataDir/pg. Then brings the schema up to date.
import path from 'node:path';
import type { HubConfig } from '../../shared/config/hub.schema.js';
import type { HubDb } from './hub-db.js';
import { migrateHub } from './hub-migrations.js';
import { openPgliteDb } from './pglite-db.js';
import { openPostgresDb } from './postgres-db.js';

export async function openHubDb(
  hub: Pick<HubConfig, 'databaseUrl' | 'dataDir' | 'poolSize'>,
  options: { migrate?: boolean } = {},
): Promise<HubDb> {
  const db = hub.databaseUrl
    ? await openPostgresDb({ url: hub.databaseUrl, poolSize: hub.poolSize })
    : await openPgliteDb(path.join(hub.dataDir, 'pg')); // locked to this process (pglite-lock.ts);
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
