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

interface LastRead {
  observations: PlateObservation[];
  textBoxes: PixelBox[];
}

export class CameraRecognizer implements FrameRecognizer {
  readonly modelId: string;
  private readonly gate: MotionGate | undefined;
  private readonly learner: StaticTextLearner | undefined;
  private readonly counts = new Map<string, CameraCounts>();
  private readonly last = new Map<string, LastRead>();

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
    const read = await this.reader.readImage(image, { roi: camera.roi, masks: camera.masks });
    counts.masked += read.masked;
    this.learner?.observe(frame.cameraId, frame.capturedAt, read.textBoxes);
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
    this.last.set(frame.cameraId, { observations, textBoxes: read.textBoxes });
    return observations;
  }

  close(): Promise<void> {
    return this.reader.close();
  }
}
