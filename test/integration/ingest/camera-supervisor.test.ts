import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffBound } from '../../../edge/ingest/backoff.js';
import { type CameraState, CameraSupervisor } from '../../../edge/ingest/camera-supervisor.js';
import { startFfmpegFrameSource } from '../../../edge/ingest/ffmpeg-frame-source.js';
import type { Frame } from '../../../edge/pipeline/stages.js';
import { systemClock } from '../../../shared/runtime/clock.js';
import { eventually } from '../../support/eventually.js';
import { captureLogs } from '../../support/log-capture.js';
import { isAlive } from '../../support/processes.js';
import {
  type ClipServerFixture,
  type RtspClipServer,
  rtspServerSkipReason,
  startClipServer,
} from '../../support/rtsp-server.js';
import { ALLOW_SKIP } from '../../support/services.js';

const skip = await rtspServerSkipReason(ALLOW_SKIP);
let server: RtspClipServer;
let fixture: ClipServerFixture | undefined;

const backoff = { initialMs: 250, maxMs: 2000, jitter: 0.2 };

describe.skipIf(skip)('CameraSupervisor (real ffmpeg, real GStreamer RTSP server)', () => {
  beforeAll(async () => {
    fixture = await startClipServer('alpr-sup-', {}, { seconds: 300 });
    ({ server } = fixture);
  });
  afterAll(() => fixture?.close());

  it('goes reconnecting when the server dies and resumes frames within the backoff bound after it returns', async () => {
    const logs = captureLogs();
    const frames: Frame[] = [];
    const states: CameraState[] = [];
    const pids = new Set<number>();
    const supervisor = new CameraSupervisor({
      cameraId: 'cam-1',
      url: server.url(),
      startSource: (handlers) => {
        const run = startFfmpegFrameSource(
          {
            cameraId: 'cam-1',
            url: server.url(),
            sampleFps: 5,
            width: 160,
            height: 120,
            rtspTransport: 'tcp',
            ffmpegPath: 'ffmpeg',
            stopGraceMs: 1000,
            clock: systemClock,
          },
          handlers,
        );
        if (run.pid) pids.add(run.pid);
        return run;
      },
      onFrame: (f) => frames.push(f),
      onStateChange: (s) => states.push(s),
      // ffmpeg needs 2-3 s to probe a fresh RTSP stream before its first frame.
      staleAfterMs: 5000,
      offlineAfterMs: 60_000,
      backoff,
      clock: systemClock,
      logger: logs.logger,
    });
    try {
      supervisor.start();
      expect(supervisor.state).toBe('starting');
      await eventually('frames.length >= 5', () => frames.length >= 5, { timeoutMs: 20_000 });
      expect(supervisor.state).toBe('online');
      expect(frames.every((f) => f.data.length === 160 * 120 * 3)).toBe(true);

      await server.stop(true); // power cut: no TEARDOWN
      await eventually("supervisor.state === 'reconnecting'", () => supervisor.state === 'reconnecting', {
        timeoutMs: 10_000,
      });
      const failure = supervisor.status().lastFailure!;
      expect(['stream_ended', 'stalled', 'unreachable', 'ffmpeg_failed']).toContain(failure.reason);
      // Let a few reconnects fail against the dead port, then bring the camera back.
      await new Promise((r) => setTimeout(r, 1500));
      const before = frames.length;
      const attempts = supervisor.status().reconnects;
      const restartedAt = Date.now();
      await server.start();
      await eventually('frames.length > before', () => frames.length > before, { timeoutMs: 20_000 });
      const resumedAfter = Date.now() - restartedAt;
      // Bound: the longest backoff wait for the attempts so far, plus time for ffmpeg to connect and probe
      // (2-3 s on an idle machine; more on a loaded 2-core CI box).
      expect(resumedAfter).toBeLessThan(backoffBound(attempts + 1, backoff) + 8000);
      expect(supervisor.state).toBe('online');
      expect(states).toEqual(expect.arrayContaining(['online', 'reconnecting']));
      expect(supervisor.status().reconnects).toBeGreaterThanOrEqual(1);
      expect(logs.entries('camera stream failed').length).toBeGreaterThanOrEqual(1);
    } finally {
      await supervisor.stop();
    }
    expect(pids.size).toBeGreaterThanOrEqual(2);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  it('reports offline after offlineAfter without frames and keeps retrying at the capped delay', async () => {
    const logs = captureLogs();
    const supervisor = new CameraSupervisor({
      cameraId: 'cam-dead',
      url: 'rtsp://127.0.0.1:9/stream',
      startSource: (handlers) =>
        startFfmpegFrameSource(
          {
            cameraId: 'cam-dead',
            url: 'rtsp://127.0.0.1:9/stream',
            sampleFps: 5,
            width: 160,
            height: 120,
            rtspTransport: 'tcp',
            ffmpegPath: 'ffmpeg',
            stopGraceMs: 500,
            clock: systemClock,
          },
          handlers,
        ),
      onFrame: () => undefined,
      staleAfterMs: 2000,
      offlineAfterMs: 1500,
      backoff: { initialMs: 100, maxMs: 400, jitter: 0 },
      clock: systemClock,
      logger: logs.logger,
    });
    try {
      supervisor.start();
      await eventually("supervisor.state === 'offline'", () => supervisor.state === 'offline', {
        timeoutMs: 10_000,
      });
      const reconnects = supervisor.status().reconnects;
      await new Promise((r) => setTimeout(r, 1200));
      expect(supervisor.status().reconnects).toBeGreaterThan(reconnects); // still trying
      expect(supervisor.status().lastFailure?.reason).toBe('unreachable');
      // One warning for the failure kind, however many retries; repeats are debug lines.
      const warnings = logs.entries('camera stream failed');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ level: 40, reason: 'unreachable', camera: 'cam-dead' });
      expect(logs.entries('camera offline')).toHaveLength(1);
    } finally {
      await supervisor.stop();
    }
  });
});
