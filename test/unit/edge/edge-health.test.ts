import { describe, expect, it } from 'vitest';
import { buildEdgeHealth } from '../../../edge/http/edge-health.js';
import type { CameraStatus } from '../../../edge/ingest/camera-supervisor.js';
import { ALPR_VERSION } from '../../../shared/runtime/version.js';

const NOW = Date.UTC(2026, 2, 1, 12);
const status = (overrides: Partial<CameraStatus> = {}): CameraStatus => ({
  id: 'c1',
  state: 'online',
  stateSince: NOW - 60_000,
  lastFrameAt: NOW - 200,
  lastFrameAgeMs: 200,
  fps: 5,
  framesIn: 300,
  reconnects: 0,
  tornFrames: 0,
  lastFailure: undefined,
  pid: 123,
  ...overrides,
});

describe('buildEdgeHealth', () => {
  it('is ok with 200 when every camera is online, listing id, state, last-frame age and fps', () => {
    expect(buildEdgeHealth([status()], NOW, 300_000)).toEqual({
      httpStatus: 200,
      body: {
        status: 'ok',
        version: ALPR_VERSION,
        reasons: [],
        cameras: [{ id: 'c1', state: 'online', lastFrameAgeMs: 200, fps: 5 }],
      },
    });
  });

  it('is degraded but 200 while a camera reconnects or has only just gone offline', () => {
    const h = buildEdgeHealth(
      [status(), status({ id: 'c2', state: 'offline', stateSince: NOW - 1000 })],
      NOW,
      300_000,
    );
    expect(h.httpStatus).toBe(200);
    expect(h.body.status).toBe('degraded');
  });

  it('answers 503 once a camera has been offline longer than the threshold', () => {
    const h = buildEdgeHealth(
      [status(), status({ id: 'c2', state: 'offline', stateSince: NOW - 300_001 })],
      NOW,
      300_000,
    );
    expect(h.httpStatus).toBe(503);
    expect(h.body.status).toBe('degraded');
  });

  it('reports a camera that never delivered a frame with a null age', () => {
    const h = buildEdgeHealth(
      [status({ state: 'starting', lastFrameAt: undefined, lastFrameAgeMs: null, fps: 0 })],
      NOW,
      1,
    );
    expect(h.body.cameras[0]).toEqual({ id: 'c1', state: 'starting', lastFrameAgeMs: null, fps: 0 });
    expect(h.httpStatus).toBe(200);
  });

  it('shows an invalid config file, the cameras it closed and each camera’s gate state, and degrades', () => {
    const h = buildEdgeHealth([status(), status({ id: 'c2' })], NOW, 300_000, {
      gate: {
        registry: { status: 'ok', version: 'abc', checkedAt: NOW },
        config: {
          status: 'invalid',
          since: NOW - 60_000,
          issues: ['recognition.minConfidenc: unknown key'],
          cameras: ['c1'],
          reloads: { valid: 0, invalid: 1 },
        },
        cameras: [
          {
            cameraId: 'c1',
            decision: { allow: false, reason: 'config_invalid', detail: 'config file invalid (…)' },
          },
          { cameraId: 'c2', decision: { allow: true, verdictId: 4 } },
        ],
      },
    });
    expect(h.httpStatus).toBe(200);
    expect(h.body).toMatchObject({
      status: 'degraded',
      registry: { status: 'ok', version: 'abc' },
      config: { status: 'invalid', cameras: ['c1'] },
      cameras: [
        { id: 'c1', gate: 'refusing:config_invalid', gateDetail: 'config file invalid (…)' },
        { id: 'c2', gate: 'storing' },
      ],
    });
    expect(h.body.reasons).toContain(
      `config file invalid since ${new Date(NOW - 60_000).toISOString()}: c1 refuse reads`,
    );
  });
});
