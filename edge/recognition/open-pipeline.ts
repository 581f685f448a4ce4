// Builds the recognition stages from the validated config: both model sessions (files verified
// against the manifest first), the plate pipeline, the per-camera recognizer around it (regions of
// interest, masks, minimum plate width, motion, fixed text) and the pass tracker with its screen.
// Entry points (edge service, `alpr recognize`, `alpr eval`) call these once.

import os from 'node:os';
import { defaultModelPath, manifestEntry, verifyModelFile } from '../../models/manifest.js';
import type { ResolvedCamera } from '../../shared/config/camera.schema.js';
import { resolvedPlateFormat } from '../../shared/config/recognition.schema.js';
import type { AlprConfig } from '../../shared/config/schema.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { SelectionRules } from '../../shared/plates/candidate-selection.js';
import { DEFAULT_PLATE_SHAPE } from '../../shared/plates/candidate-selection.js';
import { createPassTracker, type PlatePassTracker } from '../../shared/plates/pass-tracker.js';
import { compilePlateFormat, type PlateFormatRule } from '../../shared/plates/plate-format.js';
import {
  createStaticTextLearner,
  DEFAULT_STATIC_TEXT,
  type StaticTextLearner,
} from '../../shared/plates/static-text.js';
import { ScreenedTracker, type ScreenedTrackerHooks } from '../pipeline/screened-tracker.js';
import { type CameraReadSettings, CameraRecognizer } from './camera-recognizer.js';
import { DETAIL_VIEWS, SCREEN_VIEWS } from './crop-hypotheses.js';
import { detectorInputSize } from './detector-preprocess.js';
import { DEFAULT_MOTION_GATE } from './motion-gate.js';
import { PlatePipeline, type PlatePipelineSettings } from './plate-pipeline.js';
import { CctPlateRecognizer } from './plate-recognizer.js';
import { RecognitionPool } from './recognition-pool.js';
import { TextDetector } from './text-detector.js';

export type RecognitionConfig = AlprConfig['recognition'];

/** Where plates are read: live camera frames, or single photos (one chance per image). */
export type RecognitionMode = 'frames' | 'photos';

/** The config's plate format, compiled (preset values for every field left out). */
export function plateFormatRule(recognition: RecognitionConfig): PlateFormatRule {
  return compilePlateFormat(resolvedPlateFormat(recognition.plateFormat));
}

/** The frame-level selection rules from config. */
export function selectionRules(recognition: RecognitionConfig): SelectionRules {
  return {
    format: plateFormatRule(recognition),
    minConfidence: recognition.minConfidence,
    minCharConfidence: recognition.minCharConfidence,
    overlap: 0.5,
  };
}

export function pipelineSettings(
  recognition: RecognitionConfig,
  mode: RecognitionMode,
): PlatePipelineSettings {
  // Photos get one chance per image: the costly second detection runs whenever the first finds no
  // plate. Camera frames get another chance next frame, so there it runs every frame only when set to
  // 'always' (with 'motion' the camera recognizer asks for it now and then).
  const auto =
    recognition.fallbackDetection === 'always' ||
    (recognition.fallbackDetection !== 'never' && mode === 'photos');
  return {
    detection: { maxSide: recognition.detectorMaxSide, squeeze: recognition.detectorSqueeze },
    fallback:
      recognition.fallbackDetection === 'never'
        ? undefined
        : { maxSide: recognition.fallbackMaxSide, squeeze: 1 },
    autoFallback: auto,
    shape: DEFAULT_PLATE_SHAPE,
    screenViews: SCREEN_VIEWS,
    detailViews: DETAIL_VIEWS,
    // Half the storing threshold: a rough first crop may read a true plate less confidently.
    screenConfidence: recognition.minConfidence / 2,
    settledConfidence: 0.9,
    maxCandidates: recognition.maxCandidates,
    rules: selectionRules(recognition),
    storeCrops: recognition.storeCrops,
  };
}

export interface OpenPipelineOptions {
  models: AlprConfig['models'];
  recognition: RecognitionConfig;
  mode: RecognitionMode;
  /** Cameras whose `roi` limits detection (frames mode). */
  cameras?: ResolvedCamera[];
  /** Frame size the sessions are warmed up with. */
  frameSize?: { width: number; height: number };
}

/**
 * Open both model sessions (each file verified against models/manifest.json, so a missing or
 * corrupted file fails here naming it and its expected sha256), warm them up, build the pipeline.
 * @example const pipeline = await openPlatePipeline({ models: config.models, recognition: config.recognition, mode: 'frames', cameras });
 */
