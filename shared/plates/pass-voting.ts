// Voting one plate out of the reads of one vehicle pass (pure). First the pass's text: of the texts
// its frames read, the one the frames support most, each frame counting its confidence times its
// similarity to that text (so a frame that dropped or misread one character still supports the plate;
// frames reading a fragment no longer outvote a longer, better read by their number). Then every frame
// is aligned to that text, character by character (edit distance), and each position votes, weighted
// by the recognizer's confidence in that character. A character's voted confidence is the confidence
// the agreeing frames gave it divided by all the pass's frames: a frame that read another character
// there, or none, lowers it; frames that disagree make the pass less certain, never more.
import { plateSimilarity } from './plate-format.js';

export interface FrameRead {
  at: number;
  text: string;
  rawText: string;
  confidence: number;
  charConfidences: number[];
}

export interface VotedRead {
  text: string;
  confidence: number;
  charConfidences: number[];
  /** Index (into the input) of the frame that best represents the vote. */
  bestIndex: number;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * For each character of `target`, the index of the character of `read` aligned with it (Levenshtein,
 * substitutions preferred to a gap), or -1 where `read` has none.
 * @example alignTo('JK7551', 'AJK7551') // [-1, 0, 1, 2, 3, 4, 5]
 */
export function alignTo(read: string, target: string): number[] {
  const n = read.length;
  const m = target.length;
  const d = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: m + 1 }, (_, j) => i + j));
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const diag = d[i - 1]![j - 1]! + (read[i - 1] === target[j - 1] ? 0 : 1);
      d[i]![j] = Math.min(diag, d[i - 1]![j]! + 1, d[i]![j - 1]! + 1);
    }
  }
  const out = new Array<number>(m).fill(-1);
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const diag = d[i - 1]![j - 1]! + (read[i - 1] === target[j - 1] ? 0 : 1);
    if (d[i]![j] === diag) {
      out[--j] = --i;
    } else if (d[i]![j] === d[i - 1]![j]! + 1) {
      i--; // a character the target does not have
    } else {
      j--; // a character the read dropped
    }
  }
  return out;
}

/**
 * The text a pass's frames support most: each frame adds confidence x similarity (O/0, I/1 folded).
 * Ties go to the longer text (a dropped character is likelier than an invented one).
 */
function supportedText(reads: FrameRead[]): string {
  const texts = [...new Set(reads.map((r) => r.text))];
  let best = texts[0]!;
  let bestSupport = Number.NEGATIVE_INFINITY;
  for (const t of texts) {
    const support = sum(reads.map((r) => r.confidence * plateSimilarity(r.text, t)));
    const better =
      support > bestSupport + 1e-9 ||
      (Math.abs(support - bestSupport) <= 1e-9 &&
        (t.length > best.length || (t.length === best.length && t < best)));
    if (better) {
      best = t;
      bestSupport = support;
    }
  }
  return best;
}

/**
 * Vote the plate text of a pass from its per-frame reads (at least one).
 * @example votePlate([{ text: 'ABC123', ... }, { text: 'A8C123', ... }, { text: 'ABC123', ... }]).text // 'ABC123'
 */
export function votePlate(reads: FrameRead[]): VotedRead {
  if (reads.length === 0) throw new RangeError('votePlate needs at least one read');
  const target = supportedText(reads);
  const tallies = Array.from({ length: target.length }, () => new Map<string, number>());
  for (const r of reads) {
    alignTo(r.text, target).forEach((k, pos) => {
      if (k < 0) return;
      const ch = r.text[k]!;
      tallies[pos]!.set(ch, (tallies[pos]!.get(ch) ?? 0) + (r.charConfidences[k] ?? 0));
    });
  }
  let text = '';
  const charConfidences: number[] = [];
  tallies.forEach((tally, pos) => {
    const ranked = [...tally.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const [ch, weight] = ranked[0] ?? [target[pos]!, 0];
    text += ch;
    charConfidences.push(weight / reads.length);
  });
  const confidence = charConfidences.length > 0 ? sum(charConfidences) / charConfidences.length : 0;

  // The representative frame: the most confident exact match, else the most confident of that length.
  const rank = (r: FrameRead) =>
    (r.text === text ? 4 : 0) + (r.text.length === text.length ? 2 : 0) + r.confidence;
  let bestIndex = 0;
  reads.forEach((r, i) => {
    if (rank(r) > rank(reads[bestIndex]!)) bestIndex = i;
  });
  return { text, confidence, charConfidences, bestIndex };
}
