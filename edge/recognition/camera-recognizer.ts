// The edge's FrameRecognizer: per-camera rules around a stateless image reader. Per camera it owns the
// region of interest and masks, the motion gate (a still frame shows what the last frame showed, so its
// reads are replayed to keep passes alive, not counted again), the fixed-text learner (observations on
// learned on-screen text are flagged) and the smallest plate width the camera's geofence range assumes
// (narrower plates are beyond that range and are dropped). Everything it drops is counted per camera.

import type { PixelBox } from '../../shared/plates/box-geometry.js';
import type { PixelPolygon } from '../../shared/plates/pixel-masks.js';
import {
  createStaticTextLearner,
  type StaticTextLearner,
  type StaticTextSettings,
} from '../../shared/plates/static-text.js';
import type { DiscardCount, Frame, FrameRecognizer, PlateObservation } from '../pipeline/stages.js';
import { createMotionGate, type MotionGate, type MotionGateSettings } from './motion-gate.js';
import type { ImageReader } from './plate-pipeline.js';

export interface CameraReadSettings {
  roi?: PixelBox;
  masks?: readonly PixelPolygon[];
  /** Plates narrower than this (frame pixels) are beyond the camera's derived range: dropped. */
  minPlateWidthPx?: number;
}

export interface CameraRecognizerOptions {
  /** Settings per camera id; a camera not listed reads the whole frame with no size limit. */
  cameras: ReadonlyMap<string, CameraReadSettings>;
  motionGate?: MotionGateSettings;
  /** Fixed-text learning: a learner shared with the tracker's screen, or settings for a new one. */
  staticText?: StaticTextSettings | StaticTextLearner;
  /**
   * Search the whole frame every Nth frame; in between, only around the plates of the last frame
   * (plates move little in 1/sampleFps s; a plate entering the view waits at most N-1 frames). 1: always.
   */
  fullFrameEvery?: number;
  /**
   * When a whole-frame search found no plate in a frame with motion, search the next whole frame with
   * the finer detection (small, distant plates), at most once per this many ms per camera.
   */
  fallbackEveryMs?: number;
}

export interface CameraCounts {
  /** Frames skipped because nothing moved (their last reads were replayed). */
  stillFrames: number;
  /** Text boxes inside a configured mask. */
  masked: number;
  /** Plates narrower than minPlateWidthPx. */
  tooSmall: number;
  /** Reads lying on learned fixed text. */
  onStaticText: number;
}

const zero = (): CameraCounts => ({ stillFrames: 0, masked: 0, tooSmall: 0, onStaticText: 0 });

/** Per-frame times of the frames read (not skipped), for benchmarks and diagnosis. */
export interface StageTimings {
  frames: number;
  /** ms, median and p95: the whole read (wall, including waiting for a worker), detection, reading crops. */
  totalMs: [number, number];
  detectMs: [number, number];
  readMs: [number, number];
}

const KEEP_TIMINGS = 2000;

interface LastRead {
  observations: PlateObservation[];
  textBoxes: PixelBox[];
  /** Frames read since the last whole-frame search. */
  sinceFull: number;
  /** When the finer detection last ran. */
  fineAt: number;
}

/** Where to look around a plate next frame: three times its size, overlapping areas merged. */
export function focusAround(boxes: readonly PixelBox[], width: number, height: number): PixelBox[] {
  const grown = boxes.map((b) => {
    const w = b.width * 3;
    const h = b.height * 3;
    const x = Math.max(0, b.x + b.width / 2 - w / 2);
    const y = Math.max(0, b.y + b.height / 2 - h / 2);
    return { x, y, width: Math.min(width - x, w), height: Math.min(height - y, h) };
  });
  const merged: PixelBox[] = [];
  for (const g of grown) {
    const hit = merged.findIndex(
      (m) => g.x < m.x + m.width && m.x < g.x + g.width && g.y < m.y + m.height && m.y < g.y + g.height,
    );
    if (hit < 0) merged.push(g);
    else {
      const m = merged[hit]!;
      const x = Math.min(m.x, g.x);
      const y = Math.min(m.y, g.y);
      merged[hit] = {
        x,
        y,
        width: Math.max(m.x + m.width, g.x + g.width) - x,
        height: Math.max(m.y + m.height, g.y + g.height) - y,
      };
    }
  }
  return merged;
}

export class CameraRecognizer implements FrameRecognizer {
  readonly modelId: string;
  private readonly gate: MotionGate | undefined;
  private readonly learner: StaticTextLearner | undefined;
  private readonly counts = new Map<string, CameraCounts>();
  private readonly last = new Map<string, LastRead>();
  private readonly times: Array<[number, number, number]> = [];

  constructor(
    readonly reader: ImageReader,
    private readonly options: CameraRecognizerOptions,
  ) {
    this.modelId = reader.modelId;
    this.gate = options.motionGate ? createMotionGate(options.motionGate) : undefined;
    const st = options.staticText;
    this.learner = st && 'observe' in st ? st : st ? createStaticTextLearner(st) : undefined;
  }

