// `npm run bench:hub [-- --only ingest,search,retention]`: the hub's benchmarks. Sections:
//   ingest     500 simulated edges against a real `alpr hub` (bench/hub/ingest-section.ts):
//              [--engine postgres|pglite|both] [--edges 500] [--rate 5] [--seconds 60] [--every-ms 2000]
//   search     exact and partial plate searches over 30 days x 300,000 reads (bench/hub/search.ts)
//   retention  dropping an expired day with held reads while ingest runs (bench/hub/retention.ts)
// search and retention run on the PostgreSQL server (ALPR_BENCH_PG_URL, default the local one) in a
// database of their own: [--days 30] [--per-day 300000] [--queries 200] [--database N] [--keep] [--fresh].
// Figures are noisy on a shared machine: each section prints the load average beside them.
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { HubDb } from '../hub/db/hub-db.js';
import { migrateHub } from '../hub/db/hub-migrations.js';
import { openPostgresDb } from '../hub/db/postgres-db.js';
import { parseConfig } from '../shared/config/load-config.js';
import { DAY_MS, HOUR_MS } from '../shared/runtime/clock.js';
import { type BenchData, ensureBenchData, loadAvg } from './hub/bench-data.js';
import { runIngestSection } from './hub/ingest-section.js';
import { runRetentionBench } from './hub/retention.js';
import { runSearchBench } from './hub/search.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    days: { type: 'string', default: '30' },
    'per-day': { type: 'string', default: '300000' },
    queries: { type: 'string', default: '200' },
    database: { type: 'string', default: 'alpr_bench_hub' },
    keep: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    engine: { type: 'string', default: 'both' },
    edges: { type: 'string', default: '500' },
    rate: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '60' },
    'every-ms': { type: 'string', default: '2000' },
    'pool-size': { type: 'string', default: '10' },
  },
});

interface Context {
  db: HubDb;
  url: string;
  data: BenchData;
  retentionDays: number;
  lockTimeoutMs: number;
}

// Run in this order: search reads the full data set, retention then drops a day of it.
const SECTIONS: Record<string, (ctx: Context) => Promise<unknown>> = {
  search: (ctx) =>
    runSearchBench(ctx.db, {
      now: ctx.data.firstDay + (ctx.retentionDays + 1) * DAY_MS + HOUR_MS,
      retentionDays: ctx.retentionDays,
      queries: Number(values.queries),
    }),
  retention: async (ctx) => {
    const ingestDb = await openPostgresDb({ url: ctx.url, poolSize: 8 });
    try {
      return await runRetentionBench(ctx.db, ingestDb, ctx.data, ctx);
    } finally {
      await ingestDb.close();
    }
  },
};

const adminUrl = process.env.ALPR_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = values.database;
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
  throw new Error(`--database must be a plain lower-case name, got ${name}`);
const only = values.only ? values.only.split(',') : ['ingest', ...Object.keys(SECTIONS)];
for (const section of only) {
  if (section !== 'ingest' && !SECTIONS[section])
    throw new Error(`unknown section "${section}"; known: ingest, ${Object.keys(SECTIONS).join(', ')}`);
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

if (only.includes('ingest')) await runIngestSection(values);
if (!only.some((s) => SECTIONS[s])) process.exit(0);

const config = parseConfig({}, process.cwd());
if (!config.ok) throw new Error('default config invalid');
const { retention, hub } = config.value.config;

if (values.fresh) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin(`CREATE DATABASE ${name}`).catch((error: { code?: string }) => {
  if (error.code !== '42P04') throw error; // exists: reuse what it holds
});
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const db = await openPostgresDb({ url: url.toString(), poolSize: 4, statementTimeoutMs: 3_600_000 });
process.stdout.write(
  `hub benchmarks on ${db.location}; sections ${only.join(', ')}; load average ${loadAvg()}\n`,
);
try {
  await migrateHub(db);
  // A fixed first day keeps a kept data set reusable whatever the date of the run.
  const data = await ensureBenchData(db, {
    days: Number(values.days),
    perDay: Number(values['per-day']),
    firstDay: Date.UTC(2026, 0, 1),
  });
  for (const section of Object.keys(SECTIONS).filter((s) => only.includes(s))) {
    await SECTIONS[section]!({
      db,
      url: url.toString(),
      data,
      retentionDays: retention.days,
      lockTimeoutMs: hub.retention.lockTimeoutMs,
    });
  }
} finally {
  await db.close();
  if (!values.keep) {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    process.stdout.write(`dropped database ${name} (--keep keeps it for the next run)\n`);
  }
}
