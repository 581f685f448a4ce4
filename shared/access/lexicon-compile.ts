// Validation and compilation of a lexicon document into the lookup tables the screen uses: every
// problem reported with its path, unknown keys refused, terms folded exactly as the screen folds text.
import {
  type CompiledLexicon,
  type CompiledTerm,
  LEXICON_FORMAT,
  type Lexicon,
  type LexiconCategory,
  lexiconVersion,
  type TermException,
  type TermWord,
} from './lexicon.js';
import type { AccessProblem, Checked } from './problems.js';
import { foldText, leetSkeleton } from './text-fold.js';

const CATEGORY_ID = /^[a-z][a-z0-9_]{1,39}$/;
const SET_NAME = /^[a-z][a-z0-9_]{0,39}$/;
/** Shortest single-word prefix: "ab*" would block half the dictionary. */
const MIN_PREFIX = 4;
const MIN_PHRASE_PREFIX = 3;

/** Fold a term or context word the way the screen folds text: letters and digits only. */
function foldWord(word: string): string {
  return foldText(word).replace(/[^\p{L}\p{N}]/gu, '');
}

function compileWords(text: string): TermWord[] {
  return text
    .trim()
    .split(/\s+/u)
    .map((raw) => {
      const prefix = raw.endsWith('*');
      const plain = foldWord(prefix ? raw.slice(0, -1) : raw);
      return { skel: leetSkeleton(plain), plain, prefix };
    });
}

function compileException(pattern: string): TermException | string {
  const words = pattern.trim().split(/\s+/u);
  const at = words.indexOf('_');
  if (at < 0 || words.lastIndexOf('_') !== at) return 'must contain exactly one "_" standing for the term';
  const fold = (w: string) => (w === '#' ? '#' : foldWord(w));
  const before = words.slice(0, at).map(fold);
  const after = words.slice(at + 1).map(fold);
  if ([...before, ...after].some((w) => w.length === 0)) return 'has a word with no letters or digits';
  if (before.length + after.length === 0) return 'must name at least one word around "_"';
  return { before, after };
}

/**
 * Validate a parsed lexicon document and compile it. Every problem is reported with its path
 * (`categories[1].terms[4]: ...`); unknown keys are problems too.
 * @example compileLexicon(JSON.parse(text)) // { ok: true, value: { version, exact, prefixes, phrases, ... } }
 */
export function compileLexicon(value: unknown): Checked<CompiledLexicon> {
  const problems: AccessProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problems: [{ field: '', message: 'a lexicon must be a JSON object' }] };
  }
  const doc = value as Record<string, unknown>;
  unknownKeys(doc, ['format', 'description', 'exceptionSets', 'categories'], '', add);
  if (doc.format !== LEXICON_FORMAT)
    add('format', `must be "${LEXICON_FORMAT}", got ${JSON.stringify(doc.format)}`);
  if (doc.description !== undefined && typeof doc.description !== 'string')
    add('description', 'must be text');
  const sets = new Map<string, TermException[]>();
  if (doc.exceptionSets !== undefined) {
    if (
      typeof doc.exceptionSets !== 'object' ||
      doc.exceptionSets === null ||
      Array.isArray(doc.exceptionSets)
    ) {
      add('exceptionSets', 'must be an object of named lists');
    } else {
      for (const [name, list] of Object.entries(doc.exceptionSets)) {
        const path = `exceptionSets.${name}`;
        if (!SET_NAME.test(name)) add(path, 'set names are lower-case letters, digits and "_"');
        sets.set(name, compileExceptionList(list, path, sets, add));
      }
    }
  }
  const categories = new Map<string, Omit<LexiconCategory, 'terms'>>();
  const compiled: CompiledTerm[] = [];
  if (!Array.isArray(doc.categories) || doc.categories.length === 0) {
    add('categories', 'must be a non-empty list');
  } else {
    for (const [i, raw] of doc.categories.entries()) {
      compileCategory(raw, `categories[${i}]`, categories, sets, compiled, add);
    }
  }
  const exact = new Map<string, CompiledTerm[]>();
  const seen = new Map<string, string>();
  for (const term of compiled) {
    const key = term.words.map((w) => w.skel + (w.prefix ? '*' : '')).join(' ');
    const first = seen.get(key);
    if (first !== undefined) {
      add('categories', `"${term.term}" (${term.category}) folds to the same term as "${first}"`);
      continue;
    }
    seen.set(key, `${term.term}`);
    if (term.words.length === 1 && term.words[0]!.prefix) continue;
    if (term.words.some((w) => w.prefix)) continue;
    const joined = term.words.map((w) => w.skel).join('');
    exact.set(joined, [...(exact.get(joined) ?? []), term]);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      version: lexiconVersion(doc as unknown as Lexicon),
      categories,
      exact,
      prefixes: compiled.filter((t) => t.words.length === 1 && t.words[0]!.prefix),
      phrases: compiled.filter((t) => t.words.length > 1),
      termCount: compiled.length,
    },
  };
}