  /** Camera frames skipped because nothing moved, all cameras. */
  get skippedStillFrames(): number {
    return this.gate?.skipped ?? 0;
  }

  /** What was dropped for one camera so far. */
  countsFor(cameraId: string): CameraCounts {
    return { ...(this.counts.get(cameraId) ?? zero()) };
  }

  discarded(): DiscardCount[] {
    const kinds = {
      stillFrames: 'still_frame',
      masked: 'masked',
      tooSmall: 'plate_too_small',
      onStaticText: 'fixed_text',
    } as const;
    return [...this.counts].flatMap(([cameraId, c]) =>
      (Object.keys(kinds) as Array<keyof CameraCounts>).map((k) => ({
        cameraId,
        reason: kinds[k],
        count: c[k],
      })),
    );
  }

  /** Median and p95 of the recent frames' read times. */
  stageTimings(): StageTimings {
    const q = (i: 0 | 1 | 2): [number, number] => {
      const v = this.times.map((t) => t[i]).sort((a, b) => a - b);
      const at = (p: number) => Math.round((v[Math.floor((v.length - 1) * p)] ?? 0) * 10) / 10;
      return [at(0.5), at(0.95)];
    };
    return { frames: this.times.length, totalMs: q(0), detectMs: q(1), readMs: q(2) };
  }

  /** Learned fixed-text regions of a camera (for diagnosis and tests). */
  staticRegions(cameraId: string) {
    return this.learner?.regions(cameraId) ?? [];
  }

  async recognize(frame: Frame): Promise<PlateObservation[]> {
    if (frame.data.length !== frame.width * frame.height * 3) {
      throw new RangeError(
        `frame ${frame.cameraId}#${frame.seq} has ${frame.data.length} bytes, expected ${frame.width}x${frame.height}x3`,
      );
    }
    const camera = this.options.cameras.get(frame.cameraId) ?? {};
    const counts = this.counts.get(frame.cameraId) ?? zero();
    this.counts.set(frame.cameraId, counts);
    const image = { width: frame.width, height: frame.height, data: frame.data };
    const previous = this.last.get(frame.cameraId);
    if (this.gate && previous) {
      const region = camera.roi ?? { x: 0, y: 0, width: frame.width, height: frame.height };
      if (!this.gate.shouldRead(frame.cameraId, frame.capturedAt, image, region)) {
        counts.stillFrames++;
        this.learner?.observe(frame.cameraId, frame.capturedAt, previous.textBoxes);
        return previous.observations.map((o) => ({ ...o, replayed: true }));
      }
    } else if (this.gate) {
      const region = camera.roi ?? { x: 0, y: 0, width: frame.width, height: frame.height };
      this.gate.shouldRead(frame.cameraId, frame.capturedAt, image, region); // the reference frame
    }
    const every = this.options.fullFrameEvery ?? 1;
    const local =
      previous !== undefined && previous.sinceFull + 1 < every && previous.observations.length > 0;
    const focus = local
      ? focusAround(
          previous.observations.map((o) => o.box),
          frame.width,
          frame.height,
        )
      : undefined;
    const fineEvery = this.options.fallbackEveryMs;
    const fine =
      !local &&
      fineEvery !== undefined &&
      previous !== undefined &&
      previous.observations.length === 0 &&
      frame.capturedAt - previous.fineAt >= fineEvery;
    const t0 = performance.now();
    const read = await this.reader.readImage(image, { roi: camera.roi, masks: camera.masks, focus, fine });
    this.times.push([performance.now() - t0, read.timings.detectMs, read.timings.recognizeMs]);
    if (this.times.length > KEEP_TIMINGS) this.times.splice(0, this.times.length - KEEP_TIMINGS);
    counts.masked += read.masked;
    if (!local) this.learner?.observe(frame.cameraId, frame.capturedAt, read.textBoxes);
    const observations: PlateObservation[] = [];
    for (const o of read.observations) {
      if (camera.minPlateWidthPx !== undefined && o.box.width < camera.minPlateWidthPx) {
        counts.tooSmall++;
        continue;
      }
      const onStatic = this.learner?.isStatic(frame.cameraId, o.textBox ?? o.box) ?? false;
      if (onStatic) counts.onStaticText++;
      observations.push(onStatic ? { ...o, onStaticRegion: true } : o);
    }
    this.last.set(frame.cameraId, {
      observations,
      // A focused frame saw only around the plates; fixed text elsewhere is still where it was.
      textBoxes: local ? [...read.textBoxes, ...previous!.textBoxes] : read.textBoxes,
      sinceFull: local ? previous!.sinceFull + 1 : 0,
      fineAt: fine ? frame.capturedAt : (previous?.fineAt ?? Number.NEGATIVE_INFINITY),
    });
    return observations;
  }

  close(): Promise<void> {
    return this.reader.close();
  }
}
