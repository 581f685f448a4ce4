// Reads the plates in one RGB image (stateless per image): detector → plate-shaped boxes outside the
// masks → several crops per box → one batched recognizer run → per box the crops' character
// probabilities averaged → candidate selection (shared/plates). Works on packed RGB frames without
// re-encoding them; a region of interest limits detection, and boxes come back in full-frame pixels.
// Per-camera state (motion, fixed text, plate size) lives in CameraRecognizer.
import { boxCentre, clampBox, type PixelBox } from '../../shared/plates/box-geometry.js';
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
import { pointInPolygon } from '../../shared/plates/pixel-masks.js';
import { looksLikeWord } from '../../shared/plates/plate-format.js';
import type { PlateObservation } from '../pipeline/stages.js';
import { type CropKind, cropHypotheses } from './crop-hypotheses.js';
import { sampleCrop } from './crop-sampler.js';
import type { TextBox } from './detector-postprocess.js';
import type { InputSizing } from './detector-preprocess.js';
import type { CropRead, PlateRecognizer } from './plate-recognizer.js';
import { type RawImage, regionJpeg } from './raw-image.js';
import { averageProbabilities } from './recognizer-decode.js';
import type { PlateDetector } from './text-detector.js';

export interface PlatePipelineSettings {
  /** Detector input for the whole frame (or region of interest). */
  detection: InputSizing;
  /** A second, finer detection for small and distant plates (costly: ~3x the first). */
  fallback?: InputSizing;
  /** Run the fallback whenever the first detection finds no plate (photos); else only when asked. */
  autoFallback?: boolean;
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
}

export interface PipelineTimings {
  detectMs: number;
  recognizeMs: number;
  totalMs: number;
  /** Whether the fallback detection ran. */
  fellBack: boolean;
}

/** Where to look in an image (frame pixels). */
export interface ReadOptions {
  /** Only this rectangle is searched. */
  roi?: PixelBox;
  /** Text whose box centre lies inside one of these polygons is never read. */
  masks?: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  /**
   * Look only in these rectangles (frame pixels), e.g. around the plates of the last frame: a small
   * detection per rectangle instead of one over the frame, and no fallback.
   */
  focus?: readonly PixelBox[];
  /** Search with the finer fallback detection instead of the first (when one is configured). */
  fine?: boolean;
}

export interface ImageRecognition {
  /** Plates found, most confident first. */
  observations: PlateObservation[];
  /** Every text box the detector found outside the masks (for learning fixed text). */
  textBoxes: PixelBox[];
  /** Text boxes dropped because they lay in a mask. */
  masked: number;
  /** Plate-shaped text boxes that were read and what each crop read (for diagnosis and eval). */
  candidates: CandidateReads[];
  timings: PipelineTimings;
}

/** Reads images; `PlatePipeline` in this thread, or a pool of them on worker threads. */
export interface ImageReader {
  readonly modelId: string;
  readImage(image: RawImage, options?: ReadOptions): Promise<ImageRecognition>;
  close(): Promise<void>;
}

export class PlatePipeline implements ImageReader {
  readonly modelId: string;

  constructor(
    private readonly detector: PlateDetector,
    private readonly recognizer: PlateRecognizer,
    readonly settings: PlatePipelineSettings,
  ) {
    this.modelId = `${detector.modelId}+${recognizer.modelId}`;
  }

  readImage(image: RawImage, options: ReadOptions = {}): Promise<ImageRecognition> {
    if (image.data.length !== image.width * image.height * 3) {
      throw new RangeError(`image has ${image.data.length} bytes, expected ${image.width}x${image.height}x3`);
    }
    if (options.focus) return this.recognizeFocus(image, options.focus, options.masks);
    return this.recognizeImage(image, options.roi, options.masks, options.fine);
  }

