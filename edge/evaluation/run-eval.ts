// Runs the plate pipeline over a labelled folder the way `alpr recognize` reads a photo: decode the
// JPEG with sharp to RGB, then the frame pipeline. Latency per image includes the decode.
import { coverage } from '../../shared/plates/box-geometry.js';
import type { PlatePipeline } from '../recognition/plate-pipeline.js';
import { decodeImageFile } from '../recognition/raw-image.js';
import { type EvalSummary, type ImageOutcome, summarise } from './eval-metrics.js';
import type { LabelledImage } from './openalpr-dataset.js';

export interface EvalRun {
  outcomes: ImageOutcome[];
  summary: EvalSummary;
  /** Images the fallback detection ran on. */
  fallbacks: number;
}

/** A crop the recognizer read holds most of the labelled plate: the localiser gave the reader a chance. */
const CROP_HOLDS_PLATE = 0.7;

export async function runEvaluation(
  pipeline: PlatePipeline,
  items: LabelledImage[],
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<EvalRun> {
  const outcomes: ImageOutcome[] = [];
  let fallbacks = 0;
  for (const item of items) {
    const started = performance.now();
    const image = await decodeImageFile(item.imageFile);
    const result = await pipeline.recognizeImage(image);
    const latencyMs = performance.now() - started;
    if (result.timings.fellBack) fallbacks++;
    const top = result.observations[0];
    outcomes.push({
      name: item.name,
      expected: item.plate,
      expectedBox: item.box,
      got: top && { text: top.text, confidence: top.confidence, box: top.box },
      candidateCovered: result.candidates.some((c) =>
        c.hypotheses.some((h) => coverage(h.box, item.box) >= CROP_HOLDS_PLATE),
      ),
      latencyMs,
    });
    onProgress(outcomes.length, items.length);
  }
  return { outcomes, summary: summarise(outcomes), fallbacks };
}
