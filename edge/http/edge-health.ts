// /health and /metrics for the edge: what "healthy" means for an edge box, and the routes that serve it
// through the shared status server.
import type { AnchorStatus } from '../../shared/audit/anchorer.js';
import { decisionLabel } from '../../shared/geofence/gate-decision.js';
import { jsonResponse, type StatusRoute } from '../../shared/http/status-server.js';
import type { Clock } from '../../shared/runtime/clock.js';
import { ALPR_VERSION } from '../../shared/runtime/version.js';
import type { ForwardHealth } from '../forward/forwarder.js';
import type { CameraState, CameraStatus } from '../ingest/camera-supervisor.js';
import type { ComplianceGate, GateStatus } from '../pipeline/stages.js';
import type { EdgeMetrics } from './edge-metrics.js';

/** A clock-skew refusal keeps /health degraded this long (the clock jumped; someone should look). */
export const CLOCK_SKEW_HEALTH_WINDOW_MS = 15 * 60_000;

export interface ClockSkewStatus {
  refusedReads: number;
  lastAt: number | undefined;
  detail: string;
}

export interface EdgeHealth {
  status: 'ok' | 'degraded';
  /** the running alpr version (package.json) */
  version: string;
  reasons: string[];
  cameras: Array<{
    id: string;
    state: CameraState;
    lastFrameAgeMs: number | null;
    fps: number;
    /** `storing` or `refusing:<reason>`, with why. */
    gate?: string;
    gateDetail?: string;
  }>;
  registry?: { status: string; version?: string; detail?: string };
  config?: GateStatus['config'];
  clockSkew?: { refusedReads: number; lastAt: string | null; detail?: string };
  /** the signed audit head (absent where no anchorer runs, e.g. in unit tests) */
  audit?: AnchorStatus;
  /** forwarding to the hub, when enabled */
  forward?: ForwardHealth;
}

/**
 * ok when every camera is online and storing (or refusing only because it is not compliant) and no
 * read was refused for clock skew lately (and, when forwarding, the oldest read not yet at the hub is
 * younger than forward.maxLagS); degraded otherwise, with reasons. HTTP 503 when any camera
 * has been offline for longer than `unhealthyAfterOfflineMs` (a box that needs a visit), else 200.
 * @example buildEdgeHealth([{ id: 'c1', state: 'online', ... }], now, 300_000) // { httpStatus: 200, body: { status: 'ok', ... } }
 */
export function buildEdgeHealth(
  statuses: CameraStatus[],
  now: number,
  unhealthyAfterOfflineMs: number,
  extra: {
    gate?: GateStatus;
    clockSkew?: ClockSkewStatus;
    audit?: AnchorStatus;
    forward?: ForwardHealth;
  } = {},
): { httpStatus: 200 | 503; body: EdgeHealth } {
  const reasons: string[] = [];
  const offline = statuses.filter((s) => s.state !== 'online');
  if (offline.length > 0) reasons.push(`camera(s) not online: ${offline.map((s) => s.id).join(', ')}`);
  const unhealthy = statuses.some(
    (s) => s.state === 'offline' && now - s.stateSince > unhealthyAfterOfflineMs,
  );
  const { gate, clockSkew, audit, forward } = extra;
  if (audit?.lastError) reasons.push(`audit head not anchored: ${audit.lastError}`);
  if (forward?.degraded)
    reasons.push(
      `forwarding to the hub is behind: the oldest read waiting is ${forward.oldestUnforwardedAgeS} s old`,
    );
  const decisions = new Map(gate?.cameras.map((c) => [c.cameraId, c.decision]));
  if (gate?.config?.status === 'invalid') {
    const which = gate.config.cameras === 'all' ? 'all cameras' : gate.config.cameras.join(', ');
    reasons.push(
      `config file invalid since ${new Date(gate.config.since).toISOString()}: ${which} refuse reads`,
    );
  }
  if (gate && gate.registry.status !== 'ok' && gate.registry.status !== 'not_loaded')
    reasons.push(`site registry ${gate.registry.status}`);
  const closed = [...decisions].filter(([, d]) => !d.allow && d.reason !== 'non_compliant');
  if (closed.length > 0)
    reasons.push(
      `camera(s) refusing reads: ${closed.map(([id, d]) => `${id} (${decisionLabel(d)})`).join(', ')}`,
    );
  const recentSkew = clockSkew?.lastAt !== undefined && now - clockSkew.lastAt <= CLOCK_SKEW_HEALTH_WINDOW_MS;
  if (recentSkew)
    reasons.push(
      `${clockSkew!.refusedReads} read(s) refused for clock skew since start (last ${new Date(clockSkew!.lastAt!).toISOString()})`,
    );
  const body: EdgeHealth = {
    status: reasons.length > 0 ? 'degraded' : 'ok',
    version: ALPR_VERSION,
    reasons,
    cameras: statuses.map((s) => {
      const d = decisions.get(s.id);
      return {
        id: s.id,
        state: s.state,
        lastFrameAgeMs: s.lastFrameAgeMs,
        fps: s.fps,
        ...(d ? { gate: decisionLabel(d), ...(d.allow || !d.detail ? {} : { gateDetail: d.detail }) } : {}),
      };
    }),
  };
  if (gate) {
    const r = gate.registry;
    body.registry = {
      status: r.status,
      ...(r.status === 'ok' ? { version: r.version } : {}),
      ...('detail' in r ? { detail: r.detail } : {}),
    };
    if (gate.config) body.config = gate.config;
  }
  if (clockSkew)
    body.clockSkew = {
      refusedReads: clockSkew.refusedReads,
      lastAt: clockSkew.lastAt === undefined ? null : new Date(clockSkew.lastAt).toISOString(),
      ...(clockSkew.detail ? { detail: clockSkew.detail } : {}),
    };
  if (audit) body.audit = audit;
  if (forward) body.forward = forward;
  return { httpStatus: unhealthy ? 503 : 200, body };
}

export function edgeStatusRoutes(options: {
  metrics: EdgeMetrics;
  statuses: () => CameraStatus[];
  gate?: ComplianceGate;
  clockSkew?: () => ClockSkewStatus;
  anchor?: () => AnchorStatus;
  clock: Clock;
  unhealthyAfterOfflineMs: number;
  forward?: () => ForwardHealth | undefined;
}): Record<string, StatusRoute> {
  return {
    '/health': () => {
      const now = options.clock();
      const { httpStatus, body } = buildEdgeHealth(options.statuses(), now, options.unhealthyAfterOfflineMs, {
        gate: options.gate?.status?.(now),
        clockSkew: options.clockSkew?.(),
        audit: options.anchor?.(),
        forward: options.forward?.(),
      });
      return jsonResponse(httpStatus, body);
    },
    '/metrics': async () => {
      const { contentType, body } = await options.metrics.render();
      return { status: 200, contentType, body };
    },
  };
}
