// End-to-end helpers around `alpr hub` and `alpr edge` as operators run them: config files, enrolment
// through the CLI (secret written 0600 by `edges add --write-secret`), counts read from the hub database,
// and waiting on a condition with a deadline.
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { openHubDb } from '../../hub/db/open-hub-db.js';
import { loadConfig } from '../../shared/config/load-config.js';
import { spawnCli } from './cli.js';

export function writeJson(file: string, value: unknown): string {
  writeFileSync(file, JSON.stringify(value, null, 2)); // JSON is valid YAML
  return file;
}

/** Enrol `edgeId` through the CLI (home agency first, once); the secret goes to `keyFile`. */
export function enrolWithCli(configFile: string, edgeId: string, keyFile: string): { hubPublicKey: string } {
  const agencies = spawnCli(['hub', 'agencies', 'list', '--json', '-c', configFile]);
  if (!agencies.stdout.includes('CA0430100')) {
    const added = spawnCli([
      'hub',
      'agencies',
      'add',
      '--ori',
      'CA0430100',
      '--name',
      'San José Police Department',
      '--type',
      'local_le',
      '--home',
      '-c',
      configFile,
    ]);
    if (added.code !== 0) throw new Error(`agencies add failed: ${added.stderr}`);
  }
  const run = spawnCli([
    'hub',
    'edges',
    'add',
    edgeId,
    '--agency',
    'CA0430100',
    '--write-secret',
    keyFile,
    '--json',
    '-c',
    configFile,
  ]);
  if (run.code !== 0) throw new Error(`edges add failed: ${run.stdout}\n${run.stderr}`);
  return run.json<{ hubPublicKey: string }>();
}

/** Run `fn` against the hub database of a config (PostgreSQL: while the hub runs; PGlite: only when stopped). */
export async function withHubDb<T>(
  configFile: string,
  fn: (q: (sql: string) => Promise<number>) => Promise<T>,
): Promise<T> {
  const db = await openHubDb(loadConfig(configFile).config.hub, { migrate: false });
  try {
    return await fn(async (sql) => Number((await db.query<{ n: number }>(sql))[0]?.n ?? 0));
  } finally {
    await db.close();
  }
}

/** One number from a PostgreSQL database by URL (a short-lived client). */
export async function pgCount(url: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}