function compileCategory(
  raw: unknown,
  path: string,
  categories: Map<string, Omit<LexiconCategory, 'terms'>>,
  sets: Map<string, TermException[]>,
  out: CompiledTerm[],
  add: (field: string, message: string) => void,
): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    add(path, 'must be an object');
    return;
  }
  const c = raw as Record<string, unknown>;
  unknownKeys(c, ['id', 'label', 'basis', 'terms'], `${path}.`, add);
  const id = typeof c.id === 'string' ? c.id : '';
  if (!CATEGORY_ID.test(id))
    add(`${path}.id`, 'must be 2-40 lower-case letters, digits or "_", starting with a letter');
  else if (categories.has(id)) add(`${path}.id`, `duplicate category "${id}"`);
  for (const key of ['label', 'basis'] as const) {
    if (typeof c[key] !== 'string' || (c[key] as string).trim() === '')
      add(`${path}.${key}`, 'must be non-empty text');
  }
  categories.set(id, { id, label: String(c.label ?? ''), basis: String(c.basis ?? '') });
  if (!Array.isArray(c.terms) || c.terms.length === 0) {
    add(`${path}.terms`, 'must be a non-empty list');
    return;
  }
  c.terms.forEach((t, j) => {
    const tp = `${path}.terms[${j}]`;
    const entry = typeof t === 'string' ? { term: t } : t;
    if (
      entry === null ||
      typeof entry !== 'object' ||
      typeof (entry as { term?: unknown }).term !== 'string'
    ) {
      add(tp, 'must be text or { term, except?, not? }');
      return;
    }
    const e = entry as Record<string, unknown>;
    unknownKeys(e, ['term', 'except', 'not'], `${tp}.`, add);
    const text = e.term as string;
    const words = compileWords(text);
    if (words.some((w) => w.plain.length === 0)) {
      add(tp, `"${text}" has a word with no letters or digits`);
      return;
    }
    const shortest = words.length === 1 ? MIN_PREFIX : MIN_PHRASE_PREFIX;
    if (words.some((w) => w.prefix && w.plain.length < shortest)) {
      add(
        tp,
        `a prefix needs at least ${shortest} letters before "*" in a ${words.length === 1 ? 'one-word term' : 'phrase'}`,
      );
      return;
    }
    if (text.replace(/\*(\s|$)/gu, ' ').includes('*')) {
      add(tp, '"*" may only end a word');
      return;
    }
    const exceptions =
      e.except === undefined ? [] : compileExceptionList(e.except, `${tp}.except`, sets, add);
    const not = new Set<string>();
    if (e.not !== undefined) {
      if (!Array.isArray(e.not) || !e.not.every((w) => typeof w === 'string'))
        add(`${tp}.not`, 'must be a list of words');
      else for (const w of e.not) not.add(foldWord(w));
    }
    out.push({ category: id, term: text, words, exceptions, not });
  });
}

function compileExceptionList(
  list: unknown,
  path: string,
  sets: Map<string, TermException[]>,
  add: (field: string, message: string) => void,
): TermException[] {
  if (!Array.isArray(list)) {
    add(path, 'must be a list of contexts such as "_ cream" or "@street"');
    return [];
  }
  const out: TermException[] = [];
  list.forEach((pattern, k) => {
    if (typeof pattern !== 'string') {
      add(`${path}[${k}]`, 'must be text');
      return;
    }
    if (pattern.startsWith('@')) {
      const set = sets.get(pattern.slice(1));
      if (!set) {
        add(`${path}[${k}]`, `no exception set named "${pattern.slice(1)}"`);
        return;
      }
      out.push(...set);
      return;
    }
    const compiled = compileException(pattern);
    if (typeof compiled === 'string') add(`${path}[${k}]`, `"${pattern}" ${compiled}`);
    else out.push(compiled);
  });
  return out;
}

function unknownKeys(
  obj: Record<string, unknown>,
  allowed: readonly string[],
  prefix: string,
  add: (field: string, message: string) => void,
): void {
  for (const key of Object.keys(obj)) if (!allowed.includes(key)) add(`${prefix}${key}`, 'unknown key');
}

/**
 * Parse and compile lexicon file text (the caller reads the file named by `access.lexiconPath`).
 * @example parseLexicon('{"format":"alpr-lexicon/1","categories":[...]}') // { ok: true, value: { version, ... } }
 */
export function parseLexicon(text: string): Checked<CompiledLexicon> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ field: '', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  return compileLexicon(value);
}
