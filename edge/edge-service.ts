// The edge's per-camera loops: frame source → latest-frame slot → recognizer → tracker → compliance gate →
// read sink. Stages are injected, so each can be built and tested alone; this module owns only the wiring,
// the counting and the fail-closed rule (a pass the gate refuses is dropped and counted, never stored).
import type { ResolvedCamera } from '../shared/config/camera.schema.js';
import type { AlprConfig } from '../shared/config/schema.js';
import type { StoreRefusalReason } from '../shared/geofence/gate-decision.js';
import type { Logger } from '../shared/logging/logger.js';
import type { PassRead } from '../shared/plates/pass-tracker.js';
import type { Clock } from '../shared/runtime/clock.js';
import { storeAllowedPasses } from './compliance/store-allowed-passes.js';
import type { EdgeMetrics } from './http/edge-metrics.js';
import { type CameraState, type CameraStatus, CameraSupervisor } from './ingest/camera-supervisor.js';
import { type StartFrameSource, startFfmpegFrameSource } from './ingest/ffmpeg-frame-source.js';
import { LatestFrameSlot } from './ingest/latest-frame-slot.js';
import { FrameBudget } from './pipeline/frame-budget.js';
import type { ComplianceGate, Frame, FrameRecognizer, PassTracker, ReadSink } from './pipeline/stages.js';

export interface EdgeStages {
  recognizer: FrameRecognizer;
  tracker: PassTracker;
  gate: ComplianceGate;
  sink: ReadSink;
}

export interface EdgeServiceOptions {
  /** Cameras to run (disabled ones are skipped). */
  cameras: ResolvedCamera[];
  stages: EdgeStages;
  /** How to start one ffmpeg run for a camera. */
  sourceFor: (camera: ResolvedCamera) => StartFrameSource;
  ingest: Pick<
    AlprConfig['ingest'],
    'staleAfterS' | 'offlineAfterS' | 'backoffInitialMs' | 'backoffMaxMs' | 'backoffJitter'
  > & { maxClockSkewS?: number; firstConnectAttempts?: number; firstConnectRetryMs?: number };
  /** The tracker's window; ended passes are collected at half of it. */
  trackWindowMs: number;
  metrics: EdgeMetrics;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  /** Every camera state change (operations events: edge/events/camera-events.ts). */
  onCameraState?: (status: CameraStatus, previous: CameraState) => void;
}

/** Frame sources backed by the real ffmpeg, one run per (re)connect. */
export function ffmpegSources(options: {
  ffmpegPath: string;
  stopGraceMs: number;
  loopFiles: boolean;
  clock: Clock;
}): (camera: ResolvedCamera) => StartFrameSource {
  return (camera) => (handlers) =>
    startFfmpegFrameSource(
      {
        cameraId: camera.id,
        url: camera.url,
        sampleFps: camera.sampleFps,
        width: camera.frame.width,
        height: camera.frame.height,
        rtspTransport: camera.rtspTransport,
        loopFile: options.loopFiles,
        ffmpegPath: options.ffmpegPath,
        stopGraceMs: options.stopGraceMs,
        clock: options.clock,
      },
      handlers,
    );
}

interface CameraLoop {
  camera: ResolvedCamera;
  supervisor: CameraSupervisor;
  slot: LatestFrameSlot<Frame>;
  done: Promise<void>;
}

