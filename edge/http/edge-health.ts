// /health and /metrics for the edge: what "healthy" means for an edge box, and the routes that serve it
// through the shared status server.
import type { AnchorStatus } from '../../shared/audit/anchorer.js';
import { jsonResponse, type StatusRoute } from '../../shared/http/status-server.js';
import type { Clock } from '../../shared/runtime/clock.js';
import { ALPR_VERSION } from '../../shared/runtime/version.js';
import type { CameraState, CameraStatus } from '../ingest/camera-supervisor.js';
import type { EdgeMetrics } from './edge-metrics.js';

export interface EdgeHealth {
  status: 'ok' | 'degraded';
  /** the running alpr version (package.json) */
  version: string;
  cameras: Array<{ id: string; state: CameraState; lastFrameAgeMs: number | null; fps: number }>;
  /** the signed audit head (absent where no anchorer runs, e.g. in unit tests) */
  audit?: AnchorStatus;
}

/**
 * ok when every camera is online and the audit head is being anchored; degraded otherwise. HTTP 503 when
 * any camera has been offline for longer than `unhealthyAfterOfflineMs` (a box that needs a visit), else 200.
 * @example buildEdgeHealth([{ id: 'c1', state: 'online', ... }], now, 300_000) // { httpStatus: 200, body: { status: 'ok', ... } }
 */
export function buildEdgeHealth(
  statuses: CameraStatus[],
  now: number,
  unhealthyAfterOfflineMs: number,
  audit?: AnchorStatus,
): { httpStatus: 200 | 503; body: EdgeHealth } {
  const degraded = statuses.some((s) => s.state !== 'online') || Boolean(audit?.lastError);
  const unhealthy = statuses.some(
    (s) => s.state === 'offline' && now - s.stateSince > unhealthyAfterOfflineMs,
  );
  return {
    httpStatus: unhealthy ? 503 : 200,
    body: {
      status: degraded ? 'degraded' : 'ok',
      version: ALPR_VERSION,
      cameras: statuses.map((s) => ({
        id: s.id,
        state: s.state,
        lastFrameAgeMs: s.lastFrameAgeMs,
        fps: s.fps,
      })),
      ...(audit ? { audit } : {}),
    },
  };
}

export function edgeStatusRoutes(options: {
  metrics: EdgeMetrics;
  statuses: () => CameraStatus[];
  anchor?: () => AnchorStatus;
  clock: Clock;
  unhealthyAfterOfflineMs: number;
}): Record<string, StatusRoute> {
  return {
    '/health': () => {
      const { httpStatus, body } = buildEdgeHealth(
        options.statuses(),
        options.clock(),
        options.unhealthyAfterOfflineMs,
        options.anchor?.(),
      );
      return jsonResponse(httpStatus, body);
    },
    '/metrics': async () => {
      const { contentType, body } = await options.metrics.render();
      return { status: 200, contentType, body };
    },
  };
}