export async function openPlatePipeline(options: OpenPipelineOptions): Promise<PlatePipeline> {
  const { recognition } = options;
  const settings = pipelineSettings(recognition, options.mode);
  const frame = options.frameSize ?? options.cameras?.[0]?.frame ?? { width: 1280, height: 720 };
  const detectorEntry = manifestEntry('detector');
  const recognizerEntry = manifestEntry('recognizer');
  const [detector, recognizer] = await Promise.allSettled([
    TextDetector.open({
      file: options.models.detector ?? defaultModelPath(detectorEntry),
      entry: detectorEntry,
      threads: recognition.threads,
      warmupSize: detectorInputSize(frame.width, frame.height, settings.detection),
    }),
    CctPlateRecognizer.open({
      file: options.models.recognizer ?? defaultModelPath(recognizerEntry),
      entry: recognizerEntry,
      threads: recognition.threads,
    }),
  ]);
  if (detector.status === 'rejected' || recognizer.status === 'rejected') {
    if (detector.status === 'fulfilled') await detector.value.close();
    if (recognizer.status === 'fulfilled') await recognizer.value.close();
    throw detector.status === 'rejected' ? detector.reason : (recognizer as PromiseRejectedResult).reason;
  }
  return new PlatePipeline(detector.value, recognizer.value, settings);
}

/** Each camera's region of interest, masks and smallest plate width, by camera id. */
export function cameraReadSettings(cameras: readonly ResolvedCamera[]): Map<string, CameraReadSettings> {
  return new Map(
    cameras.map((c) => [c.id, { roi: c.roi, masks: c.masks, minPlateWidthPx: c.minPlateWidthPx }] as const),
  );
}

/**
 * The per-camera recognizer the edge runs on camera frames (and `alpr eval --video`), around one
 * plate pipeline.
 * @example const recognizer = await openFrameRecognizer({ models, recognition, mode: 'frames', cameras });
 */
export async function openFrameRecognizer(
  options: OpenPipelineOptions & { learner?: StaticTextLearner; logger?: Logger },
): Promise<CameraRecognizer> {
  const { recognition } = options;
  const size = workerCount(recognition, options.cameras?.length ?? 1);
  const { cameras: _cameras, ...sessions } = options;
  // Checked here too, so a missing or corrupted file fails as a ModelFileError naming it (a worker's
  // error would arrive as a plain message).
  for (const role of ['detector', 'recognizer'] as const) {
    const entry = manifestEntry(role);
    await verifyModelFile(options.models[role] ?? defaultModelPath(entry), entry);
  }
  const frameSize = options.frameSize ?? options.cameras?.[0]?.frame;
  const reader = await RecognitionPool.open(size, { ...sessions, mode: 'frames', frameSize }, options.logger);
  return new CameraRecognizer(reader, {
    cameras: cameraReadSettings(options.cameras ?? []),
    motionGate: recognition.skipStillFrames ? DEFAULT_MOTION_GATE : undefined,
    staticText: options.learner ?? fixedTextLearner(recognition),
    fullFrameEvery: recognition.fullFrameEvery,
    fallbackEveryMs: recognition.fallbackDetection === 'motion' ? 1000 : undefined,
  });
}

/** Worker threads for `cameras` cameras: the configured number, else one per core and at most one per camera. */
export function workerCount(
  recognition: RecognitionConfig,
  cameras: number,
  cores = os.availableParallelism(),
): number {
  if (recognition.workers > 0) return recognition.workers;
  return Math.max(1, Math.min(cores, cameras));
}

/** The config's fixed-text learner (undefined when learning is off). */
export function fixedTextLearner(recognition: RecognitionConfig): StaticTextLearner | undefined {
  if (!recognition.staticText.learn) return undefined;
  return createStaticTextLearner({
    ...DEFAULT_STATIC_TEXT,
    afterMs: recognition.staticText.afterS * 1000,
    forgetAfterMs: recognition.staticText.forgetAfterS * 1000,
  });
}

/**
 * The recognizer and the tracker of the edge, sharing one fixed-text learner.
 * @example const { recognizer, tracker } = await openRecognitionStages({ models, recognition, mode: 'frames', cameras });
 */
export async function openRecognitionStages(
  options: OpenPipelineOptions & { logger?: Logger },
  hooks: ScreenedTrackerHooks = {},
): Promise<{ recognizer: CameraRecognizer; tracker: ScreenedTracker }> {
  const learner = fixedTextLearner(options.recognition);
  const recognizer = await openFrameRecognizer({ ...options, learner });
  return { recognizer, tracker: openScreenedTracker(options.recognition, hooks, learner) };
}

/** The pass tracker and the screen every pass goes through before the gate (evidence, fixed text, parked cars). */
export function openScreenedTracker(
  recognition: RecognitionConfig,
  hooks: ScreenedTrackerHooks = {},
  learner?: StaticTextLearner,
): ScreenedTracker {
  return new ScreenedTracker(
    openPassTracker(recognition),
    {
      evidence: recognition.evidence,
      format: plateFormatRule(recognition),
      staticAfterMs: recognition.staticText.learn ? recognition.staticText.afterS * 1000 : 0,
      stationaryRepeatMs: recognition.stationaryRepeatS * 1000,
    },
    hooks,
    learner,
  );
}

/** The pure pass tracker with the config's window, limits and rules. */
export function openPassTracker(recognition: RecognitionConfig): PlatePassTracker {
  return createPassTracker({
    windowMs: recognition.trackWindowMs,
    maxPassMs: recognition.trackMaxPassMs,
    minSimilarity: 0.5,
    strongSimilarity: 0.8,
    minConfidence: recognition.minConfidence,
    minCharConfidence: recognition.minCharConfidence,
    format: plateFormatRule(recognition),
    maxEvidence: 50,
  });
}
