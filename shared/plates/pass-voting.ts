// Voting one plate out of the reads of one vehicle pass (pure). Frames vote per character position,
// weighted by the recognizer's confidence in that character, among the reads of the best-supported
// length. A character's voted confidence is the mean confidence the frames of that length gave it
// (frames that read another character count as 0), times the share of frames agreeing on the length:
// frames that disagree make the pass less certain, never more.

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
 * Vote the plate text of a pass from its per-frame reads (at least one).
 * @example votePlate([{ text: 'ABC123', ... }, { text: 'A8C123', ... }, { text: 'ABC123', ... }]).text // 'ABC123'
 */
export function votePlate(reads: FrameRead[]): VotedRead {
  if (reads.length === 0) throw new RangeError('votePlate needs at least one read');
  const byLength = new Map<number, number>();
  for (const r of reads) byLength.set(r.text.length, (byLength.get(r.text.length) ?? 0) + r.confidence);
  const totalWeight = sum([...byLength.values()]);
  // Longest support wins; on a tie the longer text (a dropped character is likelier than an invented one).
  const [length, lengthWeight] = [...byLength.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]!;
  const lengthShare = totalWeight > 0 ? lengthWeight / totalWeight : 0;
  const sameLength = reads.filter((r) => r.text.length === length);

  let text = '';
  const charConfidences: number[] = [];
  for (let i = 0; i < length; i++) {
    const tally = new Map<string, number>();
    for (const r of sameLength) {
      const ch = r.text[i]!;
      tally.set(ch, (tally.get(ch) ?? 0) + (r.charConfidences[i] ?? 0));
    }
    const [ch, weight] = [...tally.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
    text += ch;
    charConfidences.push((weight / sameLength.length) * lengthShare);
  }
  const confidence = charConfidences.length > 0 ? sum(charConfidences) / charConfidences.length : 0;

  // The representative frame: the most confident exact match, else the most confident of that length.
  const rank = (r: FrameRead) =>
    (r.text === text ? 4 : 0) + (r.text.length === length ? 2 : 0) + r.confidence;
  let bestIndex = 0;
  reads.forEach((r, i) => {
    if (rank(r) > rank(reads[bestIndex]!)) bestIndex = i;
  });
  return { text, confidence, charConfidences, bestIndex };
}
