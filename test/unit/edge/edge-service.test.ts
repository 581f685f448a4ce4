import { describe, expect, it } from 'vitest';
import { EdgeService, type EdgeStages } from '../../../edge/edge-service.js';
import { buildEdgeHealth } from '../../../edge/http/edge-health.js';
import { EdgeMetrics } from '../../../edge/http/edge-metrics.js';
import type { FrameSourceHandlers, StartFrameSource } from '../../../edge/ingest/ffmpeg-frame-source.js';
import type { ReadSink } from '../../../edge/pipeline/stages.js';
import { createLogger } from '../../../shared/logging/logger.js';
import type { PassRead } from '../../../shared/plates/pass-tracker.js';
import { edgeTestConfig } from '../../support/edge-config.js';
import { eventually } from '../../support/eventually.js';
import { fixedGate, passEvery, plateEveryFrame } from '../../support/pipeline-doubles.js';

/** Frame sources driven by the test (pure logic; the ffmpeg-backed ones are covered by integration tests). */
function scripted() {
  const handlers = new Map<string, FrameSourceHandlers>();
  const sourceFor =
    (camera: { id: string }): StartFrameSource =>
    (h) => {
      handlers.set(camera.id, h);
      return { pid: undefined, stop: async () => 'quit' as const };
    };
  let seq = 0;
  const frame = (cameraId: string, capturedAt = Date.now()) =>
    handlers
      .get(cameraId)!
      .onFrame({ cameraId, seq: ++seq, capturedAt, width: 2, height: 2, data: Buffer.alloc(12) });
  return { sourceFor, frame };
}

function recordingSink(): ReadSink & { stored: PassRead[] } {
  const stored: PassRead[] = [];
  return {
    stored,
    store: (passes) => {
      stored.push(...passes);
      return passes.map((_, i) => stored.length - passes.length + i + 1);
    },
  };
}

function service(stages: Partial<EdgeStages>, ids = ['cam-1']) {
  const { config, cameras } = edgeTestConfig(ids.map((id) => ({ id, url: `rtsp://127.0.0.1/${id}` })));
  const sources = scripted();
  let svc: EdgeService | undefined;
  const metrics = new EdgeMetrics(() => svc?.statuses() ?? [], { processMetrics: false });
  svc = new EdgeService({
    cameras,
    stages: {
      recognizer: plateEveryFrame(),
      tracker: passEvery(1),
      gate: fixedGate({}),
      sink: recordingSink(),
      ...stages,
    },
    sourceFor: sources.sourceFor,
    ingest: config.ingest,
    trackWindowMs: 1000,
    metrics,
    clock: () => Date.now(),
    logger: createLogger({ level: 'silent' }),
  });
  return { svc, metrics, frame: sources.frame };
}

const metricValue = async (metrics: EdgeMetrics, line: string) => {
  const found = (await metrics.render()).body.split('\n').find((l) => l.startsWith(line));
  return found ? Number(found.split(' ').at(-1)) : undefined;
};

