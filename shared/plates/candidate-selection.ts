// Which of the OCR strings in a frame are plates (pure): plate-shaped text boxes are read under
// several crop hypotheses; a read counts only if it fits the plate-format rules and the recognizer is
// sure enough of every character; each box keeps its best read; overlapping boxes keep the best one.
import { boxArea, coverage, iou, type PixelBox } from './box-geometry.js';
import { looksLikeWord, type PlateFormatRule } from './plate-format.js';

export interface PlateShape {
  /** Width / height bounds of a detected text box that may be (part of) a plate. */
  minAspect: number;
  maxAspect: number;
  /** Smallest box height in frame pixels worth reading. */
  minHeightPx: number;
}

export const DEFAULT_PLATE_SHAPE: PlateShape = { minAspect: 1.2, maxAspect: 10, minHeightPx: 8 };

/**
 * Whether a detected text box has the proportions of a plate or of a plate's number line.
 * @example isPlateShaped({ x: 0, y: 0, width: 90, height: 30 }) // true
 */
export function isPlateShaped(box: PixelBox, shape: PlateShape = DEFAULT_PLATE_SHAPE): boolean {
  if (box.height < shape.minHeightPx || box.height <= 0) return false;
  const aspect = box.width / box.height;
  return aspect >= shape.minAspect && aspect <= shape.maxAspect;
}

/**
 * Plate-shaped boxes, most promising first: confident text, then taller boxes (nearer plates have
 * taller characters), so a cap on boxes read per frame drops the least plate-like ones.
 * @example rankCandidates(textBoxes, DEFAULT_PLATE_SHAPE).slice(0, 8)
 */
export function rankCandidates<T extends { box: PixelBox; score: number }>(
  boxes: T[],
  shape: PlateShape,
): T[] {
  return boxes
    .filter((b) => isPlateShaped(b.box, shape))
    .sort((a, b) => b.score * Math.sqrt(b.box.height) - a.score * Math.sqrt(a.box.height));
}

/** One recognizer read of one crop hypothesis. */
export interface HypothesisRead {
  /** The crop that was read, in frame pixels. */
  box: PixelBox;
  /** Recognizer output as it came (padding included). */
  rawText: string;
  /** Characters read (padding dropped), one confidence each. */
  text: string;
  charConfidences: number[];
}

export interface CandidateReads {
  /** The detected text box the hypotheses were cut around. */
  box: PixelBox;
  /** One read per crop hypothesis. */
  hypotheses: HypothesisRead[];
  /** The read of all hypotheses' evidence combined (e.g. averaged character probabilities), if any. */
  combined?: HypothesisRead;
}

export interface SelectionRules {
  format: PlateFormatRule;
  /** A read whose mean character confidence is below this is dropped. */
  minConfidence: number;
  /** A read with any character below this is dropped. */
  minCharConfidence: number;
  /** Two boxes overlapping more than this (IoU, or share of the smaller covered) are one plate. */
  overlap: number;
}

