import { describe, expect, it } from 'vitest';
import { EdgeMetrics } from '../../../edge/http/edge-metrics.js';
import type { CameraStatus } from '../../../edge/ingest/camera-supervisor.js';
import { STORE_REFUSAL_REASONS } from '../../../shared/geofence/gate-decision.js';
import { ALPR_VERSION } from '../../../shared/runtime/version.js';

const status = (id: string, state: CameraStatus['state']): CameraStatus => ({
  id,
  state,
  stateSince: 0,
  lastFrameAt: 1000,
  lastFrameAgeMs: 1500,
  fps: 4.8,
  framesIn: 10,
  reconnects: 0,
  tornFrames: 0,
  lastFailure: undefined,
  pid: undefined,
});

describe('EdgeMetrics', () => {
  it('keeps its own registry, so two services (or tests) do not collide', async () => {
    const a = new EdgeMetrics(() => [], { processMetrics: false });
    const b = new EdgeMetrics(() => [], { processMetrics: false });
    a.framesIn.inc({ camera: 'x' }, 3);
    expect((await b.render()).body).not.toContain('camera="x"');
    expect((await a.render()).body).toContain('alpr_camera_frames_in_total{camera="x"} 3');
  });

  it('exposes state as one series per state, last-frame age in seconds, and fps at scrape time', async () => {
    const m = new EdgeMetrics(() => [status('c1', 'reconnecting')], { processMetrics: false });
    const { body, contentType } = await m.render();
    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toContain('alpr_camera_state{camera="c1",state="reconnecting"} 1');
    expect(body).toContain('alpr_camera_state{camera="c1",state="online"} 0');
    expect(body).toContain('alpr_camera_last_frame_age_seconds{camera="c1"} 1.5');
    expect(body).toContain('alpr_camera_fps{camera="c1"} 4.8');
  });

  it('says which version runs (alpr_build_info) and, with an anchorer, how audit anchoring goes', async () => {
    const m = new EdgeMetrics(() => [], {
      processMetrics: false,
      anchor: () => ({
        file: 'a.jsonl',
        keyId: 'k',
        lastAnchor: { seq: 42, at: '2026-03-01T12:00:00.000Z' },
        anchored: 3,
        failures: 1,
        lastError: 'disk full',
      }),
    });
    const { body } = await m.render();
    expect(body).toContain(`alpr_build_info{version="${ALPR_VERSION}"} 1`);
    expect(body).toContain('alpr_audit_anchors_total 3');
    expect(body).toContain('alpr_audit_anchor_failures_total 1');
    expect(body).toContain('alpr_audit_anchored_seq 42');
    expect(body).toContain('alpr_audit_anchor_ok 0');
  });

  it('creates every per-camera counter at zero, including one refusal series per gate reason', async () => {
    const m = new EdgeMetrics(() => [], { processMetrics: false });
    m.registerCamera('c1');
    const { body } = await m.render();
    for (const name of ['frames_in', 'frames_analysed', 'frames_dropped', 'reconnects']) {
      expect(body).toContain(`alpr_camera_${name}_total{camera="c1"} 0`);
    }
    expect(body).toContain('alpr_reads_stored_total{camera="c1"} 0');
    for (const reason of STORE_REFUSAL_REASONS) {
      expect(body).toContain(`alpr_reads_refused_total{camera="c1",reason="${reason}"} 0`);
    }
  });
});
