// The prohibited-purpose screen (Q-03, Q-04, SH-08): does a justification, case number or hotlist reason
// name a purpose the policy forbids (immigration enforcement, reproductive health care, protected
// activity, religious observance)? Whole words only, so "police", "dice", "price" and "marchese" pass;
// robust to case, accents, punctuation and spacing ("I.C.E.", "i c e"), leetspeak ("1C3", "pr0test"),
// invisible characters and look-alike letters (folding in text-fold.ts). A term's `except` contexts
// ("ice cream", "March 3") apply only to a plain spelling: an obfuscated one is never excused.
import type { CompiledLexicon, CompiledTerm, TermException } from './lexicon.js';
import { DEFAULT_COMPILED_LEXICON } from './lexicon-default.js';
import { foldText, leetSkeleton } from './text-fold.js';

export interface PurposeMatch {
  /** The field the match was found in (as passed to screenPurpose). */
  field: string;
  category: string;
  /** The lexicon term that matched, as written in the lexicon. */
  term: string;
  /** The folded text that matched it. */
  matched: string;
  /** True when the match needed spacing, symbols, leetspeak, look-alikes or invisible characters. */
  obfuscated: boolean;
}

export type PurposeScreen =
  | { blocked: false; lexiconVersion: string }
  | {
      blocked: true;
      lexiconVersion: string;
      category: string;
      categoryLabel: string;
      basis: string;
      field: string;
      term: string;
      matched: string;
      obfuscated: boolean;
      /** Every distinct term found, best first. */
      matches: PurposeMatch[];
    };

/** One word of the text: folded spelling, leet skeleton, and whether its chunk needed no folding. */
interface Unit {
  text: string;
  skel: string;
  plain: boolean;
}

/** A single string that could spell a term once joined up (spaced letters, symbols, split words). */
interface Candidate {
  text: string;
  skel: string;
  prefixOk: boolean;
}

const WORD_SPLIT = /[^\p{L}\p{N}]+/u;
const LEET_SYMBOLS = /[@$!|+€]/u;
const SYMBOL_SPLIT = /[^\p{L}\p{N}@$!|+€]+/u;
const NUMBER = /^\d+(st|nd|rd|th)?$/;
/** Longest run of single letters examined ("a b o r t i o n" is 8). */
const MAX_RUN = 40;
/** Two words joined ("abor tion") are only compared with terms at least this long (exact, or a stem plus a
 * common suffix). */
const MIN_SPLIT_TERM = 6;

/** Suffixes a split word may carry past a prefix term's stem ("de ported", "abor tions"). */
const SPLIT_SUFFIXES = new Set([
  '',
  's',
  'es',
  'ed',
  'er',
  'ers',
  'ing',
  'ion',
  'ions',
  'ation',
  'ations',
  'ist',
  'ists',
  'or',
  'ors',
]);

/** Text cut into the word sequences and joined-up candidates the matcher compares with the lexicon. */
interface Tokens {
  /** Words split at every non-letter ("women's" → women, s). */
  parts: Unit[];
  /** One unit per whitespace-separated chunk, punctuation removed ("I.C.E." → ice, "287(g)" → 287g). */
  chunks: Unit[];
  /** The parts with each run of spaced-out letters joined into one unit ("p l a n n e d parenthood"). */
  collapsed: Unit[];
  candidates: Candidate[];
}

