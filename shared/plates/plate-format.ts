// Plate text rules: how recognizer output is normalised, how a preset settles O/0 and I/1, and which
// strings may be a plate (config `recognition.plateFormat`; default preset `us`: 5-8 of A-Z and 0-9).
import { layoutWeight, type PlatePreset, PRESET_RULES, resolveAmbiguous } from './plate-presets.js';

export interface PlateFormat {
  /** Regional rules: lengths, pattern and the O/0, I/1 layouts (none: no resolution). */
  preset: PlatePreset;
  minLength: number;
  maxLength: number;
  /** Regular expression source the normalised text must match. */
  pattern: string;
}

/** A preset's format, with any of its fields overridden (config: fields left out take the preset's). */
export function presetFormat(
  preset: PlatePreset,
  overrides: Partial<Omit<PlateFormat, 'preset'>> = {},
): PlateFormat {
  const rules = PRESET_RULES[preset];
  return {
    preset,
    minLength: overrides.minLength ?? rules.minLength,
    maxLength: overrides.maxLength ?? rules.maxLength,
    pattern: overrides.pattern ?? rules.pattern,
  };
}

export const US_PLATE_FORMAT: PlateFormat = presetFormat('us');

/** A compiled format: one RegExp per rule set, not one per read. */
export interface PlateFormatRule {
  readonly format: PlateFormat;
  test(text: string): boolean;
  /**
   * The plate a recognizer read stands for: normalised (upper case, A-Z 0-9 only), then O/0 and I/1
   * settled by the preset. Never changes the length, so per-character confidences still line up.
   */
  normalise(raw: string): string;
  /** Weight of the preset layout a normalised plate fits (0: none; see plate-presets layoutWeight). */
  layoutWeight?(text: string): number;
}

/**
 * Compile plate-format rules once.
 * @example compilePlateFormat(US_PLATE_FORMAT).test('7ABC123') // true
 * @example compilePlateFormat(US_PLATE_FORMAT).normalise('7c1d930') // '7CID930'
 */
export function compilePlateFormat(format: PlateFormat): PlateFormatRule {
  const regex = new RegExp(format.pattern);
  const never = PRESET_RULES[format.preset].neverPlates;
  return {
    format,
    test: (text) =>
      text.length >= format.minLength &&
      text.length <= format.maxLength &&
      regex.test(text) &&
      !never?.has(text),
    normalise: (raw) => resolveAmbiguous(normalisePlateText(raw), format.preset),
    layoutWeight: (text) => layoutWeight(text, format.preset),
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
 * Whether a plate-format read looks like a word rather than a registration: at least four letters and
 * no digit but 0 and 1 (which the recognizer also gives for O and I). Signs and lettering on vehicles
 * (PROPERTY, NORTHERN, NOTICE, CARPET) read like this; standard-issue plates mix letters and digits,
 * and a vanity plate of letters only is the exception.
 * @example looksLikeWord('N0RTHERN') // true
 * @example looksLikeWord('10DTM') // false (three letters)
 * @example looksLikeWord('HK0E7C') // false
 */
export function looksLikeWord(text: string): boolean {
  const letters = text.replace(/[^A-Z]/g, '').length;
  return letters >= 4 && !/[2-9]/.test(text);
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
