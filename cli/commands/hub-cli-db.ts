// How hub subcommands reach the hub database: the one the config names, migrated, or a clear refusal. A
// database that does not exist yet is not created by a command (a typo in hub.dataDir must not produce an
// empty hub that reports success); `alpr hub` creates it on first start.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { HubAuditLog } from '../../hub/audit/hub-audit-log.js';
import { type HubDb, HubDbUnavailableError } from '../../hub/db/hub-db.js';
import { HubSchemaError, hubSchemaVersion, migrateHub } from '../../hub/db/hub-migrations.js';
import { openPgliteDb } from '../../hub/db/pglite-db.js';
import { openPostgresDb } from '../../hub/db/postgres-db.js';
import type { LoadedConfig } from '../../shared/config/load-config.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, type ConfigOption, loadCliConfig } from '../context.js';

export interface HubCliContext {
  db: HubDb;
  audit: HubAuditLog;
  loaded: LoadedConfig;
}

/** Open the hub database of the config, run `fn`, close it (also when `fn` throws). */
export async function withHubDb<T>(
  env: CliEnv,
  options: ConfigOption,
  fn: (ctx: HubCliContext) => Promise<T>,
): Promise<T> {
  const loaded = loadCliConfig(env, options);
  const { hub } = loaded.config;
  let db: HubDb;
  try {
    if (hub.databaseUrl) {
      db = await openPostgresDb({ url: hub.databaseUrl, poolSize: 2 });
    } else {
      const dir = path.join(hub.dataDir, 'pg');
      if (!existsSync(path.join(dir, 'PG_VERSION'))) {
        throw new CliError(
          `no hub database in ${hub.dataDir}: start the hub once (alpr hub) or check hub.dataDir`,
          ExitCode.failure,
        );
      }
      db = await openPgliteDb(dir);
    }
  } catch (error) {
    if (error instanceof HubDbUnavailableError) throw new CliError(error.message, ExitCode.failure);
    throw error;
  }
  try {
    if ((await hubSchemaVersion(db)) === 0) {
      throw new CliError(
        `the hub database at ${db.location} is empty: start the hub once (alpr hub) to create its schema`,
        ExitCode.failure,
      );
    }
    await migrateHub(db);
    return await fn({ db, audit: new HubAuditLog(), loaded });
  } catch (error) {
    if (error instanceof HubDbUnavailableError || error instanceof HubSchemaError) {
      throw new CliError(error.message, ExitCode.failure);
    }
    throw error;
  } finally {
    await db.close();
  }
}