function tokenize(text: string): Tokens {
  const parts: Unit[] = [];
  const chunks: Unit[] = [];
  const candidates: Candidate[] = [];
  // Split the text as typed (JS \s already covers the Unicode spaces NFKC would turn into " "), so a
  // chunk that needed any folding (fullwidth, look-alikes, invisible characters) is not plain.
  for (const chunk of text.split(/\s+/u)) {
    if (chunk === '') continue;
    const folded = foldText(chunk);
    const plain = folded === chunk.toLowerCase();
    const words = folded.split(WORD_SPLIT).filter(Boolean);
    for (const w of words) parts.push({ text: w, skel: leetSkeleton(w), plain });
    if (words.length > 0) {
      const joined = words.join('');
      // Apostrophes and hyphens join words in ordinary writing ("women's", "pro-choice"); dots do not.
      const ordinary = /^[^\p{L}\p{N}]*([\p{L}\p{N}]+['’-])*[\p{L}\p{N}]+[^\p{L}\p{N}]*$/u.test(folded);
      chunks.push({ text: joined, skel: leetSkeleton(joined), plain: plain && ordinary });
    }
    for (const piece of folded.split(SYMBOL_SPLIT)) {
      if (!LEET_SYMBOLS.test(piece)) continue;
      for (const variant of [piece, piece.replace(/^[!|+]+|[!|+]+$/gu, '')]) {
        if (variant) candidates.push({ text: variant, skel: leetSkeleton(variant), prefixOk: true });
      }
    }
  }
  const collapsed: Unit[] = [];
  // Spaced-out letters ("i c e", "I. C. E."): every run of two or more single characters, joined.
  for (let start = 0; start < parts.length; ) {
    let end = start;
    while (end < parts.length && parts[end]!.skel.length === 1 && end - start < MAX_RUN) end++;
    if (end - start < 2) {
      collapsed.push(parts[start]!);
      start += 1;
      continue;
    }
    for (let a = start; a < end; a++) {
      for (let b = a + 2; b <= end; b++) {
        const run = parts.slice(a, b);
        candidates.push({
          text: run.map((u) => u.text).join(' '),
          skel: run.map((u) => u.skel).join(''),
          prefixOk: true,
        });
      }
    }
    const run = parts.slice(start, end);
    collapsed.push({
      text: run.map((u) => u.text).join(' '),
      skel: run.map((u) => u.skel).join(''),
      plain: false,
    });
    start = end;
  }
  // One word split in two ("abor tion"), compared with long terms only.
  for (let i = 0; i + 1 < parts.length; i++) {
    const [a, b] = [parts[i]!, parts[i + 1]!];
    if (a.skel.length < 2 || b.skel.length < 2 || a.skel.length + b.skel.length < MIN_SPLIT_TERM) continue;
    candidates.push({ text: `${a.text} ${b.text}`, skel: a.skel + b.skel, prefixOk: false });
  }
  return { parts, chunks, collapsed, candidates };
}

function wordMatches(unit: Unit, word: CompiledTerm['words'][number]): boolean {
  return word.prefix ? unit.skel.startsWith(word.skel) : unit.skel === word.skel;
}

function excused(seq: readonly Unit[], i: number, exceptions: readonly TermException[]): boolean {
  const same = (unit: Unit | undefined, want: string) =>
    unit !== undefined && (want === '#' ? NUMBER.test(unit.text) : unit.text === want);
  return exceptions.some(
    (ex) =>
      ex.before.every((w, k) => same(seq[i - ex.before.length + k], w)) &&
      ex.after.every((w, k) => same(seq[i + 1 + k], w)),
  );
}

/** Every match of the lexicon in one text, in order of appearance. */
function matchText(text: string, lexicon: CompiledLexicon, field: string): PurposeMatch[] {
  const { parts, chunks, collapsed, candidates } = tokenize(text);
  const found: PurposeMatch[] = [];
  const hit = (term: CompiledTerm, matched: string, obfuscated: boolean) =>
    found.push({ field, category: term.category, term: term.term, matched, obfuscated });
  for (const seq of collapsed.length === parts.length ? [parts, chunks] : [parts, chunks, collapsed]) {
    seq.forEach((unit, i) => {
      for (const term of lexicon.exact.get(unit.skel) ?? []) {
        const spelled = term.words.map((w) => w.plain).join('');
        const plainUse = unit.plain && unit.text === spelled;
        if (term.words.length === 1 && plainUse && excused(seq, i, term.exceptions)) continue;
        hit(term, unit.text, !plainUse);
      }
      for (const term of lexicon.prefixes) {
        const word = term.words[0]!;
        if (!unit.skel.startsWith(word.skel) || term.not.has(unit.text.replace(/\s/gu, ''))) continue;
        const plainUse = unit.plain && unit.text.startsWith(word.plain);
        if (plainUse && excused(seq, i, term.exceptions)) continue;
        hit(term, unit.text, !plainUse);
      }
      for (const term of lexicon.phrases) {
        const n = term.words.length;
        if (i + n > seq.length || !term.words.every((w, k) => wordMatches(seq[i + k]!, w))) continue;
        const span = seq.slice(i, i + n);
        const plainUse = span.every(
          (u, k) => u.plain && (term.words[k]!.prefix || u.text === term.words[k]!.plain),
        );
        hit(term, span.map((u) => u.text).join(' '), !plainUse);
      }
    });
  }
  for (const c of candidates) {
    for (const term of lexicon.exact.get(c.skel) ?? []) hit(term, c.text, true);
    for (const term of lexicon.prefixes) {
      const stem = term.words[0]!.skel;
      if (!c.skel.startsWith(stem) || term.not.has(c.text.replace(/[^\p{L}\p{N}]/gu, ''))) continue;
      if (c.prefixOk || SPLIT_SUFFIXES.has(c.skel.slice(stem.length))) hit(term, c.text, true);
    }
  }
  return found;
}

/** Longer terms first ("protestant" over "protest"), then plain uses, then order of appearance. */
function rank(matches: PurposeMatch[], lexicon: CompiledLexicon): PurposeMatch[] {
  const length = (m: PurposeMatch) => m.term.replace(/[^\p{L}\p{N}]/gu, '').length;
  const seen = new Set<string>();
  const unique = matches.filter((m) => {
    const key = `${m.category}\u0000${m.term}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return lexicon.categories.has(m.category);
  });
  return unique
    .map((m, index) => ({ m, index }))
    .sort(
      (a, b) =>
        length(b.m) - length(a.m) || Number(a.m.obfuscated) - Number(b.m.obfuscated) || a.index - b.index,
    )
    .map(({ m }) => m);
}

/**
 * Screen the free-text fields of a request against the lexicon. The first field named in a match is
 * the one the refusal reports; every field is screened (a clean justification does not excuse a case
 * number of "ICE-26-001").
 * @example screenPurpose({ justification: 'assist I.C.E. with removal', caseNumber: '26-000123' })
 *   // { blocked: true, category: 'immigration', term: 'ice', matched: 'i c e', obfuscated: true, field: 'justification', ... }
 */
export function screenPurpose(
  fields: Record<string, string | undefined>,
  lexicon: CompiledLexicon = DEFAULT_COMPILED_LEXICON,
): PurposeScreen {
  const all: PurposeMatch[] = [];
  for (const [field, text] of Object.entries(fields)) if (text) all.push(...matchText(text, lexicon, field));
  const matches = rank(all, lexicon);
  const best = matches[0];
  if (!best) return { blocked: false, lexiconVersion: lexicon.version };
  const category = lexicon.categories.get(best.category)!;
  return {
    blocked: true,
    lexiconVersion: lexicon.version,
    category: best.category,
    categoryLabel: category.label,
    basis: category.basis,
    field: best.field,
    term: best.term,
    matched: best.matched,
    obfuscated: best.obfuscated,
    matches,
  };
}
