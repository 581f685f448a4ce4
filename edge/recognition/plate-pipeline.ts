// The edge's FrameRecognizer: detector → plate-shaped boxes → several crops per box → one batched
// recognizer run → per box the crops' character probabilities averaged → candidate selection
// (shared/plates). Works on packed RGB frames without re-encoding them; a per-camera region of
// interest limits detection, and boxes come back in full-frame pixels.
import { clampBox, type PixelBox } from '../../shared/plates/box-geometry.js';
import {
  type CandidateReads,
  isPromisingRead,
  isSettledRead,
  type PlateShape,
  rankCandidates,
  type SelectedPlate,
  type SelectionRules,
  selectPlates,
} from '../../shared/plates/candidate-selection.js';
import type { Frame, FrameRecognizer, PlateObservation } from '../pipeline/stages.js';
import { type CropKind, cropHypotheses } from './crop-hypotheses.js';
import { sampleCrop } from './crop-sampler.js';
import type { TextBox } from './detector-postprocess.js';
import type { InputSizing } from './detector-preprocess.js';
import { createMotionGate, type MotionGate, type MotionGateSettings } from './motion-gate.js';
import type { CropRead, PlateRecognizer } from './plate-recognizer.js';
import { type RawImage, regionJpeg } from './raw-image.js';
import { averageProbabilities } from './recognizer-decode.js';
import type { PlateDetector } from './text-detector.js';

export interface PlatePipelineSettings {
  /** Detector input for the whole frame (or region of interest). */
  detection: InputSizing;
  /** A second, finer detection when the first finds no plate (photos; costly on empty video frames). */
  fallback?: InputSizing;
  shape: PlateShape;
  /** Crops every text box is read with first. */
  screenViews: readonly CropKind[];
  /** More crops for boxes whose first read looks like a plate; all views' probabilities are averaged. */
  detailViews: readonly CropKind[];
  /** Mean character confidence a first read needs (with the plate format) to earn the detail views. */
  screenConfidence: number;
  /** Screening views that all agree with every character at least this sure need no detail views. */
  settledConfidence: number;
  /** Most text boxes read per frame (most plate-like first). */
  maxCandidates: number;
  rules: SelectionRules;
  /** Attach a JPEG of each plate crop to its observation (for `recognition.storeCrops`). */
  storeCrops: boolean;
  /** Skip camera frames in which nothing moved (frames only; photos are always read). */
  motionGate?: MotionGateSettings;
}

export interface PipelineTimings {
  detectMs: number;
  recognizeMs: number;
  totalMs: number;
  /** Whether the fallback detection ran. */
  fellBack: boolean;
}

export interface ImageRecognition {
  /** Plates found, most confident first. */
  observations: PlateObservation[];
  /** Plate-shaped text boxes that were read and what each crop read (for diagnosis and eval). */
  candidates: CandidateReads[];
  timings: PipelineTimings;
}

export class PlatePipeline implements FrameRecognizer {
  readonly modelId: string;
  private readonly gate: MotionGate | undefined;

  constructor(
    private readonly detector: PlateDetector,
    private readonly recognizer: PlateRecognizer,
    readonly settings: PlatePipelineSettings,
    /** Region of interest per camera (frame pixels); undefined: the whole frame. */
    private readonly roiFor: (cameraId: string) => PixelBox | undefined = () => undefined,
  ) {
    this.modelId = `${detector.modelId}+${recognizer.modelId}`;
    this.gate = settings.motionGate ? createMotionGate(settings.motionGate) : undefined;
  }

  /** Camera frames skipped because nothing moved (for metrics). */
  get skippedStillFrames(): number {
    return this.gate?.skipped ?? 0;
  }

  async recognize(frame: Frame): Promise<PlateObservation[]> {
    if (frame.data.length !== frame.width * frame.height * 3) {
      throw new RangeError(
        `frame ${frame.cameraId}#${frame.seq} has ${frame.data.length} bytes, expected ${frame.width}x${frame.height}x3`,
      );
    }
    const image: RawImage = { width: frame.width, height: frame.height, data: frame.data };
    const roi = this.roiFor(frame.cameraId);
    if (this.gate) {
      const region = (roi && clampBox(roi, image.width, image.height)) ?? {
        x: 0,
        y: 0,
        width: image.width,
        height: image.height,
      };
      if (!this.gate.shouldRead(frame.cameraId, frame.capturedAt, image, region)) return [];
    }
    return (await this.recognizeImage(image, roi)).observations;
  }

