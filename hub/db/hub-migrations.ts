// Hub schema migrations, one list for both engines, applied in version order under an advisory lock so
// two hub processes starting together migrate once. Each version is applied once (a set, so numbering
// may leave gaps between features); a database holding a version this code does not know is refused.
import type { HubDb } from './hub-db.js';
import { CORE_SCHEMA } from './migrations/001-core.js';
import { EDGE_INGEST_SCHEMA } from './migrations/002-edge-ingest.js';
import { HOLDS_DDL_GUARD, HOLDS_EVIDENCE_SCHEMA } from './migrations/010-holds-evidence.js';
import { SITE_REGISTRY_SCHEMA } from './migrations/011-site-registry.js';
import { ACCOUNTS_SCHEMA } from './migrations/020-accounts.js';
import { SEARCHES_SCHEMA } from './migrations/025-searches.js';
import { SHARING_SCHEMA } from './migrations/030-sharing.js';
import { REGISTRY_PROPOSALS_SCHEMA } from './migrations/039-registry-proposals.js';
import { HOTLISTS_SCHEMA } from './migrations/050-hotlists.js';

export interface HubMigration {
  version: number;
  description: string;
  sql: string;
}

/**
 * Never edit one that has shipped. Version ranges by feature keep parallel work apart: 1 core,
 * 2-9 ingest and edges, 10-19 retention, holds and registry, 20-29 access, 30-39 sharing and pages,
 * 40-49 oversight, 50-59 hotlists and events.
 */
export const HUB_MIGRATIONS: readonly HubMigration[] = [
  {
    version: 1,
    description: 'agencies, edges, cameras, verdicts, reads by day, audit chain',
    sql: CORE_SCHEMA,
  },
  {
    version: 2,
    description:
      'edge secrets and pinned head keys, replay nonces, forwarding status, edge receipts and heads',
    sql: EDGE_INGEST_SCHEMA,
  },
  {
    version: 10,
    description: 'evidentiary holds, evidence reads, job leases',
    sql: HOLDS_EVIDENCE_SCHEMA + HOLDS_DDL_GUARD,
  },
  {
    version: 11,
    description: 'sensitive-site registry versions, signed for edges',
    sql: SITE_REGISTRY_SCHEMA,
  },
  {
    version: 20,
    description: 'user accounts, sessions (by id hash), login rate-limit counters',
    sql: ACCOUNTS_SCHEMA,
  },
  {
    version: 25,
    description: 'governed searches, sensitive-search approvals, hold requests, compliance alerts',
    sql: SEARCHES_SCHEMA,
  },
  {
    version: 30,
    description: 'sharing: inquiries, approvals, access grants, the effective sharing ACL, export requests',
    sql: SHARING_SCHEMA,
  },
  {
    version: 39,
    description: "planners' proposed registry changes, approved by an admin",
    sql: REGISTRY_PROPOSALS_SCHEMA,
  },
  {
    version: 50,
    description: 'hotlists, HMAC-keyed entries, hits that wait for a person',
    sql: HOTLISTS_SCHEMA,
  },
];

export const HUB_LATEST_VERSION = Math.max(...HUB_MIGRATIONS.map((m) => m.version));

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

/** Apply every migration the database does not have yet; returns the versions applied. */
export async function migrateHub(db: HubDb, now: () => Date = () => new Date()): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS hub_schema_migrations (
      version     integer PRIMARY KEY,
      description text NOT NULL,
      applied_at  timestamptz NOT NULL
    )`);
    const rows = await tx.query<{ version: number }>('SELECT version FROM hub_schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const known = new Set(HUB_MIGRATIONS.map((m) => m.version));
    const unknown = [...done].filter((v) => !known.has(v));
    if (unknown.length > 0) {
      throw new HubSchemaError(
        `hub database has schema migration(s) ${unknown.join(', ')} that this software does not know; upgrade alpr`,
      );
    }
    const applied: number[] = [];
    for (const migration of [...HUB_MIGRATIONS].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
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