export class EdgeService {
  private readonly loops: CameraLoop[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  /** camera/reason pairs already logged at warn, so a refusing gate logs once, not per pass. */
  private readonly warned = new Set<string>();
  /** Reads refused because their capture time was ahead of the store time (a clock that jumped). */
  private readonly skew = { refusedReads: 0, lastAt: undefined as number | undefined, detail: '' };
  private readonly log: Logger;

  constructor(private readonly options: EdgeServiceOptions) {
    this.log = options.logger.child({ component: 'edge' });
  }

  start(): void {
    const { ingest, metrics, clock, logger } = this.options;
    for (const camera of this.options.cameras.filter((c) => c.enabled)) {
      metrics.registerCamera(camera.id);
      const slot = new LatestFrameSlot<Frame>(() => metrics.framesDropped.inc({ camera: camera.id }));
      const budget = new FrameBudget(camera.sampleFps);
      const supervisor = new CameraSupervisor({
        cameraId: camera.id,
        url: camera.url,
        startSource: this.options.sourceFor(camera),
        onFrame: (frame) => {
          metrics.framesIn.inc({ camera: camera.id });
          metrics.framesExpected.inc({ camera: camera.id }, budget.arrived(frame.seq, frame.capturedAt));
          slot.put(frame);
        },
        onReconnect: () => metrics.reconnects.inc({ camera: camera.id }),
        onTornFrame: () => metrics.tornFrames.inc({ camera: camera.id }),
        onStateChange: (_state, previous) => this.options.onCameraState?.(supervisor.status(), previous),
        staleAfterMs: ingest.staleAfterS * 1000,
        offlineAfterMs: ingest.offlineAfterS * 1000,
        backoff: {
          initialMs: ingest.backoffInitialMs,
          maxMs: ingest.backoffMaxMs,
          jitter: ingest.backoffJitter,
        },
        firstConnect:
          ingest.firstConnectAttempts && ingest.firstConnectRetryMs
            ? { attempts: ingest.firstConnectAttempts, retryMs: ingest.firstConnectRetryMs }
            : undefined,
        random: this.options.random,
        clock,
        logger,
      });
      const loop: CameraLoop = { camera, supervisor, slot, done: Promise.resolve() };
      loop.done = this.analyse(loop).catch((error: unknown) => this.crashed(loop, error));
      this.loops.push(loop);
      supervisor.start();
    }
    const every = Math.max(100, Math.floor(this.options.trackWindowMs / 2));
    this.flushTimer = setInterval(() => this.flushEnded(), every);
    this.log.info({ cameras: this.loops.map((l) => l.camera.id) }, 'edge started');
  }

  /** Clock-skew refusals since start, for /health. */
  clockSkewStatus(): { refusedReads: number; lastAt: number | undefined; detail: string } {
    return { ...this.skew };
  }

  statuses(): CameraStatus[] {
    const now = this.options.clock();
    return this.loops.map((l) => l.supervisor.status(now));
  }

  /** Stop cameras (ffmpeg ended), finish in-flight frames, store the passes still open. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    clearInterval(this.flushTimer);
    await Promise.all(
      this.loops.map(async (l) => {
        await l.supervisor.stop();
        l.slot.close();
        await l.done;
      }),
    );
    // Passes still open are ended and go through the gate like any other, before the store closes.
    this.handlePasses(this.safely('tracker.flushAll', () => this.options.stages.tracker.flushAll(), []));
    await this.options.stages.recognizer.close();
    this.log.info('edge stopped');
  }

  private async analyse(loop: CameraLoop): Promise<void> {
    const { recognizer, tracker } = this.options.stages;
    const { metrics } = this.options;
    const camera = loop.camera.id;
    let failures = 0;
    for (;;) {
      const frame = await loop.slot.take();
      if (!frame) return;
      metrics.framesAnalysed.inc({ camera });
      let observations: Awaited<ReturnType<FrameRecognizer['recognize']>>;
      try {
        observations = await recognizer.recognize(frame);
        failures = 0;
      } catch (error) {
        // One bad frame (or a transient runtime error) must not stop the camera; a streak is logged once.
        metrics.recognitionErrors.inc({ camera });
        failures += 1;
        if (failures === 1) this.log.warn({ camera, err: error }, 'recognition failed for a frame');
        continue;
      }
      this.handlePasses(tracker.observe(camera, frame.capturedAt, observations));
    }
  }

  private async crashed(loop: CameraLoop, error: unknown): Promise<void> {
    this.log.error({ camera: loop.camera.id, err: error }, 'camera pipeline crashed; stopping this camera');
    loop.slot.close();
    await loop.supervisor.fault((error as Error)?.message ?? String(error));
  }

  private flushEnded(): void {
    const now = this.options.clock();
    this.handlePasses(this.safely('tracker.flush', () => this.options.stages.tracker.flush(now), []));
  }

  /** Ask the gate for each camera's passes; store what it allows, count (and drop) what it refuses. */
  private handlePasses(passes: PassRead[]): void {
    if (passes.length === 0) return;
    const { gate, sink, recognizer } = this.options.stages;
    const { metrics } = this.options;
    const now = this.options.clock();
    const maxSkewS = this.options.ingest.maxClockSkewS;
    const outcome = storeAllowedPasses(
      gate,
      sink,
      passes,
      recognizer.modelId,
      now,
      maxSkewS === undefined ? undefined : maxSkewS * 1000,
    );
    for (const { cameraId, count } of outcome.stored) metrics.readsStored.inc({ camera: cameraId }, count);
    for (const { cameraId, reason, detail, count } of outcome.refused) {
      metrics.readsRefused.inc({ camera: cameraId, reason }, count);
      if (reason === 'clock_skew') {
        this.skew.refusedReads += count;
        this.skew.lastAt = now;
        this.skew.detail = detail ?? '';
        // A clock that jumped is an alert (AUD-08), not a routine refusal.
        this.log.error(
          { camera: cameraId, reads: count, detail },
          'reads refused: capture time ahead of the clock',
        );
        continue;
      }
      this.logRefusal(cameraId, reason, detail, count);
    }
    for (const { cameraId, count, error } of outcome.failed) {
      this.log.error({ camera: cameraId, reads: count, err: error }, 'storing reads failed');
    }
  }

  private logRefusal(
    camera: string,
    reason: StoreRefusalReason,
    detail: string | undefined,
    n: number,
  ): void {
    const key = `${camera}\u0000${reason}`;
    const entry = { camera, reason, detail, reads: n };
    if (this.warned.has(key)) this.log.debug(entry, 'reads refused by the compliance gate');
    else {
      this.warned.add(key);
      this.log.warn(entry, 'reads refused by the compliance gate (not stored)');
    }
  }

  private safely<T>(what: string, fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (error) {
      this.log.error({ err: error, what }, 'pipeline stage failed');
      return fallback;
    }
  }
}
