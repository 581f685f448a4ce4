// Fixture factories for plate reads: a plausible value by default, overrides for what a test is about.

import type {
  CandidateReads,
  HypothesisRead,
  SelectionRules,
} from '../../shared/plates/candidate-selection.js';
import type { ObservedPlate, PassTrackerSettings } from '../../shared/plates/pass-tracker.js';
import type { FrameRead } from '../../shared/plates/pass-voting.js';
import { compilePlateFormat, US_PLATE_FORMAT } from '../../shared/plates/plate-format.js';

export const confidences = (text: string, c = 0.95) => Array.from(text, () => c);

export function makeHypothesis(overrides: Partial<HypothesisRead> = {}): HypothesisRead {
  const text = overrides.text ?? '7ABC123';
  return {
    box: { x: 100, y: 200, width: 120, height: 60 },
    text,
    rawText: text.padEnd(9, '_'),
    charConfidences: confidences(text),
    ...overrides,
  };
}

export function makeCandidate(overrides: Partial<CandidateReads> = {}): CandidateReads {
  return {
    box: { x: 110, y: 215, width: 100, height: 30 },
    hypotheses: [makeHypothesis()],
    ...overrides,
  };
}

export function makeRules(overrides: Partial<SelectionRules> = {}): SelectionRules {
  return {
    format: compilePlateFormat(US_PLATE_FORMAT),
    minConfidence: 0.6,
    minCharConfidence: 0.3,
    overlap: 0.5,
    ...overrides,
  };
}

export function makeObservation(overrides: Partial<ObservedPlate> = {}): ObservedPlate {
  const text = overrides.text ?? '7ABC123';
  const charConfidences = overrides.charConfidences ?? confidences(text);
  return {
    text,
    rawText: text.padEnd(9, '_'),
    confidence: charConfidences.reduce((a, b) => a + b, 0) / charConfidences.length,
    charConfidences,
    box: { x: 500, y: 400, width: 120, height: 60 },
    ...overrides,
  };
}

export function makeFrameRead(overrides: Partial<FrameRead> = {}): FrameRead {
  const text = overrides.text ?? '7ABC123';
  const charConfidences = overrides.charConfidences ?? confidences(text);
  return {
    at: 0,
    text,
    rawText: text,
    confidence: charConfidences.reduce((a, b) => a + b, 0) / charConfidences.length,
    charConfidences,
    ...overrides,
  };
}

export function makeTrackerSettings(overrides: Partial<PassTrackerSettings> = {}): PassTrackerSettings {
  return {
    windowMs: 3000,
    maxPassMs: 60_000,
    minSimilarity: 0.5,
    strongSimilarity: 0.8,
    minConfidence: 0.6,
    minCharConfidence: 0.3,
    format: compilePlateFormat(US_PLATE_FORMAT),
    maxEvidence: 50,
    ...overrides,
  };
}
