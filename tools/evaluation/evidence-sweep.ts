// Precision and recall of stored reads under other evidence thresholds (pure): every pass the tracker
// ended on a clip is kept with its evidence, and each setting of (minFrames, minConfidence) is replayed
// over them, so one run of a clip yields the whole curve a technician tunes a camera with.
import {
  type EvidenceRules,
  evidenceShortfall,
  type PassEvidenceInput,
} from '../../shared/plates/pass-evidence.js';
import type { PlateFormatRule } from '../../shared/plates/plate-format.js';
import type { ClipLabel } from './video-labels.js';
import { type ClipRead, scoreClip } from './video-metrics.js';

/** A pass as the tracker ended it, before the evidence rule, with its span in clip seconds. */
export interface CandidatePass extends PassEvidenceInput {
  read: ClipRead;
  /** The screen refused it for a reason evidence thresholds do not change (fixed text, parked car). */
  refusedOtherwise: boolean;
}

export interface SweepPoint {
  minFrames: number;
  minConfidence: number;
  /** Labels with an exactly matching stored read / labels. */
  recall: number;
  /** Stored reads matching a label (folded) / stored reads. */
  precision: number;
  stored: number;
}

export const SWEEP_FRAMES = [1, 2, 3, 4, 5, 6] as const;
export const SWEEP_CONFIDENCE = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95] as const;

/**
 * One point per (minFrames, minConfidence), other evidence rules as given.
 * @example sweepEvidence(labels, passes, { minFrames: 3, minAgreement: 0.5, minConfidence: 0.75 }, format)
 */
export function sweepEvidence(
  labels: readonly ClipLabel[],
  passes: readonly CandidatePass[],
  base: EvidenceRules,
  format?: PlateFormatRule,
): SweepPoint[] {
  const points: SweepPoint[] = [];
  for (const minFrames of SWEEP_FRAMES) {
    for (const minConfidence of SWEEP_CONFIDENCE) {
      const rules = { ...base, minFrames, minConfidence };
      const kept = passes.filter(
        (p) => !p.refusedOtherwise && evidenceShortfall(p, rules, format) === undefined,
      );
      const { score } = scoreClip(
        labels,
        kept.map((p) => p.read),
      );
      points.push({
        minFrames,
        minConfidence,
        recall: score.exactShare,
        precision: score.precision,
        stored: kept.length,
      });
    }
  }
  return points;
}
