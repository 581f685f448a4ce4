// Hub schema migrations, one list for both engines, applied in order under an advisory lock so two hub
// processes starting together migrate once. A database newer than this code is refused, not guessed at.
import type { HubDb } from './hub-db.js';
import { CORE_SCHEMA } from './migrations/001-core.js';

export interface HubMigration {
  version: number;
  description: string;
  sql: string;
}

/** Append new migrations at the end; never edit one that has shipped. */
export const HUB_MIGRATIONS: readonly HubMigration[] = [
  {
    version: 1,
    description: 'agencies, edges, cameras, verdicts, reads by day, audit chain',
    sql: CORE_SCHEMA,
  },
];

export const HUB_LATEST_VERSION = HUB_MIGRATIONS[HUB_MIGRATIONS.length - 1]!.version;

// Any fixed 64-bit number, the same in every hub process.
const MIGRATION_LOCK = 7_246_101;

export class HubSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubSchemaError';
  }
}

/** The schema version the database is at (0: empty). */
export async function hubSchemaVersion(db: HubDb): Promise<number> {
  const rows = await db.query<{ exists: boolean }>(
    "SELECT to_regclass('public.hub_schema_migrations') IS NOT NULL AS exists",
  );
  if (!rows[0]?.exists) return 0;
  const version = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM hub_schema_migrations');
  return version[0]?.v ?? 0;
}

/** Bring the schema to HUB_LATEST_VERSION; returns the versions applied. */
export async function migrateHub(db: HubDb, now: () => Date = () => new Date()): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS hub_schema_migrations (
      version     integer PRIMARY KEY,
      description text NOT NULL,
      applied_at  timestamptz NOT NULL
    )`);
    const rows = await tx.query<{ v: number | null }>('SELECT max(version) AS v FROM hub_schema_migrations');
    const current = rows[0]?.v ?? 0;
    if (current > HUB_LATEST_VERSION) {
      throw new HubSchemaError(
        `hub database schema version ${current} is newer than this software supports (${HUB_LATEST_VERSION}); upgrade alpr`,
      );
    }
    const applied: number[] = [];
    for (const migration of HUB_MIGRATIONS) {
      if (migration.version <= current) continue;
      await tx.exec(migration.sql);
      await tx.query(
        'INSERT INTO hub_schema_migrations (version, description, applied_at) VALUES ($1, $2, $3)',
        [migration.version, migration.description, now()],
      );
      applied.push(migration.version);
    }
    return applied;
  });
}
