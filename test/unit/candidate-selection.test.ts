import { describe, expect, it } from 'vitest';
import {
  bestHypothesis,
  isPlateShaped,
  isPromisingRead,
  isSettledRead,
  rankCandidates,
  scoreRead,
  selectPlates,
} from '../../shared/plates/candidate-selection.js';
import { compilePlateFormat, presetFormat } from '../../shared/plates/plate-format.js';
import { confidences, makeCandidate, makeHypothesis, makeRules } from '../support/plate-factories.js';

const rules = makeRules();

describe('isPlateShaped', () => {
  it('accepts number lines and whole small plates', () => {
    expect(isPlateShaped({ x: 0, y: 0, width: 90, height: 30 })).toBe(true); // line, aspect 3
    expect(isPlateShaped({ x: 0, y: 0, width: 48, height: 30 })).toBe(true); // blob, aspect 1.6
  });

  it('rejects tall, very long and tiny boxes', () => {
    expect(isPlateShaped({ x: 0, y: 0, width: 30, height: 30 })).toBe(false);
    expect(isPlateShaped({ x: 0, y: 0, width: 330, height: 30 })).toBe(false);
    expect(isPlateShaped({ x: 0, y: 0, width: 21, height: 7 })).toBe(false);
  });
});

describe('rankCandidates', () => {
  it('drops non-plate shapes and puts confident, taller text first', () => {
    const ranked = rankCandidates(
      [
        { box: { x: 0, y: 0, width: 60, height: 12 }, score: 0.9 },
        { box: { x: 0, y: 0, width: 40, height: 40 }, score: 0.99 },
        { box: { x: 0, y: 0, width: 120, height: 40 }, score: 0.9 },
      ],
      { minAspect: 1.2, maxAspect: 10, minHeightPx: 8 },
    );
    expect(ranked.map((c) => c.box.height)).toEqual([40, 12]);
  });
});

describe('scoreRead', () => {
  it('accepts a confident read in the plate format', () => {
    const scored = scoreRead(makeHypothesis(), rules)!;
    expect(scored.text).toBe('7ABC123');
    expect(scored.confidence).toBeCloseTo(0.95);
    expect(scored.minCharConfidence).toBeCloseTo(0.95);
  });

  it('drops a read whose mean confidence is below minConfidence', () => {
    expect(
      scoreRead(makeHypothesis({ charConfidences: confidences('7ABC123', 0.55) }), rules),
    ).toBeUndefined();
  });

  it('drops a read with one character below minCharConfidence', () => {
    const charConfidences = [0.99, 0.99, 0.99, 0.2, 0.99, 0.99, 0.99];
    expect(scoreRead(makeHypothesis({ charConfidences }), rules)).toBeUndefined();
  });

  it('drops reads outside the plate format', () => {
    expect(scoreRead(makeHypothesis({ text: 'A', charConfidences: [0.99] }), rules)).toBeUndefined();
    expect(
      scoreRead(makeHypothesis({ text: 'ABCDE12345', charConfidences: confidences('ABCDE12345') }), rules),
    ).toBeUndefined();
  });
});

describe('isPromisingRead', () => {
  it('passes a plate-format read at the screening confidence and stops junk', () => {
    expect(
      isPromisingRead(makeHypothesis({ charConfidences: confidences('7ABC123', 0.4) }), rules, 0.3),
    ).toBe(true);
    expect(
      isPromisingRead(makeHypothesis({ charConfidences: confidences('7ABC123', 0.2) }), rules, 0.3),
    ).toBe(false);
    expect(isPromisingRead(makeHypothesis({ text: 'A', charConfidences: [0.9] }), rules, 0.3)).toBe(false);
  });
});

describe('isSettledRead', () => {
  it('settles when every view reads the same text with every character sure', () => {
    const sure = makeHypothesis({ charConfidences: confidences('7ABC123', 0.95) });
    expect(isSettledRead([sure, sure], 0.9)).toBe(true);
  });

  it('does not settle on one view, disagreement or one unsure character', () => {
    const sure = makeHypothesis({ charConfidences: confidences('7ABC123', 0.95) });
    expect(isSettledRead([sure], 0.9)).toBe(false);
    expect(isSettledRead([sure, makeHypothesis({ text: '7A8C123' })], 0.9)).toBe(false);
    const unsure = makeHypothesis({ charConfidences: [0.99, 0.99, 0.5, 0.99, 0.99, 0.99, 0.99] });
    expect(isSettledRead([sure, unsure], 0.9)).toBe(false);
  });
});

