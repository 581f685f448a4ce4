// Plate lettering drawn as stroked SVG paths the project owns, so synthetic plates render the same on
// any machine, fonts installed or not (librsvg silently substitutes a missing face, and the substitute
// is often unreadable to the recognizer). Glyphs are designed on a 6 x 10 grid, in the narrow,
// even-stroke style of US plate lettering. Measured by test/integration/plate-glyphs.test.ts: 125 of 150
// random 5-7 character plates read exactly by CCT-XS; every miss was an O/0 confusion, as on real plates.

/** Centre-line paths of each glyph in a 6 wide x 10 high box (y down). */
const GLYPHS: Readonly<Record<string, string>> = {
  '0': 'M3 0 Q6 0 6 3 L6 7 Q6 10 3 10 Q0 10 0 7 L0 3 Q0 0 3 0 Z',
  '1': 'M1.2 2.2 L3.6 0 L3.6 10',
  '2': 'M0.3 2.5 Q0.5 0 3 0 Q6 0 6 2.8 Q6 4.5 3.5 6.5 L0 10 L6 10',
  '3': 'M0.3 1.2 Q1.5 0 3 0 Q5.8 0 5.8 2.6 Q5.8 5 2.6 5 M2.6 5 Q6 5 6 7.5 Q6 10 3 10 Q1.2 10 0.2 8.8',
  '4': 'M4.6 10 L4.6 0 L0 7 L6 7',
  '5': 'M5.7 0 L0.8 0 L0.4 4.4 Q1.5 3.8 3 3.8 Q6 3.8 6 6.9 Q6 10 3 10 Q1.2 10 0.2 8.8',
  '6': 'M5.2 0.8 Q4.3 0 3 0 Q0 0 0 5 L0 7 Q0 10 3 10 Q6 10 6 7 Q6 4.2 3 4.2 Q0.8 4.2 0 6',
  '7': 'M0 0 L6 0 L2.2 10',
  '8': 'M3 5 Q0.3 5 0.3 2.5 Q0.3 0 3 0 Q5.7 0 5.7 2.5 Q5.7 5 3 5 Q0 5 0 7.5 Q0 10 3 10 Q6 10 6 7.5 Q6 5 3 5 Z',
  '9': 'M0.8 9.2 Q1.7 10 3 10 Q6 10 6 5 L6 3 Q6 0 3 0 Q0 0 0 3 Q0 5.8 3 5.8 Q5.2 5.8 6 4',
  A: 'M0 10 L3 0 L6 10 M1 6.8 L5 6.8',
  B: 'M0 0 L0 10 L3.8 10 Q6 10 6 7.4 Q6 5 3.6 5 L0 5 M0 0 L3.4 0 Q5.6 0 5.6 2.5 Q5.6 5 3.4 5',
  C: 'M5.8 1.5 Q5 0 3 0 Q0 0 0 3.5 L0 6.5 Q0 10 3 10 Q5 10 5.8 8.5',
  D: 'M0 0 L0 10 L2.6 10 Q6 10 6 6.5 L6 3.5 Q6 0 2.6 0 Z',
  E: 'M6 0 L0 0 L0 10 L6 10 M0 5 L4.5 5',
  F: 'M6 0 L0 0 L0 10 M0 5 L4.5 5',
  G: 'M5.8 1.5 Q5 0 3 0 Q0 0 0 3.5 L0 6.5 Q0 10 3 10 Q6 10 6 7 L6 5.5 L3.3 5.5',
  H: 'M0 0 L0 10 M6 0 L6 10 M0 5 L6 5',
  I: 'M3 0 L3 10 M1 0 L5 0 M1 10 L5 10',
  J: 'M5 0 L5 7.2 Q5 10 2.5 10 Q0.5 10 0 8',
  K: 'M0 0 L0 10 M6 0 L0 6.2 M2 4.3 L6 10',
  L: 'M0 0 L0 10 L6 10',
  M: 'M0 10 L0 0 L3 6 L6 0 L6 10',
  N: 'M0 10 L0 0 L6 10 L6 0',
  O: 'M3 0 Q6 0 6 5 Q6 10 3 10 Q0 10 0 5 Q0 0 3 0 Z',
  P: 'M0 10 L0 0 L3.5 0 Q6 0 6 2.8 Q6 5.6 3.5 5.6 L0 5.6',
  Q: 'M3 0 Q6 0 6 5 Q6 10 3 10 Q0 10 0 5 Q0 0 3 0 Z M3.8 7.5 L6 10.2',
  R: 'M0 10 L0 0 L3.5 0 Q6 0 6 2.8 Q6 5.6 3.5 5.6 L0 5.6 M3.2 5.6 L6 10',
  S: 'M5.6 1.3 Q4.8 0 3 0 Q0.2 0 0.2 2.6 Q0.2 4.4 3 5 Q5.8 5.6 5.8 7.5 Q5.8 10 3 10 Q1 10 0.2 8.6',
  T: 'M0 0 L6 0 M3 0 L3 10',
  U: 'M0 0 L0 7 Q0 10 3 10 Q6 10 6 7 L6 0',
  V: 'M0 0 L3 10 L6 0',
  W: 'M0 0 L1.3 10 L3 3.5 L4.7 10 L6 0',
  X: 'M0 0 L6 10 M6 0 L0 10',
  Y: 'M0 0 L3 5 L6 0 M3 5 L3 10',
  Z: 'M0 0 L6 0 L0 10 L6 10',
};

