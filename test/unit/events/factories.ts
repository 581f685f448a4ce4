// Small factories for events: one valid sample per type, with overrides, and the ids they declare.
import type { AlprEvent, EventData, EventType } from '../../../shared/events/event-catalog.js';
import type { DeclaredIds } from '../../../shared/events/plate-free.js';

export const NODE = 'edge-01';
export const T0 = Date.UTC(2026, 0, 15, 8, 0, 0);

export const SAMPLE_DATA: { [T in EventType]: EventData<T> } = {
  'camera.offline': {
    cameraId: 'gate-north',
    reason: 'unreachable',
    downForS: 30,
    lastFrameAt: '2026-01-15T07:59:30.000Z',
  },
  'camera.back': { cameraId: 'gate-north', offlineForS: 95 },
  'gate.refusing': { cameraId: 'gate-north', reason: 'non_compliant', previous: 'storing' },
  'gate.storing': { cameraId: 'gate-north', previous: 'refusing', previousReason: 'pending' },
  'retention.missed': {
    scope: 'hub',
    retentionDays: 30,
    overdue: 2,
    unit: 'partitions',
    overdueByS: 7200,
    edgeId: 'edge-02',
  },
  'forwarding.lag': { lagS: 900, pendingReads: 4200, thresholdS: 600, lastForwardedAt: null },
  'forwarding.caught_up': { lagS: 3, pendingReads: 0 },
  'hit.unverified_waiting': {
    hitId: 812,
    agencyId: 3,
    waitingS: 1800,
    thresholdS: 900,
    stale: false,
    edgeId: 'edge-02',
    cameraId: 'gate-north',
  },
  'events.test': { requestedBy: 'cli' },
};

let counter = 0;
/** A fresh lower-case UUID per call (deterministic, so failures are reproducible). */
export function uuid(): string {
  counter += 1;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

export function eventOf<T extends EventType>(
  type: T,
  data: Partial<EventData<T>> = {},
  overrides: Partial<AlprEvent<T>> = {},
): AlprEvent<T> {
  return {
    id: uuid(),
    type,
    timestamp: new Date(T0).toISOString(),
    source: { kind: 'edge', nodeId: NODE },
    data: { ...SAMPLE_DATA[type], ...data } as EventData<T>,
    ...overrides,
  };
}

export function declared(extra: Partial<Record<keyof DeclaredIds, string[]>> = {}): DeclaredIds {
  return {
    node: new Set([NODE, ...(extra.node ?? [])]),
    camera: new Set(['gate-north', 'gate-south', ...(extra.camera ?? [])]),
    edge: new Set(['edge-02', ...(extra.edge ?? [])]),
  };
}