  /** Read the plates in one RGB image; `roi` limits where plates are searched. */
  async recognizeImage(image: RawImage, roi?: PixelBox): Promise<ImageRecognition> {
    const started = performance.now();
    const region = roi ? clampBox(roi, image.width, image.height) : undefined;
    if (roi && !region) throw new RangeError('region of interest lies outside the image');
    let pass = await this.readPass(image, region, this.settings.detection);
    let fellBack = false;
    if (pass.selected.length === 0 && this.settings.fallback) {
      fellBack = true;
      const second = await this.readPass(image, region, this.settings.fallback);
      pass = {
        selected: second.selected,
        candidates: [...pass.candidates, ...second.candidates],
        detectMs: pass.detectMs + second.detectMs,
      };
    }
    const observations = await Promise.all(pass.selected.map((s) => this.toObservation(image, s)));
    const totalMs = performance.now() - started;
    return {
      observations,
      candidates: pass.candidates,
      timings: { detectMs: pass.detectMs, recognizeMs: totalMs - pass.detectMs, totalMs, fellBack },
    };
  }

  private async readPass(image: RawImage, region: PixelBox | undefined, sizing: InputSizing) {
    const t0 = performance.now();
    const found = await this.detector.detect(image, { ...sizing, region });
    const detectMs = performance.now() - t0;
    const boxes = rankCandidates(found, this.settings.shape).slice(0, this.settings.maxCandidates);
    const candidates = await this.readBoxes(image, boxes);
    return { selected: selectPlates(candidates, this.settings.rules), candidates, detectMs };
  }

  /**
   * Read every box with the screening views (one batch), then the promising boxes with the detail
   * views (a second batch); each box's reads are combined by averaging character probabilities.
   */
  private async readBoxes(image: RawImage, boxes: TextBox[]): Promise<CandidateReads[]> {
    const { settings } = this;
    const screened = await this.readViews(
      image,
      boxes.map((b) => cropHypotheses(b.box, image.width, image.height, settings.screenViews)),
    );
    // Detail views go to boxes that look like a plate but are not settled yet.
    const promising = boxes.flatMap((_, i) => {
      const views = screened[i]!;
      const worthMore =
        !isSettledRead(views, settings.settledConfidence) &&
        views.some((v) => isPromisingRead(v, settings.rules, settings.screenConfidence));
      return worthMore ? [i] : [];
    });
    const detailed = await this.readViews(
      image,
      promising.map((i) => cropHypotheses(boxes[i]!.box, image.width, image.height, settings.detailViews)),
    );
    promising.forEach((i, k) => {
      screened[i]!.push(...detailed[k]!);
    });
    return boxes.map((b, i) => {
      const views = screened[i]!;
      if (views.length < 2) return { box: b.box, hypotheses: views };
      const mean = averageProbabilities(views.map((v) => v.probabilities));
      return {
        box: b.box,
        hypotheses: views,
        combined: { box: views[0]!.box, ...this.recognizer.decode(mean) },
      };
    });
  }

  /** Sample each box's crops into one batch and read it; returns the reads grouped like the input. */
  private async readViews(
    image: RawImage,
    crops: PixelBox[][],
  ): Promise<Array<Array<CropRead & { box: PixelBox }>>> {
    const flat = crops.flat();
    if (flat.length === 0) return crops.map(() => []);
    const { inputWidth, inputHeight } = this.recognizer;
    const size = inputWidth * inputHeight * 3;
    const batch = new Uint8Array(flat.length * size);
    flat.forEach((box, i) => {
      sampleCrop(image, box, inputWidth, inputHeight, batch, i * size);
    });
    const reads = await this.recognizer.readBatch(batch, flat.length);
    let next = 0;
    return crops.map((boxesOfOne) => boxesOfOne.map((box) => ({ box, ...reads[next++]! })));
  }

  private async toObservation(image: RawImage, plate: SelectedPlate): Promise<PlateObservation> {
    const observation: PlateObservation = {
      text: plate.text,
      rawText: plate.rawText,
      confidence: plate.confidence,
      charConfidences: plate.charConfidences,
      box: plate.box,
    };
    if (this.settings.storeCrops) observation.cropJpeg = await regionJpeg(image, plate.box);
    return observation;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.detector.close(), this.recognizer.close()]);
  }
}
