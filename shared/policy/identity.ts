// Who a person is, as the hold rules compare them: one pure normalisation of a typed user name (trim,
// NFKC, case fold, whitespace collapsed; invisible characters and mixed-script names refused) and a
// look-alike skeleton, so "det.a", "Det.A ", "det.a\u200b" and a Cyrillic "dеt.a" are one person, not two.
// Small and self-contained on purpose; the store's triggers mirror the parts SQLite can check.

export type IdentityCheck = { ok: true; value: string } | { ok: false; message: string };

/** Longest identity accepted (after normalisation), in code points. */
export const IDENTITY_MAX_LENGTH = 128;

// Characters that render as nothing (or change how neighbours render) and so let two different strings
// look the same: format characters (zero-width space and joiners, bidi controls, BOM, soft hyphen, tags),
// default-ignorable code points (variation selectors, Hangul fillers), controls, private use, surrogates,
// unassigned code points.
const INVISIBLE = /[\p{Cf}\p{Cc}\p{Co}\p{Cs}\p{Cn}\p{Default_Ignorable_Code_Point}]/u;
// Not \s: JavaScript counts the byte-order mark as white space; Unicode does not (it is invisible).
const WHITESPACE_RUN = /\p{White_Space}+/gu;

// Scripts told apart when checking for a mixed-script name; Common (digits, punctuation) and Inherited
// (combining marks) belong to every script. A script not listed counts as "Other".
const SCRIPTS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Georgian',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Khmer',
  'Ethiopic',
  'Cherokee',
  'Han',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Hangul',
] as const;
const SCRIPT_TESTS = SCRIPTS.map((name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')] as const);
const COMMON = /[\p{Script=Common}\p{Script=Inherited}]/u;

// Script mixes that are normal in one name (Unicode TS #39 "highly restrictive"): Japanese, Chinese with
// Bopomofo, Korean, each optionally with Latin.
const ALLOWED_MIXES: ReadonlyArray<ReadonlySet<string>> = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

function scriptOf(char: string): string | undefined {
  if (COMMON.test(char)) return undefined;
  for (const [name, test] of SCRIPT_TESTS) if (test.test(char)) return name;
  return 'Other';
}

/** The scripts a string's letters belong to (Common and Inherited left out). */
export function scriptsOf(text: string): Set<string> {
  const scripts = new Set<string>();
  for (const char of text) {
    const script = scriptOf(char);
    if (script) scripts.add(script);
  }
  return scripts;
}

function isMixedScript(scripts: Set<string>): boolean {
  if (scripts.size <= 1) return false;
  return !ALLOWED_MIXES.some((allowed) => [...scripts].every((s) => allowed.has(s)));
}

// Full case folding is close to lower(upper(lower(x))) (ẞ → ß → SS → ss, final ς → Σ → σ); NFKC on both
// sides folds compatibility forms (fullwidth letters, ligatures, the long s) first and recomposes after.
function caseFold(text: string): string {
  return text.toLowerCase().toUpperCase().toLowerCase().normalize('NFKC');
}

/**
 * Normalise a typed identity: NFKC, whitespace trimmed and collapsed to one space, case folded; refused
 * when empty, too long, holding an invisible character, or mixing scripts (Latin with Cyrillic, …).
 * @example normaliseIdentity('  Det.A ') // { ok: true, value: 'det.a' }
 * @example normaliseIdentity('det.a\u200b') // { ok: false, message: 'contains an invisible character (U+200B)' }
 */
export function normaliseIdentity(raw: string): IdentityCheck {
  const composed = raw.normalize('NFKC');
  // Not String.trim either: it also strips the byte-order mark, which must be refused, not hidden.
  const spaced = composed.replace(WHITESPACE_RUN, ' ').replace(/^ | $/g, '');
  for (const char of spaced) {
    if (INVISIBLE.test(char)) {
      const code = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      return { ok: false, message: `contains an invisible or control character (U+${code})` };
    }
  }
  const value = caseFold(spaced);
  if (value.length === 0) return { ok: false, message: 'is empty' };
  if ([...value].length > IDENTITY_MAX_LENGTH) {
    return { ok: false, message: `is longer than ${IDENTITY_MAX_LENGTH} characters` };
  }
  const scripts = scriptsOf(value);
  if (isMixedScript(scripts)) {
    return {
      ok: false,
      message: `mixes scripts (${[...scripts].sort().join(' and ')}): letters from one script only`,
    };
  }
  return { ok: true, value };
}

// Cyrillic and Greek lower-case letters drawn like Latin ones (a subset of Unicode's confusables list):
// a whole-script look-alike ("аре" in Cyrillic for "ape") passes the mixed-script check, so the
// requester ≠ approver comparison also compares skeletons.
const LOOKALIKES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  һ: 'h',
  і: 'i',
  ї: 'i',
  ј: 'j',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
};

/**
 * The look-alike skeleton of a normalised identity: what two names that look the same share.
 * @example identitySkeleton('аре') === identitySkeleton('ape') // true (Cyrillic а, р, е)
 */
export function identitySkeleton(normalised: string): string {
  let out = '';
  for (const char of normalised) out += LOOKALIKES[char] ?? char;
  return out;
}

/**
 * Whether two normalised identities name the same person as far as anyone reading them could tell.
 * @example sameIdentity('det.a', 'dеt.a') // true (the second "е" is Cyrillic)
 */
export function sameIdentity(a: string, b: string): boolean {
  return a === b || identitySkeleton(a) === identitySkeleton(b);
}
