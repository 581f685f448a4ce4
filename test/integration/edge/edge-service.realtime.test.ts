import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeService, ffmpegSources } from '../../../edge/edge-service.js';
import { edgeStatusRoutes } from '../../../edge/http/edge-health.js';
import { EdgeMetrics } from '../../../edge/http/edge-metrics.js';
import type { StartFrameSource } from '../../../edge/ingest/ffmpeg-frame-source.js';
import type { ReadSink } from '../../../edge/pipeline/stages.js';
import { StoreReadSink } from '../../../edge/store-read-sink.js';
import type { ResolvedCamera } from '../../../shared/config/camera.schema.js';
import { startStatusServer } from '../../../shared/http/status-server.js';
import type { PassRead } from '../../../shared/plates/pass-tracker.js';
import { systemClock } from '../../../shared/runtime/clock.js';
import { openStore } from '../../../shared/store/store.js';
import { edgeTestConfig } from '../../support/edge-config.js';
import { eventually } from '../../support/eventually.js';
import { seedCompliantCamera } from '../../support/factories.js';
import { captureLogs } from '../../support/log-capture.js';
import { fixedGate, passEvery, plateEveryFrame } from '../../support/pipeline-doubles.js';
import { isAlive } from '../../support/processes.js';
import {
  type ClipServerFixture,
  freePort,
  type RtspClipServer,
  rtspServerSkipReason,
  startClipServer,
} from '../../support/rtsp-server.js';
import { ALLOW_SKIP } from '../../support/services.js';

const skip = await rtspServerSkipReason(ALLOW_SKIP);
let dir: string;
let server: RtspClipServer;
let fixture: ClipServerFixture | undefined;
const PASSWORD = 'edge-pa55';

/** Real ffmpeg sources, remembering every PID; `ffmpegFor` can swap the binary per camera. */
function trackedSources(ffmpegFor: (camera: ResolvedCamera) => string = () => 'ffmpeg') {
  const pids = new Map<string, number[]>();
  const sourceFor = (camera: ResolvedCamera): StartFrameSource => {
    const start = ffmpegSources({
      ffmpegPath: ffmpegFor(camera),
      stopGraceMs: 1000,
      loopFiles: true,
      clock: systemClock,
    })(camera);
    return (handlers) => {
      const run = start(handlers);
      if (run.pid) pids.set(camera.id, [...(pids.get(camera.id) ?? []), run.pid]);
      return run;
    };
  };
  return { sourceFor, pids };
}

/** A sink that records which cameras it was asked to store for, over the real store sink. */
function recordingSink(inner: ReadSink): ReadSink & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    store(passes: PassRead[], verdictId, modelId, now) {
      calls.push(...passes.map((p) => p.cameraId));
      return inner.store(passes, verdictId, modelId, now);
    },
  };
}

