import { describe, expect, it } from 'vitest';
import { cameraStateEvents } from '../../../edge/events/camera-events.js';
import { observeGate } from '../../../edge/events/gate-events.js';
import type { CameraStatus } from '../../../edge/ingest/camera-supervisor.js';
import type { GateDecision } from '../../../shared/geofence/gate-decision.js';
import { manualClock } from '../../../shared/runtime/clock.js';

const T0 = Date.UTC(2026, 0, 15, 8, 0, 0);

function status(overrides: Partial<CameraStatus> = {}): CameraStatus {
  return {
    id: 'gate-north',
    state: 'online',
    stateSince: T0,
    lastFrameAt: undefined,
    lastFrameAgeMs: null,
    fps: 0,
    framesIn: 0,
    reconnects: 0,
    tornFrames: 0,
    lastFailure: undefined,
    pid: undefined,
    ...overrides,
  };
}

describe('camera state → events', () => {
  it('publishes camera.offline with the failure reason and camera.back with how long it was offline', () => {
    const clock = manualClock(T0);
    const published: unknown[][] = [];
    const listener = cameraStateEvents(
      { publish: (...a: unknown[]) => published.push(a) && 'queued' } as never,
      clock,
    );
    clock.advance(40_000);
    listener(
      status({
        state: 'offline',
        lastFrameAt: T0 + 10_000,
        lastFailure: { reason: 'unreachable', detail: 'rtsp://admin:pw@cam/ refused', at: T0 + 11_000 },
      }),
      'reconnecting',
    );
    clock.advance(95_000);
    listener(status({ state: 'online', lastFrameAt: clock() }), 'offline');
    expect(published).toEqual([
      [
        'camera.offline',
        {
          cameraId: 'gate-north',
          reason: 'unreachable',
          downForS: 30,
          lastFrameAt: '2026-01-15T08:00:10.000Z',
        },
      ],
      ['camera.back', { cameraId: 'gate-north', offlineForS: 95 }],
    ]);
  });

  it('says nothing about reconnects that never reach offline, or a first start', () => {
    const published: unknown[] = [];
    const listener = cameraStateEvents(
      { publish: (...a: unknown[]) => published.push(a) } as never,
      manualClock(T0),
    );
    listener(status({ state: 'reconnecting' }), 'online');
    listener(status({ state: 'online' }), 'reconnecting');
    listener(status({ state: 'online' }), 'starting');
    expect(published).toEqual([]);
  });
});

describe('observeGate (gate decisions → gate.refusing / gate.storing)', () => {
  const GRACE = 30_000;
  const cam = (decision: GateDecision) => [{ cameraId: 'gate-north', decision }];
  const storing: GateDecision = { allow: true, verdictId: 7 };
  const refusing = (reason: Extract<GateDecision, { allow: false }>['reason']): GateDecision => ({
    allow: false,
    reason,
    detail: 'free text that never leaves',
  });

  it('reports a refusal with its reason and the return to storing, once per change', () => {
    const memory = new Map();
    expect(observeGate(memory, cam(storing), T0, GRACE)).toEqual([]);
    expect(observeGate(memory, cam(refusing('non_compliant')), T0 + 1000, GRACE)).toEqual([
      ['gate.refusing', { cameraId: 'gate-north', reason: 'non_compliant', previous: 'storing' }],
    ]);
    expect(observeGate(memory, cam(refusing('non_compliant')), T0 + 2000, GRACE)).toEqual([]);
    expect(observeGate(memory, cam(refusing('stale')), T0 + 3000, GRACE)).toEqual([
      [
        'gate.refusing',
        { cameraId: 'gate-north', reason: 'stale', previous: 'refusing', previousReason: 'non_compliant' },
      ],
    ]);
    expect(observeGate(memory, cam(storing), T0 + 4000, GRACE)).toEqual([
      ['gate.storing', { cameraId: 'gate-north', previous: 'refusing', previousReason: 'stale' }],
    ]);
  });

  it('treats pending as news only after the grace period', () => {
    const memory = new Map();
    expect(observeGate(memory, cam(refusing('pending')), T0, GRACE)).toEqual([]);
    expect(observeGate(memory, cam(storing), T0 + 5000, GRACE)).toEqual([]);
    expect(observeGate(memory, cam(refusing('pending')), T0 + 6000, GRACE)).toEqual([]);
    expect(observeGate(memory, cam(refusing('pending')), T0 + 6000 + GRACE, GRACE)).toEqual([
      ['gate.refusing', { cameraId: 'gate-north', reason: 'pending', previous: 'storing' }],
    ]);
  });

  it('reports a camera that refuses from the start, and forgets cameras no longer configured', () => {
    const memory = new Map();
    expect(observeGate(memory, cam(refusing('registry_error')), T0, GRACE)).toEqual([
      ['gate.refusing', { cameraId: 'gate-north', reason: 'registry_error', previous: 'started' }],
    ]);
    observeGate(memory, [], T0 + 1000, GRACE);
    expect(memory.size).toBe(0);
  });
});
