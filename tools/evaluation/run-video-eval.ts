// `alpr eval --video`: a labelled clip through the real edge path — ffmpeg frame source at the camera's
// sample rate, the latest-frame slot, the per-camera recognizer, the tracker and its screen, the
// compliance gate (an empty site registry: compliant) and a temporary SQLite store — then the stored
// reads scored against the labels. Pace `realtime` reads the clip like a live camera (frames the box
// cannot keep up with are lost, as on a camera); pace `all` reads every sampled frame, at most twice
// real time, with the clip's own clock, so a figure does not depend on how busy the machine is.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createComplianceGate } from '../../edge/compliance/gate-from-config.js';
import { EdgeService } from '../../edge/edge-service.js';
import { EdgeMetrics } from '../../edge/http/edge-metrics.js';
import { startFfmpegFrameSource } from '../../edge/ingest/ffmpeg-frame-source.js';
import type { ComplianceGate, Frame, FrameRecognizer } from '../../edge/pipeline/stages.js';
import { openRecognitionStages, plateFormatRule } from '../../edge/recognition/open-pipeline.js';
import { StoreReadSink } from '../../edge/store-read-sink.js';
import type { ResolvedCamera } from '../../shared/config/camera.schema.js';
import type { AlprConfig } from '../../shared/config/schema.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { ScreenVerdict } from '../../shared/plates/pass-screen.js';
import type { PassRead } from '../../shared/plates/pass-tracker.js';
import { type Clock, systemClock } from '../../shared/runtime/clock.js';
import { openStore } from '../../shared/store/store.js';
import { clipEnd, pacedSource } from './clip-sources.js';
import { type CandidatePass, type SweepPoint, sweepEvidence } from './evidence-sweep.js';
import type { ClipLabel } from './video-labels.js';
import { type ClipRead, type ScoredRead, scoreClip, type VideoScore } from './video-metrics.js';

export type VideoPace = 'realtime' | 'all';

export interface VideoEvalOptions {
  clip: string;
  labels: ClipLabel[];
  config: AlprConfig;
  /** The camera whose settings (sample rate, frame, roi, masks, min plate width) the clip is read with. */
  camera: ResolvedCamera;
  pace: VideoPace;
  ffmpegPath: string;
  logger: Logger;
  onProgress?: (clipS: number) => void;
}

export interface VideoEvalRun {
  score: VideoScore;
  reads: ScoredRead[];
  /** Every pass the tracker ended, with the screen's verdict. */
  passes: Array<{
    plate: string;
    firstS: number;
    lastS: number;
    frames: number;
    confidence: number;
    verdict: string;
  }>;
  sweep: SweepPoint[];
  frames: { expected: number; analysed: number; lost: number; lostShare: number };
  /** Wall time per analysed frame (ms), recognition only. */
  analysisMs: { median: number; p95: number; mean: number };
  clipS: number;
  wallS: number;
  discarded: Record<string, number>;
  /** Passes the compliance gate refused (none with the eval's empty registry, unless it failed closed). */
  refusedByGate: Record<string, number>;
}

