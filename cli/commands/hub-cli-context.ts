// What `alpr hub …` admin commands share: the validated config, the hub keys, the hub database (PGlite is
// locked to one process, so these refuse while a hub runs on the same data directory), the audit actor,
// and one mapping of the hub's startup errors to exit codes.
import os from 'node:os';
import { HubAuditLog } from '../../hub/audit/hub-audit-log.js';
import { HubDbUnavailableError } from '../../hub/db/hub-db.js';
import { HubSchemaError } from '../../hub/db/hub-migrations.js';
import { openHubDb } from '../../hub/db/open-hub-db.js';
import { DataDirLockedError } from '../../hub/db/pglite-lock.js';
import type { HubContext } from '../../hub/hub-context.js';
import { loadHubKeys } from '../../hub/hub-keys.js';
import { SigningKeyError } from '../../shared/audit/signing-key.js';
import type { LoadedConfig } from '../../shared/config/load-config.js';
import { systemClock } from '../../shared/runtime/clock.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, type ConfigOption, loadCliConfig } from '../context.js';

export type HubCli = Pick<HubContext, 'db' | 'audit' | 'keys' | 'clock' | 'config'> & {
  loaded: LoadedConfig;
  /** who the audit chain says did it */
  actor: string;
};

/** A hub startup error as the one line and exit code a command ends with; other errors pass through. */
export function hubStartupError(error: unknown): unknown {
  if (
    error instanceof HubDbUnavailableError ||
    error instanceof HubSchemaError ||
    error instanceof SigningKeyError ||
    error instanceof DataDirLockedError
  ) {
    return new CliError(error.message, ExitCode.failure);
  }
  return error;
}

export function cliActor(): string {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (some containers)
  }
  return `cli:${user}`;
}

/** Run `fn` with the hub opened for administration; always closes the database. */
export async function withHub<T>(
  env: CliEnv,
  options: ConfigOption,
  fn: (hub: HubCli) => Promise<T>,
  open: { migrate?: boolean; createKeys?: boolean } = {},
): Promise<T> {
  const loaded = loadCliConfig(env, options);
  const { config } = loaded;
  let hub: HubCli;
  try {
    const keys = loadHubKeys(config.hub.keysDir!, { create: open.createKeys ?? true });
    const db = await openHubDb(config.hub, { migrate: open.migrate ?? true });
    hub = { db, audit: new HubAuditLog(), keys, clock: systemClock, config, loaded, actor: cliActor() };
  } catch (error) {
    throw hubStartupError(error);
  }
  try {
    return await fn(hub);
  } finally {
    await hub.db.close();
  }
}
