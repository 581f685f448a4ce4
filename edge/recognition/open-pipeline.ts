// Builds the recognition stages from the validated config: both model sessions (files verified
// against the manifest first), the plate pipeline with per-camera regions of interest, and the
// pass tracker. Entry points (edge service, `alpr recognize`, `alpr eval`) call these once.
import { defaultModelPath, manifestEntry } from '../../models/manifest.js';
import type { ResolvedCamera } from '../../shared/config/camera.schema.js';
import type { AlprConfig } from '../../shared/config/schema.js';
import type { SelectionRules } from '../../shared/plates/candidate-selection.js';
import { DEFAULT_PLATE_SHAPE } from '../../shared/plates/candidate-selection.js';
import { createPassTracker, type PlatePassTracker } from '../../shared/plates/pass-tracker.js';
import { compilePlateFormat } from '../../shared/plates/plate-format.js';
import { DETAIL_VIEWS, SCREEN_VIEWS } from './crop-hypotheses.js';
import { detectorInputSize } from './detector-preprocess.js';
import { DEFAULT_MOTION_GATE } from './motion-gate.js';
import { PlatePipeline, type PlatePipelineSettings } from './plate-pipeline.js';
import { CctPlateRecognizer } from './plate-recognizer.js';
import { TextDetector } from './text-detector.js';

export type RecognitionConfig = AlprConfig['recognition'];

/** Where plates are read: live camera frames, or single photos (one chance per image). */
export type RecognitionMode = 'frames' | 'photos';

/** The frame-level selection rules from config. */
export function selectionRules(recognition: RecognitionConfig): SelectionRules {
  return {
    format: compilePlateFormat(recognition.plateFormat),
    minConfidence: recognition.minConfidence,
    minCharConfidence: recognition.minCharConfidence,
    overlap: 0.5,
  };
}

export function pipelineSettings(
  recognition: RecognitionConfig,
  mode: RecognitionMode,
): PlatePipelineSettings {
  const fallback =
    recognition.fallbackDetection === 'always' ||
    (recognition.fallbackDetection === 'photos' && mode === 'photos');
  return {
    detection: { maxSide: recognition.detectorMaxSide, squeeze: recognition.detectorSqueeze },
    fallback: fallback ? { maxSide: recognition.fallbackMaxSide, squeeze: 1 } : undefined,
    shape: DEFAULT_PLATE_SHAPE,
    screenViews: SCREEN_VIEWS,
    detailViews: DETAIL_VIEWS,
    // Half the storing threshold: a rough first crop may read a true plate less confidently.
    screenConfidence: recognition.minConfidence / 2,
    settledConfidence: 0.9,
    maxCandidates: recognition.maxCandidates,
    rules: selectionRules(recognition),
    storeCrops: recognition.storeCrops,
    motionGate: mode === 'frames' && recognition.skipStillFrames ? DEFAULT_MOTION_GATE : undefined,
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
  const rois = new Map((options.cameras ?? []).flatMap((c) => (c.roi ? [[c.id, c.roi] as const] : [])));
  return new PlatePipeline(detector.value, recognizer.value, settings, (cameraId) => rois.get(cameraId));
}

/** The pass tracker with the config's window, limits and rules. */
export function openPassTracker(recognition: RecognitionConfig): PlatePassTracker {
  return createPassTracker({
    windowMs: recognition.trackWindowMs,
    maxPassMs: recognition.trackMaxPassMs,
    minSimilarity: 0.5,
    strongSimilarity: 0.8,
    minConfidence: recognition.minConfidence,
    minCharConfidence: recognition.minCharConfidence,
    format: compilePlateFormat(recognition.plateFormat),
    maxEvidence: 50,
  });
}
