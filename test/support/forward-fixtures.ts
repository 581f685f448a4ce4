// Edge-side fixtures for forwarding tests: an edge store with cameras whose stored config carries real
// geometry (as the compliance gate writes it), reads under their verdicts, the edge key file, and a hub
// started in this process on either engine (real HTTP on a free port).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import { registerCamera } from '../../edge/compliance/verdict-records.js';
import { Forwarder, type ForwarderOptions } from '../../edge/forward/forwarder.js';
import { anchorFileHeadSource, defaultHeadPaths } from '../../edge/forward/head-source.js';
import { addAgency } from '../../hub/agencies/agencies.service.js';
import type { HubEngine } from '../../hub/db/hub-db.js';
import { enrolEdge } from '../../hub/edges/edge-enrolment.service.js';
import { HubMetrics } from '../../hub/http/hub-metrics.js';
import { type HubRuntime, startHub } from '../../hub/hub-runtime.js';
import { parseConfig } from '../../shared/config/load-config.js';
import { parseEdgeSecret } from '../../shared/forward/request-signature.js';
import { cameraHash } from '../../shared/geofence/camera-hash.js';
import type { CameraGeometry } from '../../shared/geofence/sector.js';
import { createLogger, type Logger } from '../../shared/logging/logger.js';
import type { Clock } from '../../shared/runtime/clock.js';
import type { Store } from '../../shared/store/store.js';
import { makeRead } from './factories.js';
import { createPgDatabase } from './hub-db.js';

export const GEOMETRY: CameraGeometry = {
  position: { lng: -121.89, lat: 37.33 },
  bearingDeg: 90,
  fovDeg: 60,
  rangeM: 30,
  frameWidthPx: 1280,
  minPlateWidthPx: 40,
  plateWidthM: 0.305,
};

/** A camera row with its geometry and a compliant verdict, as the gate records them; returns the verdict id. */
export function seedGateCamera(store: Store, cameraId: string, at: number, geometry = GEOMETRY): number {
  const hash = cameraHash(geometry);
  registerCamera(store, { id: cameraId, label: `${cameraId} label`, hash, geometry }, at);
  return store.verdicts.insert({
    cameraId,
    cameraHash: hash,
    registryVersion: 'registry-v1',
    compliant: true,
    violations: [],
    evaluatedAt: at,
  });
}

/** `n` reads a second apart from `from`, stored at their capture time. */
export function seedReads(
  store: Store,
  n: number,
  o: { cameraId: string; verdictId: number; from: number },
): number[] {
  const reads = Array.from({ length: n }, (_, i) =>
    makeRead({
      cameraId: o.cameraId,
      verdictId: o.verdictId,
      capturedAt: o.from + i * 1000,
      plate: `P${String(i).padStart(6, '0')}`,
    }),
  );
  return store.reads.insertMany(reads, o.from + n * 1000);
}

export function writeEdgeKey(file: string, secret: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

export interface InProcessHub {
  runtime: HubRuntime;
  url: string;
  /** stop it (the database stays) */
  stop(): Promise<void>;
  /** start it again on the same port and data */
  restart(): Promise<void>;
  /** drop the database */
  drop(): Promise<void>;
  enrol(edgeId: string): Promise<string>;
  count(sql: string, params?: unknown[]): Promise<number>;
}

export async function startInProcessHub(
  engine: HubEngine,
  dir: string,
  options: { hub?: Record<string, unknown>; clock?: Clock; logger?: Logger } = {},
): Promise<InProcessHub> {
  const pgDb = engine === 'postgres' ? await createPgDatabase('fwd') : undefined;
  const parsed = parseConfig(
    { hub: { dataDir: path.join(dir, 'hub'), ...(pgDb ? { databaseUrl: pgDb.url } : {}), ...options.hub } },
    dir,
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const loaded = parsed.value;
  const logger = options.logger ?? createLogger({ level: 'silent' });
  const start = (port: number) =>
    startHub(loaded, {
      logger,
      port,
      clock: options.clock,
      metrics: new HubMetrics({ processMetrics: false }),
    });
  let runtime = await start(0);
  const port = runtime.port;
  let running = true;
  const hub: InProcessHub = {
    get runtime() {
      return runtime;
    },
    url: runtime.url,
    async stop() {
      if (!running) return;
      running = false;
      await runtime.shutdown.run('test');
    },
    async restart() {
      await hub.stop();
      runtime = await start(port);
      running = true;
    },
    async drop() {
      await hub.stop();
      await pgDb?.drop();
    },
    async enrol(edgeId) {
      const ctx = runtime.context;
      if ((await ctx.db.query('SELECT 1 FROM agencies')).length === 0) {
        await addAgency(
          ctx,
          { ori: 'CA0430100', name: 'San José Police Department', type: 'local_le', home: true },
          'test',
        );
      }
      return (await enrolEdge(ctx, { edgeId, agencyOri: 'CA0430100' }, 'test')).secret;
    },
    async count(sql, params = []) {
      const rows = await runtime.context.db.query<{ n: number }>(sql, params as never);
      return Number(rows[0]?.n ?? 0);
    },
  };
  return hub;
}

/** A forwarder over `store` to `hubUrl`, its metrics in a registry of its own. */
export function makeForwarder(
  store: Store,
  o: {
    hubUrl: string;
    secret: string;
    edgeId?: string;
    clock?: Clock;
    forward?: Record<string, unknown>;
    logger?: Logger;
    events?: ForwarderOptions['events'];
  },
): { forwarder: Forwarder; registry: Registry } {
  const parsed = parseConfig(
    { forward: { enabled: true, hubUrl: o.hubUrl, backoffJitter: 0, ...o.forward } },
    path.dirname(store.file),
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const registry = new Registry();
  const edgeId = o.edgeId ?? 'edge-01';
  const forwarder = new Forwarder({
    store,
    config: { ...parsed.value.config.forward, hubUrl: o.hubUrl },
    edgeId,
    secret: parseEdgeSecret(o.secret),
    heads: anchorFileHeadSource({ ...defaultHeadPaths(store.file), chain: edgeId }),
    registry,
    clock: o.clock ?? Date.now,
    logger: o.logger ?? createLogger({ level: 'silent' }),
    random: () => 0.5,
    events: o.events,
  });
  return { forwarder, registry };
}