  private async recognizeFocus(
    image: RawImage,
    focus: readonly PixelBox[],
    masks: ReadOptions['masks'],
  ): Promise<ImageRecognition> {
    const started = performance.now();
    const regions = focus.flatMap((f) => clampBox(f, image.width, image.height) ?? []);
    // Focus areas are small: search them at full resolution and aspect (the squeeze that keeps a
    // whole-frame search cheap costs small plates).
    const sizing = {
      maxSide: this.settings.fallback?.maxSide ?? this.settings.detection.maxSide,
      squeeze: 1,
    };
    const pass = await this.readPass(image, regions, sizing, masks);
    const observations = await Promise.all(pass.selected.map((s) => this.toObservation(image, s)));
    const totalMs = performance.now() - started;
    return {
      observations,
      textBoxes: pass.textBoxes,
      masked: pass.masked,
      candidates: pass.candidates,
      timings: { detectMs: pass.detectMs, recognizeMs: totalMs - pass.detectMs, totalMs, fellBack: false },
    };
  }

  /** Read the plates in one RGB image; `roi` limits where plates are searched, `masks` are never read. */
  async recognizeImage(
    image: RawImage,
    roi?: PixelBox,
    masks?: ReadOptions['masks'],
    fine = false,
  ): Promise<ImageRecognition> {
    const started = performance.now();
    const region = roi ? clampBox(roi, image.width, image.height) : undefined;
    if (roi && !region) throw new RangeError('region of interest lies outside the image');
    const first = fine && this.settings.fallback ? this.settings.fallback : this.settings.detection;
    let pass = await this.readPass(image, region, first, masks);
    let fellBack = first !== this.settings.detection;
    const auto = this.settings.autoFallback ?? true;
    // Words only (a sign) count as no plate: the plate may be smaller than the first detection sees.
    const noPlate = pass.selected.every((s) => looksLikeWord(s.text));
    if (noPlate && this.settings.fallback && auto && !fellBack) {
      fellBack = true;
      const second = await this.readPass(image, region, this.settings.fallback, masks);
      pass = {
        selected: second.selected,
        candidates: [...pass.candidates, ...second.candidates],
        detectMs: pass.detectMs + second.detectMs,
        textBoxes: [...pass.textBoxes, ...second.textBoxes],
        masked: pass.masked + second.masked,
      };
    }
    const observations = await Promise.all(pass.selected.map((s) => this.toObservation(image, s)));
    const totalMs = performance.now() - started;
    return {
      observations,
      textBoxes: pass.textBoxes,
      masked: pass.masked,
      candidates: pass.candidates,
      timings: { detectMs: pass.detectMs, recognizeMs: totalMs - pass.detectMs, totalMs, fellBack },
    };
  }

  private async readPass(
    image: RawImage,
    region: PixelBox | undefined | readonly PixelBox[],
    sizing: InputSizing,
    masks: ReadOptions['masks'],
  ) {
    const t0 = performance.now();
    const regions = Array.isArray(region) ? region : [region as PixelBox | undefined];
    const detected: TextBox[] = [];
    for (const r of regions) detected.push(...(await this.detector.detect(image, { ...sizing, region: r })));
    const detectMs = performance.now() - t0;
    const found = masks?.length
      ? detected.filter((b) => {
          const c = boxCentre(b.box);
          return !masks.some((m) => pointInPolygon([c.x, c.y], m));
        })
      : detected;
    const boxes = rankCandidates(found, this.settings.shape).slice(0, this.settings.maxCandidates);
    const candidates = await this.readBoxes(image, boxes);
    return {
      selected: selectPlates(candidates, this.settings.rules),
      candidates,
      detectMs,
      textBoxes: found.map((b) => b.box),
      masked: detected.length - found.length,
    };
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
      textBox: plate.textBox,
    };
    if (this.settings.storeCrops) observation.cropJpeg = await regionJpeg(image, plate.box);
    return observation;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.detector.close(), this.recognizer.close()]);
  }
}
