// Scoring an evaluation run (pure): exact and O/0-I/1-folded matches, whether the read's box is on
// the labelled plate, and latency percentiles.
import { coverage, iou, type PixelBox } from '../../shared/plates/box-geometry.js';
import { foldPlateText } from '../../shared/plates/plate-format.js';

export interface ImageOutcome {
  name: string;
  expected: string;
  expectedBox: PixelBox;
  /** The top read, or undefined when nothing passed the rules. */
  got?: { text: string; confidence: number; box: PixelBox };
  /** Whether any candidate box the recognizer read covered the labelled plate. */
  candidateCovered: boolean;
  latencyMs: number;
  /** Where the time went (ms): JPEG decode, detection, reading (crops, recognizer, selection). */
  stagesMs?: { decode: number; detect: number; read: number };
  /** Plate crops the recognizer read for this image. */
  crops?: number;
}

export interface EvalSummary {
  n: number;
  /** Fractions 0..1. */
  exact: number;
  folded: number;
  /** The top read's box is on the labelled plate. */
  found: number;
  /** Some candidate box covered the labelled plate (localiser recall). */
  candidateRecall: number;
  /** A read was returned at all. */
  answered: number;
  latencyMs: { mean: number; median: number; p95: number; max: number };
  /** Mean time per stage (ms), when recorded. */
  stagesMs: { decode: number; detect: number; read: number };
  /** Mean plate crops read per image. */
  cropsPerImage: number;
}

/** A read's box is on a labelled plate when they overlap well or the read's box holds most of it. */
export function boxOnPlate(readBox: PixelBox, plateBox: PixelBox): boolean {
  return iou(readBox, plateBox) >= 0.3 || coverage(readBox, plateBox) >= 0.7;
}

export const isExact = (o: ImageOutcome) => o.got?.text === o.expected;
export const isFolded = (o: ImageOutcome) =>
  o.got !== undefined && foldPlateText(o.got.text) === foldPlateText(o.expected);

/**
 * The q-quantile (0..1) of `values` by linear interpolation.
 * @example quantile([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

export function summarise(outcomes: ImageOutcome[]): EvalSummary {
  const n = outcomes.length;
  const share = (pred: (o: ImageOutcome) => boolean) =>
    n === 0 ? 0 : round(outcomes.filter(pred).length / n, 4);
  const latencies = outcomes.map((o) => o.latencyMs);
  const stageMean = (key: 'decode' | 'detect' | 'read') =>
    round(n === 0 ? 0 : outcomes.reduce((sum, o) => sum + (o.stagesMs?.[key] ?? 0), 0) / n, 1);
  return {
    n,
    exact: share(isExact),
    folded: share(isFolded),
    found: share((o) => o.got !== undefined && boxOnPlate(o.got.box, o.expectedBox)),
    candidateRecall: share((o) => o.candidateCovered),
    answered: share((o) => o.got !== undefined),
    latencyMs: {
      mean: round(n === 0 ? 0 : latencies.reduce((a, b) => a + b, 0) / n, 1),
      median: round(quantile(latencies, 0.5), 1),
      p95: round(quantile(latencies, 0.95), 1),
      max: round(latencies.length ? Math.max(...latencies) : 0, 1),
    },
    stagesMs: { decode: stageMean('decode'), detect: stageMean('detect'), read: stageMean('read') },
    cropsPerImage: round(n === 0 ? 0 : outcomes.reduce((sum, o) => sum + (o.crops ?? 0), 0) / n, 1),
  };
}
