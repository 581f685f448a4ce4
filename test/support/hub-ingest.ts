// An in-process hub for ingest tests on either engine: the real features, authenticators and fastify
// server over a test database, driven through fastify's inject (no socket), with a clock the test owns.
// Plus signed requests as an edge sends them and small factories for the wire bodies.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { addAgency } from '../../hub/agencies/agencies.service.js';
import { HubAuditLog } from '../../hub/audit/hub-audit-log.js';
import type { HubEngine } from '../../hub/db/hub-db.js';
import { enrolEdge } from '../../hub/edges/edge-enrolment.service.js';
import { HubMetrics } from '../../hub/http/hub-metrics.js';
import { buildHubServer } from '../../hub/http/hub-server.js';
import type { HubContext, HubFeature } from '../../hub/hub-context.js';
import { HUB_FEATURES } from '../../hub/hub-features.js';
import { loadHubKeys } from '../../hub/hub-keys.js';
import { parseConfig } from '../../shared/config/load-config.js';
import { createEventBus } from '../../shared/events/events-from-config.js';
import { parseEdgeSecret, signRequest } from '../../shared/forward/request-signature.js';
import type { WireCamera, WireRead, WireVerdict } from '../../shared/forward/wire.js';
import { createLogger, type Logger } from '../../shared/logging/logger.js';
import { manualClock } from '../../shared/runtime/clock.js';
import { openTestHubDb, type TestHubDb } from './hub-db.js';

export const HUB_T0 = Date.UTC(2026, 2, 1, 12, 0, 0);

export interface TestHub {
  ctx: HubContext;
  app: FastifyInstance;
  clock: ReturnType<typeof manualClock>;
  dataDir: string;
  t: TestHubDb;
  close(): Promise<void>;
}

export async function openTestHub(
  engine: HubEngine,
  options: {
    config?: Record<string, unknown>;
    now?: number;
    features?: readonly HubFeature[];
    /** the hub's logger (default: silent); tests that read the logs pass a captured one */
    logger?: Logger;
  } = {},
): Promise<TestHub> {
  const t = await openTestHubDb(engine);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'alpr-hub-ingest-'));
  const parsed = parseConfig(
    { ...options.config, hub: { ...((options.config?.hub as object) ?? {}), dataDir } },
    dataDir,
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const config = parsed.value.config;
  const clock = manualClock(options.now ?? HUB_T0);
  const metrics = new HubMetrics({ processMetrics: false });
  const ctx: HubContext = {
    db: t.db,
    audit: new HubAuditLog(),
    config,
    logger: options.logger ?? createLogger({ level: 'silent' }),
    clock,
    keys: loadHubKeys(path.join(dataDir, 'keys')),
    metrics,
    events: createEventBus(config.events, {
      kind: 'hub',
      defaultNodeId: 'hub',
      defaultDir: dataDir,
      clock,
      logger: createLogger({ level: 'silent' }),
      registry: metrics.registry,
    }),
  };
  const features = options.features ?? HUB_FEATURES;
  const app = await buildHubServer({
    routes: features.flatMap((f) => f.routes?.(ctx) ?? []),
    authenticators: features.flatMap((f) => f.authenticators?.(ctx) ?? []),
    logger: ctx.logger,
    version: 'test',
    bodyLimitBytes: config.hub.bodyLimitBytes,
    metrics: ctx.metrics,
  });
  return {
    ctx,
    app,
    clock,
    dataDir,
    t,
    async close() {
      await app.close();
      await t.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The home agency (once) and an enrolled edge; returns the edge's secret. */
export async function enrolTestEdge(hub: Pick<TestHub, 'ctx'>, edgeId = 'edge-01'): Promise<string> {
  const agencies = await hub.ctx.db.query('SELECT 1 FROM agencies WHERE ori = $1', ['CA0430100']);
  if (agencies.length === 0) {
    await addAgency(
      hub.ctx,
      { ori: 'CA0430100', name: 'San José Police Department', type: 'local_le', home: true },
      'test',
    );
  }
  return (await enrolEdge(hub.ctx, { edgeId, agencyOri: 'CA0430100' }, 'test')).secret;
}

export interface SignedCall {
  edgeId: string;
  secret: string;
  /** defaults to the hub clock */
  timestamp?: number;
  nonce?: string;
  /** sign these bytes but send `body` (a tampered body) */
  signedBody?: string;
  headers?: Record<string, string | undefined>;
}

/** POST a JSON body as the edge would: signed with its secret over the exact bytes sent. */
export async function edgePost(hub: TestHub, url: string, body: unknown, call: SignedCall) {
  const bytes = typeof body === 'string' ? body : JSON.stringify(body);
  const signed = signRequest(parseEdgeSecret(call.secret), {
    method: 'POST',
    path: url,
    edgeId: call.edgeId,
    timestamp: call.timestamp ?? hub.clock(),
    nonce: call.nonce,
    body: Buffer.from(call.signedBody ?? bytes),
  });
  const headers: Record<string, string> = { 'content-type': 'application/json', ...signed };
  for (const [k, v] of Object.entries(call.headers ?? {})) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  return hub.app.inject({ method: 'POST', url, payload: bytes, headers });
}

export function wireCamera(overrides: Partial<WireCamera> = {}): WireCamera {
  return {
    cameraId: 'cam-1',
    label: 'Main St NB',
    position: { lng: -121.886, lat: 37.338 },
    bearingDeg: 20,
    fovDeg: 40,
    rangeM: 30,
    cameraHash: 'hash-cam-1',
    config: { model: 'sector-v1' },
    ...overrides,
  };
}

export function wireVerdict(overrides: Partial<WireVerdict> = {}): WireVerdict {
  return {
    edgeVerdictId: 1,
    cameraId: 'cam-1',
    cameraHash: 'hash-cam-1',
    registryVersion: 'registry-v1',
    compliant: true,
    violations: [],
    evaluatedAt: HUB_T0 - 3_600_000,
    ...overrides,
  };
}

export function wireRead(overrides: Partial<WireRead> = {}): WireRead {
  return {
    edgeReadId: 1,
    cameraId: 'cam-1',
    edgeVerdictId: 1,
    capturedAt: HUB_T0 - 60_000,
    plate: '7ABC123',
    rawText: '7ABC123',
    confidence: 0.97,
    box: { x: 410, y: 300, w: 120, h: 60 },
    modelId: 'cct-xs-v1-global',
    cropSha256: null,
    ...overrides,
  };
}

/** Reads ids 1..n, a second apart. */
export function wireReads(n: number, from = 1, overrides: Partial<WireRead> = {}): WireRead[] {
  return Array.from({ length: n }, (_, i) =>
    wireRead({ edgeReadId: from + i, capturedAt: HUB_T0 - 600_000 + (from + i) * 1000, ...overrides }),
  );
}

/** The value of one metric series in the hub's registry (0 when absent). */
export async function metricValue(
  hub: TestHub,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = (await hub.ctx.metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find((v) =>
    Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want),
  );
  return value?.value ?? 0;
}
