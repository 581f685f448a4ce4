// The hub a benchmark drives: a fresh database (a new PostgreSQL database, or a PGlite data directory),
// the home agency and N enrolled edges with one camera and a compliant verdict each, then `alpr hub` as a
// child process on it (logging at warn, so request logs do not cost the figures). Shared by the parts of
// `npm run bench:hub`.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { addAgency } from '../../hub/agencies/agencies.service.js';
import { HubAuditLog } from '../../hub/audit/hub-audit-log.js';
import { openHubDb } from '../../hub/db/open-hub-db.js';
import { enrolEdge } from '../../hub/edges/edge-enrolment.service.js';
import { loadHubKeys } from '../../hub/hub-keys.js';
import { ingestCameras } from '../../hub/ingest/camera-ingest.service.js';
import { parseConfig } from '../../shared/config/load-config.js';
import { parseEdgeSecret } from '../../shared/forward/request-signature.js';
import { systemClock } from '../../shared/runtime/clock.js';
import { PROJECT_ROOT } from '../../shared/runtime/paths.js';

export type BenchEngine = 'postgres' | 'pglite';

export interface BenchEdge {
  id: string;
  secret: Buffer;
  cameraId: string;
  edgeVerdictId: number;
}

export interface HubTarget {
  engine: BenchEngine;
  url: string;
  edges: BenchEdge[];
  /** CPU seconds the hub process has used so far (Linux /proc; NaN elsewhere) */
  cpuSeconds(): number;
  /** CPU seconds the PostgreSQL backends serving the hub have used so far (same host only; NaN for PGlite) */
  databaseCpuSeconds(): Promise<number>;
  /** run SQL returning one number against the hub database (PGlite: only after stop()) */
  count(sql: string): Promise<number>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

export const PG_BENCH_URL = process.env.ALPR_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_BENCH_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startHubTarget(options: {
  engine: BenchEngine;
  edges: number;
  poolSize?: number;
  log?: (line: string) => void;
}): Promise<HubTarget> {
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'alpr-bench-hub-'));
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (options.engine === 'postgres') {
    dbName = `alpr_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
    await admin(`CREATE DATABASE ${dbName}`);
    const url = new URL(PG_BENCH_URL);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  const hubSection = {
    dataDir: path.join(dir, 'hub'),
    ...(databaseUrl ? { databaseUrl, poolSize: options.poolSize ?? 10 } : {}),
  };
  const configFile = path.join(dir, 'hub.json');
  writeFileSync(configFile, JSON.stringify({ log: { level: 'warn' }, hub: hubSection }));
  const parsed = parseConfig({ hub: hubSection }, dir);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const config = parsed.value.config;

  log(`  enrolling ${options.edges} edges (one camera and a compliant verdict each)…`);
  const db = await openHubDb(config.hub);
  const services = {
    db,
    audit: new HubAuditLog(),
    keys: loadHubKeys(config.hub.keysDir!),
    clock: systemClock,
  };
  const edges: BenchEdge[] = [];
  try {
    await addAgency(
      services,
      { ori: 'CA0430100', name: 'Bench Police Department', type: 'local_le', home: true },
      'bench',
    );
    const now = Date.now();
    for (let i = 0; i < options.edges; i++) {
      const id = `bench-${String(i).padStart(4, '0')}`;
      const { secret } = await enrolEdge(services, { edgeId: id, agencyOri: 'CA0430100' }, 'bench');
      await db.transaction((tx) =>
        ingestCameras(
          tx,
          id,
          {
            cameras: [
              {
                cameraId: 'cam-1',
                position: { lng: -121.89 + i * 1e-4, lat: 37.33 },
                bearingDeg: 90,
                fovDeg: 60,
                rangeM: 30,
                cameraHash: 'bench',
                config: {},
              },
            ],
            verdicts: [
              {
                edgeVerdictId: 1,
                cameraId: 'cam-1',
                cameraHash: 'bench',
                registryVersion: 'bench',
                compliant: true,
                violations: [],
                evaluatedAt: now - 3_600_000,
              },
            ],
          },
          now,
        ),
      );
      edges.push({ id, secret: parseEdgeSecret(secret), cameraId: 'cam-1', edgeVerdictId: 1 });
    }
    if (process.env.BENCH_DIAG_SQL) await db.exec(process.env.BENCH_DIAG_SQL);
  } finally {
    await db.close();
  }

  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(PROJECT_ROOT, 'bin', 'alpr.mjs'), 'hub', '--config', configFile, '--port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`alpr hub did not start: ${out}`)), 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/[^\s/]+)\/health/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(() => reject(new Error(`alpr hub exited: ${out}`)));
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  return {
    engine: options.engine,
    url,
    edges,
    cpuSeconds: () => processCpuSeconds(child.pid),
    async databaseCpuSeconds() {
      if (!databaseUrl) return Number.NaN;
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const rows = await client.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'alpr-hub'",
        );
        return rows.rows.reduce((sum, r) => sum + (processCpuSeconds(r.pid) || 0), 0);
      } finally {
        await client.end();
      }
    },
    async count(sql) {
      const reader = await openHubDb(config.hub, { migrate: false });
      try {
        return Number((await reader.query<{ n: number }>(sql))[0]?.n ?? 0);
      } finally {
        await reader.close();
      }
    },
    stop,
    async destroy() {
      await stop();
      if (dbName) await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** utime + stime of a process from /proc/<pid>/stat, in seconds (clock ticks of 1/100 s on Linux). */
export function processCpuSeconds(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