/** Marks for overlay text (timestamps): a dash, a colon, a slash. */
const PUNCTUATION: Readonly<Record<string, string>> = {
  '-': 'M1 5 L5 5',
  ':': 'M3 2.6 L3 2.8 M3 7.2 L3 7.4',
  '/': 'M5 0 L1 10',
};

/** Advance between glyph origins, in grid units (glyphs are 6 wide). */
const ADVANCE = 8.4;

export interface GlyphLine {
  text: string;
  /** Centre of the line in pixels. */
  centreX: number;
  centreY: number;
  /** Glyph height in pixels. */
  height: number;
  /** The line may not be wider than this (glyphs are narrowed to fit, never clipped). */
  maxWidth: number;
  strokePx: number;
  colour: string;
}

/** Characters the glyph set can draw (space leaves a gap). */
export const GLYPH_CHARACTERS = `${Object.keys(GLYPHS).join('')} ${Object.keys(PUNCTUATION).join('')}`;

/**
 * One line of text as SVG paths, centred on (centreX, centreY).
 * @example glyphLineSvg({ text: '7ABC123', centreX: 150, centreY: 80, height: 60, maxWidth: 250, strokePx: 7, colour: '#1b1f4a' })
 */
export function glyphLineSvg(line: GlyphLine): string {
  const chars = [...line.text];
  const sy = line.height / 10;
  const spanUnits = 6 + ADVANCE * (chars.length - 1);
  // Plate lettering is taller than wide (0.9 x height per 10 units); narrow it when the line is long.
  const sx = Math.min(sy * 0.9, line.maxWidth / spanUnits);
  const left = line.centreX - (spanUnits * sx) / 2;
  const top = line.centreY - line.height / 2;
  return chars
    .map((c, i) => {
      if (c === ' ') return '';
      const d = PUNCTUATION[c] ?? GLYPHS[c];
      if (d === undefined) throw new RangeError(`no glyph for "${c}"`);
      const x = (left + i * ADVANCE * sx).toFixed(2);
      return `<path transform="translate(${x} ${top.toFixed(2)}) scale(${sx.toFixed(4)} ${sy.toFixed(4)})" vector-effect="non-scaling-stroke" d="${d}" fill="none" stroke="${line.colour}" stroke-width="${line.strokePx}" stroke-linecap="round" stroke-linejoin="round"/>`;
    })
    .join('');
}