describe('EdgeService', () => {
  it('stores what the gate allows with its verdict id and the recognizer model id', async () => {
    const sink = recordingSink();
    const calls: Array<[number, string]> = [];
    const { svc, metrics, frame } = service({
      gate: fixedGate({ 'cam-1': { allow: true, verdictId: 42 } }),
      sink: {
        store: (p, verdictId, modelId, now) => {
          calls.push([verdictId, modelId]);
          return sink.store(p, verdictId, modelId, now);
        },
      },
    });
    svc.start();
    frame('cam-1');
    await eventually('sink.stored.length === 1', () => sink.stored.length === 1, { timeoutMs: 2000 });
    expect(calls).toEqual([[42, 'test-recognizer-v1']]);
    expect(await metricValue(metrics, 'alpr_reads_stored_total{camera="cam-1"}')).toBe(1);
    await svc.stop();
  });

  it('never calls the sink for a refused camera and counts the refusal with its reason', async () => {
    const sink = recordingSink();
    const { svc, metrics, frame } = service({
      gate: fixedGate({ 'cam-1': { allow: false, reason: 'stale', detail: 'registry older than 24 h' } }),
      sink,
    });
    svc.start();
    frame('cam-1');
    frame('cam-1');
    await eventually(
      'sink.stored.length === 0 && (svc.statuses()[0]?.framesIn ?? 0) === 2',
      () => sink.stored.length === 0 && (svc.statuses()[0]?.framesIn ?? 0) === 2,
      { timeoutMs: 2000 },
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(sink.stored).toHaveLength(0);
    expect(await metricValue(metrics, 'alpr_reads_refused_total{camera="cam-1",reason="stale"}')).toBe(2);
    await svc.stop();
  });

  it('fails closed when the gate throws: refused as registry_error, nothing stored', async () => {
    const sink = recordingSink();
    const { svc, metrics, frame } = service({
      gate: {
        decide: () => {
          throw new Error('registry unreadable');
        },
      },
      sink,
    });
    svc.start();
    frame('cam-1');
    await eventually(
      'sink.stored.length === 0 && (svc.statuses()[0]?.framesIn ?? 0) === 1',
      () => sink.stored.length === 0 && (svc.statuses()[0]?.framesIn ?? 0) === 1,
      { timeoutMs: 2000 },
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(
      await metricValue(metrics, 'alpr_reads_refused_total{camera="cam-1",reason="registry_error"}'),
    ).toBe(1);
    expect(sink.stored).toHaveLength(0);
    await svc.stop();
  });

  it('skips a frame whose recognition throws, counts it, and keeps analysing', async () => {
    let calls = 0;
    const good = plateEveryFrame();
    const { svc, metrics, frame } = service({
      recognizer: {
        modelId: 'm',
        close: async () => undefined,
        recognize: async (f) => {
          calls += 1;
          if (calls === 1) throw new Error('onnx session error');
          return good.recognize(f);
        },
      },
    });
    svc.start();
    frame('cam-1');
    await eventually('calls === 1', () => calls === 1, { timeoutMs: 2000 });
    frame('cam-1');
    await eventually('calls === 2', () => calls === 2, { timeoutMs: 2000 });
    expect(await metricValue(metrics, 'alpr_recognition_errors_total{camera="cam-1"}')).toBe(1);
    expect(await metricValue(metrics, 'alpr_camera_frames_analysed_total{camera="cam-1"}')).toBe(2);
    await svc.stop();
  });

  it('ends open passes at stop and sends them through the gate to the sink before returning', async () => {
    const sink = recordingSink();
    const open: PassRead = {
      cameraId: 'cam-1',
      plate: 'OPEN1',
      rawText: 'OPEN1',
      confidence: 0.9,
      charConfidences: [0.9, 0.9, 0.9, 0.9, 0.9],
      capturedAt: Date.now(),
      box: { x: 0, y: 0, width: 1, height: 1 },
      evidence: { framesSeen: 1, firstSeenAt: 0, lastSeenAt: 0, perFrame: [] },
    };
    const { svc } = service({
      tracker: { observe: () => [], flush: () => [], flushAll: () => [open] },
      gate: fixedGate({ 'cam-1': { allow: true, verdictId: 1 } }),
      sink,
    });
    svc.start();
    await svc.stop();
    expect(sink.stored.map((p) => p.plate)).toEqual(['OPEN1']);
    await svc.stop(); // idempotent
  });

  it('refuses a pass captured more than ingest.maxClockSkewS ahead of the clock, counts it as clock_skew and shows it in /health', async () => {
    const sink = recordingSink();
    const { svc, metrics, frame } = service({
      gate: fixedGate({ 'cam-1': { allow: true, verdictId: 1 } }),
      sink,
    });
    svc.start();
    frame('cam-1', Date.now() + 10 * 60_000); // stamped by a clock that was 10 minutes ahead
    frame('cam-1', Date.now() + 60_000); // within the default 120 s
    await eventually('sink.stored.length === 1', () => sink.stored.length === 1, { timeoutMs: 2000 });
    await new Promise((r) => setTimeout(r, 50));
    expect(sink.stored).toHaveLength(1);
    expect(await metricValue(metrics, 'alpr_reads_refused_total{camera="cam-1",reason="clock_skew"}')).toBe(
      1,
    );
    const skew = svc.clockSkewStatus();
    expect(skew).toMatchObject({
      refusedReads: 1,
      detail: expect.stringMatching(/^capture time is 60\d s ahead/),
    });
    const health = buildEdgeHealth(svc.statuses(), Date.now(), 300_000, { clockSkew: skew });
    expect(health.body.status).toBe('degraded');
    expect(health.body.reasons).toContainEqual(expect.stringMatching(/1 read\(s\) refused for clock skew/));
    await svc.stop();
  });
});
