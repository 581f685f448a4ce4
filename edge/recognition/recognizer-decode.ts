// Decodes CCT-XS output (pure): per slot a softmax over the alphabet; argmax is the character,
// its probability the character's confidence; the padding symbol ends the plate.

export const CCT_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_';
export const CCT_PAD = '_';

export interface SlotRead {
  /** Every slot's argmax, padding included (e.g. '7ABC123__'). */
  rawText: string;
  /** Characters without padding (e.g. '7ABC123'). */
  text: string;
  /** One confidence per character of `text`. */
  charConfidences: number[];
  /** Confidence of each padding slot: how sure the model is that the plate has ended. */
  padConfidences: number[];
}

/**
 * Decode one crop's `[slots, alphabet.length]` probabilities starting at `offset` in `probs`.
 * @example decodeSlots(probs, 0, 9, CCT_ALPHABET).text // '7ABC123'
 */
export function decodeSlots(
  probs: ArrayLike<number>,
  offset: number,
  slots: number,
  alphabet: string,
): SlotRead {
  const size = alphabet.length;
  let rawText = '';
  let text = '';
  const charConfidences: number[] = [];
  const padConfidences: number[] = [];
  for (let s = 0; s < slots; s++) {
    const base = offset + s * size;
    let best = 0;
    let bestP = probs[base]!;
    for (let k = 1; k < size; k++) {
      const p = probs[base + k]!;
      if (p > bestP) {
        bestP = p;
        best = k;
      }
    }
    const ch = alphabet[best]!;
    rawText += ch;
    if (ch === CCT_PAD) padConfidences.push(bestP);
    else {
      text += ch;
      charConfidences.push(bestP);
    }
  }
  return { rawText, text, charConfidences, padConfidences };
}

/** Decode a whole `[n, slots, alphabet]` output. */
export function decodeBatch(
  probs: ArrayLike<number>,
  n: number,
  slots: number,
  alphabet: string,
): SlotRead[] {
  const stride = slots * alphabet.length;
  if (probs.length < n * stride) {
    throw new RangeError(`recognizer output has ${probs.length} values, expected ${n * stride}`);
  }
  return Array.from({ length: n }, (_, i) => decodeSlots(probs, i * stride, slots, alphabet));
}

/**
 * Average several reads' slot probabilities element-wise (test-time augmentation: the same plate
 * cropped several ways). Every input must have the same length.
 * @example decodeSlots(averageProbabilities([a, b]), 0, 9, CCT_ALPHABET)
 */
export function averageProbabilities(reads: ArrayLike<number>[]): Float32Array {
  const first = reads[0];
  if (!first) throw new RangeError('nothing to average');
  const out = new Float32Array(first.length);
  for (const r of reads) {
    if (r.length !== out.length) throw new RangeError(`cannot average ${r.length} and ${out.length} values`);
    for (let i = 0; i < out.length; i++) out[i]! += r[i]!;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= reads.length;
  return out;
}