describe('bestHypothesis', () => {
  it('prefers the combined read of all crops when it passes the rules', () => {
    const candidate = makeCandidate({
      hypotheses: [
        makeHypothesis({ text: 'DSG719', charConfidences: confidences('DSG719', 0.99) }),
        makeHypothesis({
          text: '0SG719',
          charConfidences: confidences('0SG719', 0.9),
          box: { x: 1, y: 2, width: 3, height: 4 },
        }),
      ],
      combined: makeHypothesis({ text: '0SG719', charConfidences: confidences('0SG719', 0.8) }),
    });
    const best = bestHypothesis(candidate, 0, rules)!;
    expect(best.text).toBe('0SG719');
    expect(best.confidence).toBeCloseTo(0.8);
    // Reported box: the most confident single crop that read the same text.
    expect(best.box).toEqual({ x: 1, y: 2, width: 3, height: 4 });
  });

  it('falls back to the crop most others agree with when the combined read fails', () => {
    const candidate = makeCandidate({
      hypotheses: [
        makeHypothesis({ text: 'ABC123', charConfidences: confidences('ABC123', 0.99) }),
        makeHypothesis({ text: 'ABC128', charConfidences: confidences('ABC128', 0.8) }),
        makeHypothesis({ text: 'ABC128', charConfidences: confidences('ABC128', 0.85) }),
      ],
      combined: makeHypothesis({ text: 'ABC12', charConfidences: confidences('ABC12', 0.4) }),
    });
    expect(bestHypothesis(candidate, 0, rules)).toMatchObject({
      text: 'ABC128',
      agreeing: 2,
      hypothesisIndex: 2,
    });
  });

  it('gives nothing when no crop passes', () => {
    const candidate = makeCandidate({
      hypotheses: [makeHypothesis({ charConfidences: confidences('7ABC123', 0.1) })],
    });
    expect(bestHypothesis(candidate, 0, rules)).toBeUndefined();
  });
});

describe('selectPlates', () => {
  it('keeps one read per plate when two text boxes cover it, the one with the tallest text', () => {
    const stateName = makeCandidate({
      box: { x: 120, y: 205, width: 80, height: 12 },
      hypotheses: [makeHypothesis({ text: 'TEXAS', charConfidences: confidences('TEXAS', 0.99) })],
    });
    const registration = makeCandidate({
      box: { x: 110, y: 220, width: 100, height: 30 },
      hypotheses: [makeHypothesis({ text: 'CYZ5139', charConfidences: confidences('CYZ5139', 0.9) })],
    });
    expect(selectPlates([stateName, registration], rules).map((p) => p.text)).toEqual(['CYZ5139']);
  });

  it('keeps plates of different vehicles, the nearest (tallest text, weighed by confidence) first', () => {
    const far = makeCandidate({
      box: { x: 900, y: 100, width: 60, height: 20 },
      hypotheses: [
        makeHypothesis({
          text: 'FAR123',
          box: { x: 890, y: 90, width: 80, height: 40 },
          charConfidences: confidences('FAR123', 0.97),
        }),
      ],
    });
    const near = makeCandidate({
      hypotheses: [makeHypothesis({ text: 'NEAR123', charConfidences: confidences('NEAR123', 0.9) })],
    });
    expect(selectPlates([far, near], rules).map((p) => p.text)).toEqual(['NEAR123', 'FAR123']);
    // Large text the recognizer is unsure of does not outrank a sure plate.
    const unsureSign = makeCandidate({
      box: { x: 100, y: 500, width: 200, height: 45 },
      hypotheses: [
        makeHypothesis({
          text: 'PR0PERT',
          box: { x: 90, y: 480, width: 260, height: 130 },
          charConfidences: confidences('PR0PERT', 0.62),
        }),
      ],
    });
    expect(selectPlates([unsureSign, near], rules)[0]!.text).toBe('NEAR123');
  });

  it('puts a plate fitting a state layout before slightly taller text that fits none', () => {
    // A bus: its fleet number (219906) is painted a little taller than its plate (5RIN962).
    const fleetNumber = makeCandidate({
      box: { x: 700, y: 100, width: 80, height: 50 },
      hypotheses: [
        makeHypothesis({
          text: '219906',
          box: { x: 690, y: 95, width: 105, height: 53 },
          charConfidences: confidences('219906', 0.99),
        }),
      ],
    });
    const plate = makeCandidate({
      box: { x: 300, y: 100, width: 82, height: 46 },
      hypotheses: [
        makeHypothesis({
          text: '5RIN962',
          box: { x: 290, y: 95, width: 93, height: 47 },
          charConfidences: confidences('5RIN962', 0.99),
        }),
      ],
    });
    expect(selectPlates([fleetNumber, plate], rules).map((p) => p.text)).toEqual(['5RIN962', '219906']);
    // Without layouts (preset none) the taller text comes first, as before.
    const none = makeRules({ format: compilePlateFormat(presetFormat('none')) });
    expect(selectPlates([fleetNumber, plate], none)[0]!.text).toBe('219906');
  });

  it('puts a plate before taller, surer text that reads like a word (a sign behind the car)', () => {
    const sign = makeCandidate({
      box: { x: 1155, y: 632, width: 120, height: 78 },
      hypotheses: [
        makeHypothesis({
          text: 'PR0PERT',
          box: { x: 1138, y: 613, width: 142, height: 78 },
          charConfidences: confidences('PR0PERT', 0.92),
        }),
      ],
    });
    const plate = makeCandidate({
      box: { x: 660, y: 520, width: 82, height: 47 },
      hypotheses: [
        makeHypothesis({
          text: 'GT679A',
          box: { x: 657, y: 519, width: 94, height: 47 },
          charConfidences: confidences('GT679A', 0.99),
        }),
      ],
    });
    expect(selectPlates([sign, plate], rules).map((p) => p.text)).toEqual(['GT679A', 'PR0PERT']);
  });

  it('returns nothing when no box has an acceptable read', () => {
    expect(selectPlates([], rules)).toEqual([]);
    const junk = makeCandidate({
      hypotheses: [makeHypothesis({ text: 'CCC1', charConfidences: confidences('CCC1', 0.2) })],
    });
    expect(selectPlates([junk], rules)).toEqual([]);
  });
});
