// Plate-format presets (pure): which strings may be a plate in a region, and how the glyph pairs no
// recognizer can tell apart (O/0, I/1) are settled. A layout is a string of L (letter), D (digit) and
// X (either); a read that fits a layout once its ambiguous characters are swapped takes the layout's
// reading. US: the digit zero is issued far more often than the letter O (many states never issue O)
// and the two are the same glyph on most plates, so O is always read as 0; I and 1 differ more, and
// follow the state layout where one fits (California 1ABC234: letters in positions 2-4), else the read.

export const PLATE_PRESETS = ['us', 'eu', 'br', 'none'] as const;
export type PlatePreset = (typeof PLATE_PRESETS)[number];

export interface PlateLayout {
  /** L letter, D digit, X either. */
  pattern: string;
  /** How strongly a fit to this layout settles an ambiguous character (see resolveAmbiguous). */
  weight: number;
}

export interface PresetRules {
  minLength: number;
  maxLength: number;
  pattern: string;
  layouts: readonly PlateLayout[];
  /** Cost of reading the letter O / I where the digit could stand (log-odds-like units). */
  letterCost: { O: number; I: number };
  /** Words printed on the region's plates around the number (state names): never a plate. */
  neverPlates?: ReadonlySet<string>;
}

/** US state names as printed on plates, those a plate's length could hold. */
const US_STATE_WORDS = [
  'ALABAMA',
  'ALASKA',
  'ARIZONA',
  'ARKANSAS',
  'COLORADO',
  'DELAWARE',
  'FLORIDA',
  'GEORGIA',
  'HAWAII',
  'IDAHO',
  'ILLINOIS',
  'INDIANA',
  'IOWA',
  'KANSAS',
  'KENTUCKY',
  'LOUISIANA',
  'MAINE',
  'MARYLAND',
  'MICHIGAN',
  'MISSOURI',
  'MONTANA',
  'NEBRASKA',
  'NEVADA',
  'OHIO',
  'OKLAHOMA',
  'OREGON',
  'TEXAS',
  'UTAH',
  'VERMONT',
  'VIRGINIA',
  'WYOMING',
  'WISCONSIN',
  'DAKOTA',
  'CAROLINA',
  'JERSEY',
  'MEXICO',
  'YORK',
  'HAMPSHIRE',
  'ISLAND',
  'WASHINGTON',
  'CALIFORNIA',
  'MINNESOTA',
  'TENNESSEE',
  'MISSISSIPPI',
  'CONNECTICUT',
  'MASSACHUSETTS',
  'PENNSYLVANIA',
];

/**
 * US: 5-8 characters (standard issue is 5-7 in every state; shorter vanity plates need a custom
 * minLength). Seven-character layouts are unambiguous (California 1ABC234, ABC1234 of many states) and
 * weigh more than six-character ones, which overlap each other. The letter O costs more than any
 * layout earns: it is never produced.
 */
const US: PresetRules = {
  minLength: 5,
  maxLength: 8,
  pattern: '^[A-Z0-9]+$',
  layouts: [
    { pattern: 'DLLLDDD', weight: 2 },
    { pattern: 'LLLDDDD', weight: 2 },
    { pattern: 'DDDLLL', weight: 1 },
    { pattern: 'LLLDDD', weight: 1 },
    { pattern: 'DDDLLLL', weight: 1 },
  ],
  letterCost: { O: 2.5, I: 0 },
  neverPlates: new Set(US_STATE_WORDS),
};

/** EU: national formats differ too much for layouts; most national fonts tell O from 0. */
/**
 * The longest plate any preset stores: the hub's wire contract and its reads table hold at most 10
 * characters, so an edge never stores a read the hub would refuse.
 */
export const MAX_PLATE_LENGTH = 10;

const EU: PresetRules = {
  minLength: 3,
  maxLength: 10,
  pattern: '^[A-Z0-9]+$',
  layouts: [],
  letterCost: { O: 0, I: 0 },
};

/** Brazil: old LLL9999 and Mercosul LLL9L99, always seven characters. */
const BR: PresetRules = {
  minLength: 7,
  maxLength: 7,
  pattern: '^[A-Z]{3}[0-9][A-Z0-9][0-9]{2}$',
  layouts: [
    { pattern: 'LLLDDDD', weight: 2 },
    { pattern: 'LLLDLDD', weight: 2 },
  ],
  letterCost: { O: 0, I: 0 },
};

const NONE: PresetRules = {
  minLength: 1,
  maxLength: MAX_PLATE_LENGTH,
  pattern: '^[A-Z0-9]+$',
  layouts: [],
  letterCost: { O: 0, I: 0 },
};

export const PRESET_RULES: Record<PlatePreset, PresetRules> = { us: US, eu: EU, br: BR, none: NONE };

const SWAP: Record<string, string> = { O: '0', '0': 'O', I: '1', '1': 'I' };
const isLetter = (c: string) => c >= 'A' && c <= 'Z';
const isDigit = (c: string) => c >= '0' && c <= '9';

/** Whether `text` fits `layout` exactly. */
export function fitsLayout(text: string, layout: string): boolean {
  if (text.length !== layout.length) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const slot = layout[i]!;
    if ((slot === 'L' && !isLetter(c)) || (slot === 'D' && !isDigit(c))) return false;
  }
  return true;
}

/**
 * Settle O/0 and I/1 in a normalised read: among every way of swapping its ambiguous characters, the
 * one with the best score, where fitting a layout earns the layout's weight and each letter O or I
 * costs `letterCost`. Ties keep the characters as read. Other characters are never changed.
 * @example resolveAmbiguous('7C1D930', 'us') // '7CID930' (California: letters in positions 2-4)
 * @example resolveAmbiguous('UH1FOF', 'us') // 'UH1F0F' (no layout needs the letter O)
 */
export function resolveAmbiguous(text: string, preset: PlatePreset): string {
  const rules = PRESET_RULES[preset];
  const positions: number[] = [];
  for (let i = 0; i < text.length; i++) if (SWAP[text[i]!]) positions.push(i);
  if (positions.length === 0 || positions.length > 8) return text;
  if (rules.layouts.length === 0 && rules.letterCost.O === 0 && rules.letterCost.I === 0) return text;
  const score = (candidate: string) => {
    let s = 0;
    for (const layout of rules.layouts) {
      if (fitsLayout(candidate, layout.pattern)) s = Math.max(s, layout.weight);
    }
    for (const c of candidate) {
      if (c === 'O') s -= rules.letterCost.O;
      else if (c === 'I') s -= rules.letterCost.I;
    }
    return s;
  };
  let best = text;
  let bestScore = score(text);
  for (let mask = 1; mask < 1 << positions.length; mask++) {
    const chars = [...text];
    positions.forEach((p, bit) => {
      if (mask & (1 << bit)) chars[p] = SWAP[chars[p]!]!;
    });
    const candidate = chars.join('');
    const s = score(candidate);
    if (s > bestScore) {
      best = candidate;
      bestScore = s;
    }
  }
  return best;
}
