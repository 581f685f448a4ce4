// Runs the plate pipeline over a labelled folder the way `alpr recognize` reads a photo: decode the
// JPEG with sharp to RGB, then the frame pipeline. Latency per image includes the decode.

import type { PlatePipeline } from '../../edge/recognition/plate-pipeline.js';
import { decodeImageFile } from '../../edge/recognition/raw-image.js';
import { coverage } from '../../shared/plates/box-geometry.js';
import { type EvalSummary, type ImageOutcome, summarise } from './eval-metrics.js';
import type { LabelledImage } from './openalpr-dataset.js';

export interface EvalRun {
  outcomes: ImageOutcome[];
  summary: EvalSummary;
  /** Images the fallback detection ran on. */
  fallbacks: number;
  /**
   * Process CPU time per image (ms, all threads). Less sensitive than wall time to other work on
   * a shared machine: with one intra-op thread it approximates the latency on an idle core.
   */
  cpuMsPerImage: number;
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
  const cpuStart = process.cpuUsage();
  for (const item of items) {
    const started = performance.now();
    const image = await decodeImageFile(item.imageFile);
    const decoded = performance.now();
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
      stagesMs: {
        decode: decoded - started,
        detect: result.timings.detectMs,
        read: result.timings.recognizeMs,
      },
      crops: result.candidates.reduce((sum, c) => sum + c.hypotheses.length, 0),
    });
    onProgress(outcomes.length, items.length);
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuMsPerImage = items.length
    ? Math.round(((cpu.user + cpu.system) / 1000 / items.length) * 10) / 10
    : 0;
  return { outcomes, summary: summarise(outcomes), fallbacks, cpuMsPerImage };
}
