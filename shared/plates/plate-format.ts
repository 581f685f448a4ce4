// Plate text rules: how recognizer output is normalised and which strings may be a plate
// (config `recognition.plateFormat`; US default 2-8 characters of A-Z and 0-9).

export interface PlateFormat {
  minLength: number;
  maxLength: number;
  /** Regular expression source the normalised text must match. */
  pattern: string;
}

export const US_PLATE_FORMAT: PlateFormat = { minLength: 2, maxLength: 8, pattern: '^[A-Z0-9]+$' };

/** A compiled format: one RegExp per rule set, not one per read. */
export interface PlateFormatRule {
  readonly format: PlateFormat;
  test(text: string): boolean;
}

/**
 * Compile plate-format rules once.
 * @example compilePlateFormat(US_PLATE_FORMAT).test('7ABC123') // true
 */
export function compilePlateFormat(format: PlateFormat): PlateFormatRule {
  const regex = new RegExp(format.pattern);
  return {
    format,
    test: (text) => text.length >= format.minLength && text.length <= format.maxLength && regex.test(text),
  };
}

/**
 * Normalise recognizer output: upper case, padding and anything that is not a letter or digit removed.
 * @example normalisePlateText('7abc_12-3__') // '7ABC123'
 */
export function normalisePlateText(raw: string): string {
  return raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * Fold the confusions no recognizer can settle from the glyphs alone (O/0, I/1), for comparing reads.
 * @example foldPlateText('OI0L') // '010L'
 */
export function foldPlateText(text: string): string {
  return text.replace(/O/g, '0').replace(/I/g, '1');
}

/** Levenshtein distance between two strings (small: plates are at most a dozen characters). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Similarity of two plate strings, 0..1, after folding O/0 and I/1.
 * @example plateSimilarity('7ABC123', '7A8C123') // 1 - 1/7
 */
export function plateSimilarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - editDistance(foldPlateText(a), foldPlateText(b)) / longest;
}
