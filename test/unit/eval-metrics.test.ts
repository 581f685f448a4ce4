import { describe, expect, it } from 'vitest';
import { type ImageOutcome, quantile, summarise } from '../../tools/evaluation/eval-metrics.js';
import { missKind, renderEvalReport } from '../../tools/evaluation/eval-report.js';
import { DatasetError, parseLabelLine } from '../../tools/evaluation/openalpr-dataset.js';

const plateBox = { x: 100, y: 100, width: 100, height: 50 };

function outcome(overrides: Partial<ImageOutcome> = {}): ImageOutcome {
  return {
    name: 'car.jpg',
    expected: 'ABC123',
    expectedBox: plateBox,
    got: { text: 'ABC123', confidence: 0.95, box: { x: 95, y: 98, width: 110, height: 55 } },
    candidateCovered: true,
    latencyMs: 100,
    ...overrides,
  };
}

describe('quantile', () => {
  it('interpolates between ranks', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8);
    expect(quantile([], 0.5)).toBe(0);
  });
});

describe('summarise', () => {
  it('counts exact, O/0-I/1 folded and found as fractions', () => {
    const s = summarise([
      outcome(),
      outcome({ expected: '0SG719', got: { text: 'OSG719', confidence: 0.9, box: plateBox } }),
      outcome({ got: { text: 'TEXAS', confidence: 0.9, box: { x: 600, y: 100, width: 50, height: 20 } } }),
      outcome({ got: undefined, candidateCovered: false, latencyMs: 300 }),
    ]);
    expect(s).toMatchObject({
      n: 4,
      exact: 0.25,
      folded: 0.5,
      found: 0.5,
      candidateRecall: 0.75,
      answered: 0.75,
    });
    expect(s.latencyMs).toMatchObject({ mean: 150, median: 100, max: 300 });
  });
});

describe('missKind', () => {
  it('names why an image was missed', () => {
    expect(missKind(outcome({ got: undefined, candidateCovered: false }))).toBe('plate not localised');
    expect(missKind(outcome({ got: undefined }))).toBe('no read passed the rules');
    expect(missKind(outcome({ expected: 'AB1C', got: { text: 'ABIC', confidence: 1, box: plateBox } }))).toBe(
      'O/0 or I/1 only',
    );
    expect(missKind(outcome({ got: { text: 'ABC128', confidence: 1, box: plateBox } }))).toBe('misread');
    expect(
      missKind(outcome({ got: { text: 'TEXAS', confidence: 1, box: { x: 0, y: 0, width: 9, height: 9 } } })),
    ).toBe('other text chosen');
  });
});

describe('renderEvalReport', () => {
  it('lists every miss with expected, got and confidence', () => {
    const outcomes = [
      outcome(),
      outcome({ name: 'b.jpg', got: { text: 'ABC128', confidence: 0.812, box: plateBox } }),
    ];
    const report = renderEvalReport(summarise(outcomes), outcomes, {
      dataset: 'set',
      generatedAt: '2026-03-01T12:00:00Z',
      settings: { threads: 2 },
    });
    expect(report).toContain('| b.jpg | ABC123 | ABC128 | 0.812 | misread |');
    expect(report).toContain('## Misses (1)');
    expect(report).toContain('| threads | 2 |');
    expect(report).not.toContain('| car.jpg |');
  });
});

describe('parseLabelLine', () => {
  it('reads the openalpr endtoend format', () => {
    expect(parseLabelLine('car.jpg\t935\t362\t99\t49\tyg9x2g', 'car.txt')).toEqual({
      image: 'car.jpg',
      box: { x: 935, y: 362, width: 99, height: 49 },
      plate: 'YG9X2G',
    });
  });

  it('names the file on a malformed line', () => {
    expect(() => parseLabelLine('car.jpg 1 2 3', 'labels/car.txt')).toThrow(DatasetError);
    expect(() => parseLabelLine('car.jpg\t1\t2\tx\t4\tABC', 'labels/car.txt')).toThrow(/labels\/car\.txt/);
  });
});