export interface SelectedPlate {
  text: string;
  rawText: string;
  /** Mean character confidence. */
  confidence: number;
  /** Lowest character confidence. */
  minCharConfidence: number;
  charConfidences: number[];
  /** The winning crop, in frame pixels. */
  box: PixelBox;
  /** The detected text box the crops were cut around. */
  textBox: PixelBox;
  /** How many single-crop hypotheses of the same box read the same text. */
  agreeing: number;
  candidateIndex: number;
  /** The crop whose box is reported (-1: the combined read matched no single crop). */
  hypothesisIndex: number;
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Score a single read; undefined when it breaks the format or confidence rules. */
export function scoreRead(
  read: Pick<HypothesisRead, 'text' | 'charConfidences'>,
  rules: SelectionRules,
): { text: string; confidence: number; minCharConfidence: number; charConfidences: number[] } | undefined {
  const text = rules.format.normalise(read.text);
  // Normalisation must not drop characters silently: their confidences would no longer line up.
  if (text.length !== read.charConfidences.length || !rules.format.test(text)) return undefined;
  const confidence = mean(read.charConfidences);
  const minChar = Math.min(...read.charConfidences);
  if (confidence < rules.minConfidence || minChar < rules.minCharConfidence) return undefined;
  return { text, confidence, minCharConfidence: minChar, charConfidences: read.charConfidences };
}

/**
 * Whether a cheap first read of a box looks enough like a plate to be worth reading more carefully:
 * it fits the plate format and its mean character confidence reaches `screenConfidence`.
 * @example isPromisingRead({ text: 'ABC123', charConfidences: [0.9, 0.8, 0.7, 0.9, 0.9, 0.6] }, rules, 0.4) // true
 */
export function isPromisingRead(
  read: Pick<HypothesisRead, 'text' | 'charConfidences'>,
  rules: Pick<SelectionRules, 'format'>,
  screenConfidence: number,
): boolean {
  const text = rules.format.normalise(read.text);
  return (
    text.length === read.charConfidences.length &&
    rules.format.test(text) &&
    mean(read.charConfidences) >= screenConfidence
  );
}

/**
 * Whether several reads of one box already agree with every character at least `settledConfidence`
 * sure: more crops would not change the answer, so the effort goes to uncertain boxes.
 * @example isSettledRead([read('7ABC123', 0.98), read('7ABC123', 0.95)], 0.9) // true
 */
export function isSettledRead(
  reads: Array<Pick<HypothesisRead, 'text' | 'charConfidences'>>,
  settledConfidence: number,
): boolean {
  return (
    reads.length > 1 &&
    reads.every(
      (r) =>
        r.text === reads[0]!.text &&
        r.charConfidences.length > 0 &&
        Math.min(...r.charConfidences) >= settledConfidence,
    )
  );
}

/**
 * The best acceptable read of one candidate box, or undefined when none qualifies. The combined read
 * (all crops' evidence) wins when it passes the rules; otherwise the single crop most others agree
 * with, then the most confident.
 */
export function bestHypothesis(
  candidate: CandidateReads,
  candidateIndex: number,
  rules: SelectionRules,
): SelectedPlate | undefined {
  const scored = candidate.hypotheses.map((h) => scoreRead(h, rules));
  const combined = candidate.combined && scoreRead(candidate.combined, rules);
  if (candidate.combined && combined) {
    const agreeing = scored.filter((o) => o?.text === combined.text).length;
    // Report the box of the most confident crop that read the same text (the combined read has none).
    let hypothesisIndex = -1;
    scored.forEach((o, i) => {
      if (
        o?.text === combined.text &&
        (hypothesisIndex < 0 || o.confidence > scored[hypothesisIndex]!.confidence)
      ) {
        hypothesisIndex = i;
      }
    });
    const box = hypothesisIndex >= 0 ? candidate.hypotheses[hypothesisIndex]!.box : candidate.combined.box;
    return {
      ...combined,
      rawText: candidate.combined.rawText,
      box,
      textBox: candidate.box,
      agreeing,
      candidateIndex,
      hypothesisIndex,
    };
  }
  let best: SelectedPlate | undefined;
  scored.forEach((s, i) => {
    if (!s) return;
    const agreeing = scored.filter((o) => o?.text === s.text).length;
    const h = candidate.hypotheses[i]!;
    const better =
      !best || agreeing > best.agreeing || (agreeing === best.agreeing && s.confidence > best.confidence);
    if (better) {
      best = {
        ...s,
        rawText: h.rawText,
        box: h.box,
        textBox: candidate.box,
        agreeing,
        candidateIndex,
        hypothesisIndex: i,
      };
    }
  });
  return best;
}

/** Rank bonus per unit of layout weight (a seven-character state layout: +20%). */
const LAYOUT_BONUS = 0.1;
/** Rank weight of a read that looks like a word (see looksLikeWord). */
const WORD_WEIGHT = 0.5;

const sameRegion = (a: PixelBox, b: PixelBox, overlap: number) => {
  const smaller = boxArea(a) <= boxArea(b) ? a : b;
  const larger = smaller === a ? b : a;
  return iou(a, b) > overlap || coverage(larger, smaller) > overlap;
};

/**
 * The plates in one frame, nearest (tallest text, weighed by confidence) first: per box its best
 * acceptable read, then one read per group of overlapping boxes (the one with the tallest text).
 * @example selectPlates([{ box, hypotheses: [read1, read2] }], rules)[0]?.text // '7ABC123'
 */
export function selectPlates(candidates: CandidateReads[], rules: SelectionRules): SelectedPlate[] {
  const perBox = candidates
    .map((c, i) => bestHypothesis(c, i, rules))
    .filter((s): s is SelectedPlate => s !== undefined)
    // Within a group of overlapping boxes the tallest text wins: on a plate the registration is the
    // largest text, above or below it are the state name, slogans and dealer frames.
    .sort(
      (a, b) =>
        candidates[b.candidateIndex]!.box.height - candidates[a.candidateIndex]!.box.height ||
        b.agreeing - a.agreeing ||
        b.confidence - a.confidence,
    );
  const kept: SelectedPlate[] = [];
  for (const plate of perBox) {
    if (!kept.some((k) => sameRegion(k.box, plate.box, rules.overlap))) kept.push(plate);
  }
  // Nearest first: the plate with the tallest text is the vehicle closest to the camera (what a
  // photo is of), weighed by how sure the read is so that large uncertain text does not win, and by
  // whether it fits one of the region's layouts: a fleet number painted on a bus (219906) is taller
  // than the bus's plate (5RIN962, California 1ABC234), but only the plate has a plate's layout.
  // Text that reads like a word (a PRIVATE PROPERTY sign behind the car) counts half.
  const rank = (p: SelectedPlate) =>
    p.textBox.height *
    p.confidence ** 2 *
    (1 + LAYOUT_BONUS * (rules.format.layoutWeight?.(p.text) ?? 0)) *
    (looksLikeWord(p.text) ? WORD_WEIGHT : 1);
  return kept.sort((a, b) => rank(b) - rank(a) || b.confidence - a.confidence);
}
