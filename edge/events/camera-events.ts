// Turns the camera supervisor's state changes into operations events: `camera.offline` when a camera
// crosses ingest.offlineAfterS without frames, `camera.back` when an offline camera sends frames again.
// Short reconnects that never reach offline say nothing (they are metrics, not news).
import type { EventBus } from '../../shared/events/event-bus.js';
import type { CameraDownReason } from '../../shared/events/event-catalog.js';
import type { Clock } from '../../shared/runtime/clock.js';
import type { CameraState, CameraStatus } from '../ingest/camera-supervisor.js';
import type { SourceFailureReason } from '../ingest/ffmpeg-failure.js';

// Every supervisor failure reason has a place in the event catalog (a compile-time check).
const _reasons: readonly CameraDownReason[] = [] as SourceFailureReason[];
void _reasons;

export type CameraStateListener = (status: CameraStatus, previous: CameraState) => void;

/** The listener EdgeService calls on every camera state change; publishes to `bus`. */
export function cameraStateEvents(bus: Pick<EventBus, 'publish'>, clock: Clock): CameraStateListener {
  const startedAt = clock();
  const offlineSince = new Map<string, number>();
  return (status, previous) => {
    const now = clock();
    if (status.state === 'offline' && previous !== 'offline') {
      offlineSince.set(status.id, now);
      const since = status.lastFrameAt ?? startedAt;
      bus.publish('camera.offline', {
        cameraId: status.id,
        reason: status.lastFailure?.reason ?? 'unknown',
        downForS: Math.max(0, Math.round((now - since) / 1000)),
        lastFrameAt: status.lastFrameAt === undefined ? null : new Date(status.lastFrameAt).toISOString(),
      });
    } else if (status.state === 'online' && previous === 'offline') {
      const since = offlineSince.get(status.id) ?? now;
      offlineSince.delete(status.id);
      bus.publish('camera.back', {
        cameraId: status.id,
        offlineForS: Math.max(0, Math.round((now - since) / 1000)),
      });
    }
  };
}