describe.skipIf(skip)(
  'EdgeService (real ffmpeg, real RTSP server, real SQLite; in-test recognizer and gate)',
  () => {
    beforeAll(async () => {
      fixture = await startClipServer('alpr-edge-', { user: 'edge', password: PASSWORD }, { seconds: 300 });
      ({ dir: dir, server } = fixture);
    });
    afterAll(() => fixture?.close());

    it('stores allowed passes, drops refused ones before the sink, and isolates broken cameras', async () => {
      const cutFfmpeg = path.join(dir, 'ffmpeg-cut.sh');
      writeFileSync(cutFfmpeg, `#!/bin/sh\nffmpeg "$@" | head -c ${Math.floor(160 * 120 * 3 * 1.5)}\n`);
      chmodSync(cutFfmpeg, 0o755);
      const { config, cameras } = edgeTestConfig([
        { id: 'good', url: server.url() },
        { id: 'refused', url: server.url() },
        { id: 'bad-path', url: server.url().replace('/stream', '/nope') },
        { id: 'bad-creds', url: server.url({ user: 'edge', password: 'wrong-pw' }) },
        { id: 'no-server', url: `rtsp://127.0.0.1:${await freePort()}/stream` },
        { id: 'cut', url: server.url() },
      ]);
      const store = openStore(path.join(dir, 'edge.db'), { retentionDays: 30 });
      const verdictId = seedCompliantCamera(store, 'good');
      const logs = captureLogs();
      const { sourceFor, pids } = trackedSources((c) => (c.id === 'cut' ? cutFfmpeg : 'ffmpeg'));
      const recognizer = plateEveryFrame();
      const sink = recordingSink(
        new StoreReadSink(store, {
          cropsDir: path.join(dir, 'crops'),
          storeCrops: false,
          logger: logs.logger,
        }),
      );
      const gate = fixedGate({
        good: { allow: true, verdictId },
        refused: { allow: false, reason: 'non_compliant', detail: 'sector touches a site' },
      });
      let service: EdgeService | undefined;
      const metrics = new EdgeMetrics(() => service?.statuses() ?? [], { processMetrics: false });
      service = new EdgeService({
        cameras,
        stages: { recognizer, tracker: passEvery(3), gate, sink },
        sourceFor,
        ingest: config.ingest,
        trackWindowMs: 1000,
        metrics,
        clock: systemClock,
        logger: logs.logger,
      });
      const http = await startStatusServer({
        host: '127.0.0.1',
        port: 0,
        routes: edgeStatusRoutes({
          metrics,
          statuses: () => service.statuses(),
          clock: systemClock,
          unhealthyAfterOfflineMs: 60_000,
        }),
      });
      try {
        service.start();
        const now = () => Date.now();
        await eventually(
          "store.reads.search({ cameraId: 'good' }, now()).length >= 2",
          () => store.reads.search({ cameraId: 'good' }, now()).length >= 2,
          { timeoutMs: 30_000 },
        );
        await eventually("gate.asked.includes('refused')", () => gate.asked.includes('refused'), {
          timeoutMs: 15_000,
        });

        const reads = store.reads.search({ cameraId: 'good' }, now());
        expect(reads[0]).toMatchObject({
          plate: 'TEST123',
          verdictId,
          modelId: 'test-recognizer-v1',
          cropPath: null,
        });
        expect(store.reads.search({ cameraId: 'refused' }, now())).toHaveLength(0);
        expect(sink.calls).not.toContain('refused'); // refused passes never reach the sink

        const broken = ['bad-path', 'bad-creds', 'no-server'];
        const down = (id: string) =>
          ['reconnecting', 'offline'].includes(service.statuses().find((s) => s.id === id)!.state);
        const cutEnded = () =>
          logs.entries('camera stream failed').some((e) => e.camera === 'cut' && e.reason === 'stream_ended');
        await eventually('broken.every(down) && cutEnded()', () => broken.every(down) && cutEnded(), {
          timeoutMs: 20_000,
        });
        const byId = Object.fromEntries(service.statuses().map((s) => [s.id, s]));
        expect(byId.good!.state).toBe('online');
        expect(byId.good!.fps).toBeGreaterThan(2);
        for (const id of ['bad-path', 'bad-creds', 'no-server', 'cut']) {
          expect(['reconnecting', 'offline']).toContain(byId[id]!.state);
        }
        const failures = logs.entries('camera stream failed');
        const reasons = (id: string) => failures.filter((e) => e.camera === id).map((e) => e.reason);
        // One warning line per broken camera, naming what is wrong.
        expect(reasons('bad-path')).toEqual(['not_found']);
        expect(reasons('bad-creds')).toEqual(['auth_failed']);
        expect(reasons('no-server')).toEqual(['unreachable']);
        expect(reasons('cut')).toContain('stream_ended');
        expect(reasons('good')).toEqual([]);
        expect(byId.cut!.tornFrames).toBeGreaterThanOrEqual(1);

        const text = await (await fetch(`${http.url}/metrics`)).text();
        expect(text).toMatch(/alpr_camera_frames_in_total\{camera="good"\} [1-9]/);
        expect(text).toMatch(/alpr_camera_frames_analysed_total\{camera="good"\} [1-9]/);
        expect(text).toMatch(/alpr_reads_stored_total\{camera="good"\} [1-9]/);
        expect(text).toMatch(/alpr_reads_refused_total\{camera="refused",reason="non_compliant"\} [1-9]/);
        expect(text).toMatch(/alpr_camera_state\{camera="bad-creds",state="(reconnecting|offline)"\} 1/);
        expect(text).toMatch(/alpr_camera_torn_frames_total\{camera="cut"\} [1-9]/);
        expect(text).toContain('alpr_camera_last_frame_age_seconds{camera="good"}');
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain('TEST123');

        const health = await fetch(`${http.url}/health`);
        expect(health.status).toBe(200); // degraded, but nobody offline past the threshold yet
        const body = (await health.json()) as { status: string; cameras: Array<Record<string, unknown>> };
        expect(body.status).toBe('degraded');
        expect(body.cameras.find((c) => c.id === 'good')).toMatchObject({ state: 'online' });
        expect(Object.keys(body.cameras[0]!).sort()).toEqual(['fps', 'id', 'lastFrameAgeMs', 'state']);
        expect(logs.text()).not.toContain(PASSWORD);
        expect(logs.text()).not.toContain('wrong-pw');
      } finally {
        await service.stop();
        await http.close();
        store.close();
      }
      const all = [...pids.values()].flat();
      expect(all.length).toBeGreaterThanOrEqual(6);
      for (const pid of all) expect(isAlive(pid)).toBe(false);
      expect(recognizer.seen.every((f) => f.data.length === 160 * 120 * 3)).toBe(true);
    });

    it('stops the ffmpeg of a camera whose loop crashes, reports it offline, and keeps the others running', async () => {
      const { config, cameras } = edgeTestConfig([
        { id: 'steady', url: server.url() },
        { id: 'crashy', url: server.url() },
      ]);
      const logs = captureLogs();
      const { sourceFor, pids } = trackedSources();
      let service: EdgeService | undefined;
      const metrics = new EdgeMetrics(() => service?.statuses() ?? [], { processMetrics: false });
      const recognizer = plateEveryFrame();
      service = new EdgeService({
        cameras,
        stages: {
          recognizer,
          tracker: passEvery(1000, { throwFor: 'crashy' }),
          gate: fixedGate({}),
          sink: { store: () => [] },
        },
        sourceFor,
        ingest: config.ingest,
        trackWindowMs: 1000,
        metrics,
        clock: systemClock,
        logger: logs.logger,
      });
      try {
        service.start();
        const state = (id: string) => service.statuses().find((s) => s.id === id)!;
        await eventually("state('crashy').state === 'offline'", () => state('crashy').state === 'offline', {
          timeoutMs: 20_000,
        });
        expect(state('crashy').lastFailure?.reason).toBe('pipeline_failed');
        const crashedPid = pids.get('crashy')!.at(-1)!;
        await eventually('!isAlive(crashedPid)', () => !isAlive(crashedPid), { timeoutMs: 5000 });
        const seen = recognizer.seen.filter((f) => f.cameraId === 'steady').length;
        await eventually(
          'frames from the steady camera',
          () => recognizer.seen.filter((f) => f.cameraId === 'steady').length > seen + 3,
          { timeoutMs: 10_000 },
        );
        expect(state('steady').state).toBe('online');
        expect(logs.entries('camera pipeline crashed; stopping this camera')).toHaveLength(1);
      } finally {
        await service.stop();
      }
      for (const pid of [...pids.values()].flat()) expect(isAlive(pid)).toBe(false);
    });
  },
);
