// The evidence a vehicle pass needs before its read is stored (pure). A real plate passing a camera
// is read the same way in several frames; a fragment of other text is read once or inconsistently.
// A pass must have enough frames agreeing with its voted plate (O/0 and I/1 folded), agreement among
// its frames, a voted confidence (higher for a plate that reads like a word), and a plate that fits
// the format.
import { foldPlateText, looksLikeWord, type PlateFormatRule } from './plate-format.js';

export interface EvidenceRules {
  /** Frames that must read the voted plate. */
  minFrames: number;
  /** Share of the pass's frames that must read it, 0..1. */
  minAgreement: number;
  /** The voted confidence must reach this. */
  minConfidence: number;
  /**
   * The voted confidence a plate that looks like a word must reach (looksLikeWord: NORTHERN, NOTICE,
   * CARPET on signs and vehicles, read steadily but not surely; a vanity plate reads surely). Default:
   * minConfidence.
   */
  minConfidenceWords?: number;
}

/** What the rule looks at in a pass (the shape of PassRead's fields). */
export interface PassEvidenceInput {
  plate: string;
  confidence: number;
  evidence: { framesSeen: number; perFrame: ReadonlyArray<{ text: string }> };
}

export type EvidenceShortfall =
  | 'format'
  | 'few_frames'
  | 'disagreeing_frames'
  | 'low_confidence'
  | 'word_low_confidence';

export interface EvidenceSummary {
  /** Frames whose read equals the voted plate, folded. */
  agreeing: number;
  /** agreeing / frames seen. */
  agreement: number;
}

/**
 * Frames agreeing with the voted plate. `perFrame` holds the most confident frames only (bounded), so
 * frames beyond it are counted in proportion to the agreement among those kept.
 * @example summariseEvidence({ plate: '7ABC123', confidence: 0.9, evidence: { framesSeen: 3, perFrame: [{ text: '7ABC123' }, { text: '7ABC123' }, { text: 'ABC12' }] } }) // { agreeing: 2, agreement: 2/3 }
 */
export function summariseEvidence(pass: PassEvidenceInput): EvidenceSummary {
  const key = foldPlateText(pass.plate);
  const kept = pass.evidence.perFrame;
  const same = kept.filter((f) => foldPlateText(f.text) === key).length;
  const seen = Math.max(pass.evidence.framesSeen, kept.length);
  const agreement = kept.length === 0 ? 0 : same / kept.length;
  const agreeing = seen > kept.length ? Math.round(agreement * seen) : same;
  return { agreeing, agreement: seen === 0 ? 0 : agreeing / seen };
}

/**
 * The first rule a pass falls short of, or undefined when it has earned its store.
 * @example evidenceShortfall(pass, { minFrames: 3, minAgreement: 0.5, minConfidence: 0.75 }, format) // 'few_frames'
 */
export function evidenceShortfall(
  pass: PassEvidenceInput,
  rules: EvidenceRules,
  format?: PlateFormatRule,
): EvidenceShortfall | undefined {
  if (format && !format.test(pass.plate)) return 'format';
  const { agreeing, agreement } = summariseEvidence(pass);
  if (agreeing < rules.minFrames) return 'few_frames';
  if (agreement < rules.minAgreement) return 'disagreeing_frames';
  if (pass.confidence < rules.minConfidence) return 'low_confidence';
  if (looksLikeWord(pass.plate) && pass.confidence < (rules.minConfidenceWords ?? rules.minConfidence)) {
    return 'word_low_confidence';
  }
  return undefined;
}