/** Run the clip through the edge path in a temporary directory (removed afterwards). */
export async function runVideoEval(options: VideoEvalOptions): Promise<VideoEvalRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'alpr-eval-video-'));
  try {
    return await runIn(dir, options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runIn(dir: string, options: VideoEvalOptions): Promise<VideoEvalRun> {
  const { config, logger } = options;
  const camera: ResolvedCamera = { ...options.camera, enabled: true, url: pathToFileURL(options.clip).href };
  // An empty registry: the camera is compliant, so the gate stores what the screen lets through.
  const registryPath = path.join(dir, 'sites.geojson');
  writeFileSync(registryPath, JSON.stringify({ type: 'FeatureCollection', features: [] }));
  const evalConfig: AlprConfig = {
    ...config,
    store: { ...config.store, path: path.join(dir, 'alpr.db'), cropsDir: path.join(dir, 'crops') },
    sites: { ...config.sites, registryPath, reevaluateEveryS: 1 },
    cameras: [],
  };
  const store = openStore(evalConfig.store.path, {
    retentionDays: config.retention.days,
    busyTimeoutMs: config.store.busyTimeoutMs,
  });
  const started = Date.now();
  const source = options.pace === 'all' ? pacedSource(camera, options.ffmpegPath, started) : undefined;
  const clock: Clock = source?.clock ?? systemClock;
  const candidates: Array<{ pass: PassRead; verdict: ScreenVerdict }> = [];
  const analysis: number[] = [];
  let firstFrameAt: number | undefined;
  let recognizer: FrameRecognizer | undefined;
  let gate: ReturnType<typeof createComplianceGate> | undefined;
  try {
    const stages = await openRecognitionStages(
      { models: config.models, recognition: config.recognition, mode: 'frames', cameras: [camera] },
      { onPass: (pass, verdict) => candidates.push({ pass, verdict }) },
    );
    const inner = stages.recognizer;
    const tracker = stages.tracker;
    recognizer = {
      modelId: inner.modelId,
      discarded: () => inner.discarded(),
      close: () => inner.close(),
      async recognize(frame: Frame) {
        firstFrameAt ??= frame.capturedAt;
        const t0 = performance.now();
        try {
          return await inner.recognize(frame);
        } finally {
          analysis.push(performance.now() - t0);
          options.onProgress?.((frame.capturedAt - firstFrameAt) / 1000);
          source?.frameDone();
        }
      },
    };
    gate = createComplianceGate({ ...evalConfig, cameras: [camera] }, store, { logger, clock });
    gate.start();
    const sink = new StoreReadSink(store, { cropsDir: evalConfig.store.cropsDir, storeCrops: false, logger });
    const metrics = new EdgeMetrics(() => service.statuses(), { processMetrics: false });
    const ended = clipEnd();
    const service: EdgeService = new EdgeService({
      cameras: [camera],
      stages: { recognizer, tracker, gate: freshGate(gate), sink },
      sourceFor: () =>
        ended.wrap(
          source?.start ??
            ((handlers) =>
              startFfmpegFrameSource(
                {
                  cameraId: camera.id,
                  url: camera.url,
                  sampleFps: camera.sampleFps,
                  width: camera.frame.width,
                  height: camera.frame.height,
                  rtspTransport: camera.rtspTransport,
                  ffmpegPath: options.ffmpegPath,
                  stopGraceMs: config.ingest.stopGraceMs,
                  clock,
                },
                handlers,
              )),
        ),
      ingest: config.ingest,
      trackWindowMs: config.recognition.trackWindowMs,
      metrics,
      clock,
      logger,
    });
    service.start();
    await ended.promise;
    await service.stop();
    recognizer = undefined; // the service closed it
    const counter = async (name: string) =>
      (await metrics.registry.getSingleMetric(name)?.get())?.values.reduce((s, v) => s + v.value, 0) ?? 0;
    const refusedByGate: Record<string, number> = {};
    for (const v of (await metrics.readsRefused.get()).values) {
      if (v.value > 0) refusedByGate[String(v.labels.reason)] = v.value;
    }
    const expected = await counter('alpr_camera_frames_expected_total');
    const analysed = await counter('alpr_camera_frames_analysed_total');
    const origin = firstFrameAt ?? started;
    const toClip = (at: number) => (at - origin) / 1000;
    const stored = store.reads.search({ cameraId: camera.id, limit: 100_000 }, clock());
    const reads: ClipRead[] = stored.map((r) => {
      const evidence = r.evidence as { firstSeenAt?: number; lastSeenAt?: number };
      const firstSeenAt = evidence.firstSeenAt ?? r.capturedAt;
      return {
        plate: r.plate,
        rawText: r.rawText,
        confidence: r.confidence,
        firstS: toClip(firstSeenAt),
        lastS: toClip(evidence.lastSeenAt ?? r.capturedAt),
        latencyS: (r.storedAt - firstSeenAt) / 1000,
      };
    });
    const { score, reads: scored } = scoreClip(options.labels, reads);
    const format = plateFormatRule(config.recognition);
    const sweepInput: CandidatePass[] = candidates.map(({ pass, verdict }) => ({
      plate: pass.plate,
      confidence: pass.confidence,
      evidence: pass.evidence,
      refusedOtherwise: !verdict.store && !verdict.reason.startsWith('evidence_'),
      read: {
        plate: pass.plate,
        rawText: pass.rawText,
        confidence: pass.confidence,
        firstS: toClip(pass.evidence.firstSeenAt),
        lastS: toClip(pass.evidence.lastSeenAt),
        latencyS: 0,
      },
    }));
    const discarded: Record<string, number> = {};
    for (const d of [...(inner.discarded() ?? []), ...tracker.discarded()]) {
      discarded[d.reason] = (discarded[d.reason] ?? 0) + d.count;
    }
    const lost = Math.max(0, expected - analysed);
    const sorted = [...analysis].sort((a, b) => a - b);
    const at = (q: number) => Math.round((sorted[Math.floor((sorted.length - 1) * q)] ?? 0) * 10) / 10;
    return {
      score,
      reads: scored,
      passes: candidates.map(({ pass, verdict }) => ({
        plate: pass.plate,
        firstS: round2(toClip(pass.evidence.firstSeenAt)),
        lastS: round2(toClip(pass.evidence.lastSeenAt)),
        frames: pass.evidence.framesSeen,
        confidence: round3(pass.confidence),
        verdict: verdict.store ? 'stored' : verdict.reason,
      })),
      sweep: sweepInput.length
        ? sweepEvidence(options.labels, sweepInput, config.recognition.evidence, format)
        : [],
      frames: { expected, analysed, lost, lostShare: expected ? round3(lost / expected) : 0 },
      analysisMs: {
        median: at(0.5),
        p95: at(0.95),
        mean: Math.round((analysis.reduce((a, b) => a + b, 0) / Math.max(1, analysis.length)) * 10) / 10,
      },
      clipS: round2(toClip(clock())),
      wallS: round2((Date.now() - started) / 1000),
      discarded,
      refusedByGate,
    };
  } finally {
    await gate?.stop();
    await recognizer?.close();
    store.close();
  }
}

/**
 * The gate, re-checked before each decision: the eval's clock follows the clip, which may run ahead of
 * the wall-clock timer that re-checks the registry, and a gate not re-checked for 3 periods refuses.
 */
function freshGate(gate: ReturnType<typeof createComplianceGate>): ComplianceGate {
  return {
    decide(cameraId, now, reads) {
      gate.refresh();
      return gate.decide(cameraId, now, reads);
    },
  };
}

const round2 = (v: number) => Math.round(v * 100) / 100;
const round3 = (v: number) => Math.round(v * 1000) / 1000;
