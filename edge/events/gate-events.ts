// Watches the compliance gate's per-camera decision (the same `storing` / `refusing:<reason>` labels the
// gate audits) and publishes `gate.refusing` and `gate.storing` on changes. The gate is only read, through
// the status() it serves /health with, so the gate itself needs no hook. A camera that starts in
// `refusing:pending` (the registry is loading) is not news unless it stays pending past a grace period.
import type { EventBus } from '../../shared/events/event-bus.js';
import type { GateDecision, GateRefusalReason } from '../../shared/geofence/gate-decision.js';
import type { Clock } from '../../shared/runtime/clock.js';

export interface GateStatusSource {
  status(now?: number): { cameras: Array<{ cameraId: string; decision: GateDecision }> };
}

type Reported = { state: 'storing' } | { state: 'refusing'; reason: GateRefusalReason };

interface CameraGate {
  /** What receivers last heard (undefined: nothing yet). */
  reported?: Reported;
  /** Since when the camera has been pending without that being reported. */
  pendingSince?: number;
}

/** True when `gate` can be watched (the registry-backed gate; test doubles may not be). */
export function isWatchableGate(gate: unknown): gate is GateStatusSource {
  return typeof (gate as GateStatusSource | undefined)?.status === 'function';
}

/**
 * One observation of the gate at `now`; returns the events to publish. Pure over `memory`.
 * @example observeGate(memory, [{ cameraId: 'c1', decision: { allow: false, reason: 'stale' } }], now, 30_000)
 */
export function observeGate(
  memory: Map<string, CameraGate>,
  cameras: Array<{ cameraId: string; decision: GateDecision }>,
  now: number,
  pendingGraceMs: number,
): Array<Parameters<EventBus['publish']>> {
  const out: Array<Parameters<EventBus['publish']>> = [];
  for (const { cameraId, decision } of cameras) {
    const entry = memory.get(cameraId) ?? {};
    memory.set(cameraId, entry);
    const before = entry.reported;
    if (decision.allow) {
      entry.pendingSince = undefined;
      if (before?.state === 'refusing') {
        out.push(['gate.storing', { cameraId, previous: 'refusing', previousReason: before.reason }]);
      }
      entry.reported = { state: 'storing' };
      continue;
    }
    const { reason } = decision;
    if (before?.state === 'refusing' && before.reason === reason) continue;
    if (reason === 'pending') {
      entry.pendingSince ??= now;
      if (now - entry.pendingSince < pendingGraceMs) continue;
    } else entry.pendingSince = undefined;
    out.push([
      'gate.refusing',
      before === undefined
        ? { cameraId, reason, previous: 'started' }
        : before.state === 'storing'
          ? { cameraId, reason, previous: 'storing' }
          : { cameraId, reason, previous: 'refusing', previousReason: before.reason },
    ] as Parameters<EventBus['publish']>);
    entry.reported = { state: 'refusing', reason };
  }
  const seen = new Set(cameras.map((c) => c.cameraId));
  for (const id of memory.keys()) if (!seen.has(id)) memory.delete(id);
  return out;
}

/** Poll the gate every `everyMs` and publish its changes; returns how to stop. */
export function watchGateStates(
  gate: GateStatusSource,
  bus: Pick<EventBus, 'publish' | 'declare'>,
  options: { clock: Clock; everyMs: number; pendingGraceMs: number },
): () => void {
  const memory = new Map<string, CameraGate>();
  const tick = () => {
    const now = options.clock();
    const { cameras } = gate.status(now);
    // The gate's cameras come from the validated config file (also after a reload): declared ids.
    bus.declare(
      'camera',
      cameras.map((c) => c.cameraId),
    );
    for (const [type, data] of observeGate(memory, cameras, now, options.pendingGraceMs)) {
      bus.publish(type, data as never);
    }
  };
  const timer = setInterval(() => {
    try {
      tick();
    } catch {
      // status() reads memory only; a failure here must not stop the edge. The next tick tries again.
    }
  }, options.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
