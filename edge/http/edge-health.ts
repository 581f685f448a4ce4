// /health and /metrics for the edge: what "healthy" means for an edge box, and the routes that serve it
// through the shared status server.
import { jsonResponse, type StatusRoute } from '../../shared/http/status-server.js';
import type { Clock } from '../../shared/runtime/clock.js';
import type { ForwardHealth } from '../forward/forwarder.js';
import type { CameraState, CameraStatus } from '../ingest/camera-supervisor.js';
import type { EdgeMetrics } from './edge-metrics.js';

export interface EdgeHealth {
  status: 'ok' | 'degraded';
  cameras: Array<{ id: string; state: CameraState; lastFrameAgeMs: number | null; fps: number }>;
  /** forwarding to the hub, when enabled */
  forward?: ForwardHealth;
}

/**
 * ok when every camera is online (and, when forwarding, the oldest read not yet at the hub is younger
 * than forward.maxLagS); degraded otherwise. HTTP 503 when any camera has been offline for
 * longer than `unhealthyAfterOfflineMs` (a box that needs a visit), else 200.
 * @example buildEdgeHealth([{ id: 'c1', state: 'online', ... }], now, 300_000) // { httpStatus: 200, body: { status: 'ok', ... } }
 */
export function buildEdgeHealth(
  statuses: CameraStatus[],
  now: number,
  unhealthyAfterOfflineMs: number,
  forward?: ForwardHealth,
): { httpStatus: 200 | 503; body: EdgeHealth } {
  const degraded = statuses.some((s) => s.state !== 'online') || forward?.degraded === true;
  const unhealthy = statuses.some(
    (s) => s.state === 'offline' && now - s.stateSince > unhealthyAfterOfflineMs,
  );
  return {
    httpStatus: unhealthy ? 503 : 200,
    body: {
      status: degraded ? 'degraded' : 'ok',
      cameras: statuses.map((s) => ({
        id: s.id,
        state: s.state,
        lastFrameAgeMs: s.lastFrameAgeMs,
        fps: s.fps,
      })),
      ...(forward ? { forward } : {}),
    },
  };
}

export function edgeStatusRoutes(options: {
  metrics: EdgeMetrics;
  statuses: () => CameraStatus[];
  clock: Clock;
  unhealthyAfterOfflineMs: number;
  forward?: () => ForwardHealth | undefined;
}): Record<string, StatusRoute> {
  return {
    '/health': () => {
      const { httpStatus, body } = buildEdgeHealth(
        options.statuses(),
        options.clock(),
        options.unhealthyAfterOfflineMs,
        options.forward?.(),
      );
      return jsonResponse(httpStatus, body);
    },
    '/metrics': async () => {
      const { contentType, body } = await options.metrics.render();
      return { status: 200, contentType, body };
    },
  };
}
