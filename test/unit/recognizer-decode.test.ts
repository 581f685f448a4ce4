import { describe, expect, it } from 'vitest';
import {
  averageProbabilities,
  CCT_ALPHABET,
  decodeBatch,
  decodeSlots,
} from '../../edge/recognition/recognizer-decode.js';

const SLOTS = 9;

/** A canned [n, 9, 37] output: per slot the winning symbol gets `p`, the rest share what is left. */
function cannedOutput(plates: Array<{ text: string; p?: number[] }>): Float32Array {
  const size = CCT_ALPHABET.length;
  const out = new Float32Array(plates.length * SLOTS * size);
  plates.forEach(({ text, p = [] }, n) => {
    const padded = text.padEnd(SLOTS, '_');
    for (let s = 0; s < SLOTS; s++) {
      const winner = CCT_ALPHABET.indexOf(padded[s]!);
      const pw = p[s] ?? 0.97;
      for (let k = 0; k < size; k++)
        out[(n * SLOTS + s) * size + k] = k === winner ? pw : (1 - pw) / (size - 1);
    }
  });
  return out;
}

describe('decodeSlots', () => {
  it('takes the argmax per slot and drops the padding symbol', () => {
    const read = decodeSlots(cannedOutput([{ text: '7ABC123' }]), 0, SLOTS, CCT_ALPHABET);
    expect(read.text).toBe('7ABC123');
    expect(read.rawText).toBe('7ABC123__');
    expect(read.charConfidences).toHaveLength(7);
    expect(read.padConfidences).toHaveLength(2);
  });

  it('reports each character probability as its confidence', () => {
    const read = decodeSlots(
      cannedOutput([{ text: 'AB12', p: [0.9, 0.5, 0.8, 0.7, 0.99] }]),
      0,
      SLOTS,
      CCT_ALPHABET,
    );
    expect(read.charConfidences.map((c) => Number(c.toFixed(2)))).toEqual([0.9, 0.5, 0.8, 0.7]);
    expect(read.padConfidences[0]).toBeCloseTo(0.99);
  });
});

describe('decodeBatch', () => {
  it('decodes every crop of a batch in order', () => {
    const reads = decodeBatch(cannedOutput([{ text: 'ABC123' }, { text: 'XY9' }]), 2, SLOTS, CCT_ALPHABET);
    expect(reads.map((r) => r.text)).toEqual(['ABC123', 'XY9']);
  });

  it('refuses an output shorter than the batch', () => {
    expect(() => decodeBatch(new Float32Array(10), 1, SLOTS, CCT_ALPHABET)).toThrow(RangeError);
  });
});

describe('averageProbabilities', () => {
  it('lets the views that are surer of a character outvote a less sure one', () => {
    const size = CCT_ALPHABET.length;
    const a = cannedOutput([{ text: '0SG719', p: [0.9] }]);
    const b = cannedOutput([{ text: 'OSG719', p: [0.6] }]);
    const mean = averageProbabilities([a, b]);
    expect(mean[CCT_ALPHABET.indexOf('0')]).toBeCloseTo((0.9 + 0.4 / (size - 1)) / 2);
    expect(decodeSlots(mean, 0, SLOTS, CCT_ALPHABET).text).toBe('0SG719');
  });

  it('refuses views of different sizes and an empty list', () => {
    expect(() => averageProbabilities([new Float32Array(3), new Float32Array(4)])).toThrow(RangeError);
    expect(() => averageProbabilities([])).toThrow(RangeError);
  });
});
