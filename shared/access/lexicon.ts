// The prohibited-purpose lexicon: data, not code. A lexicon is a JSON document
// (lexicon.default.json ships with the project; `access.lexiconPath` names another), validated here,
// versioned by the SHA-256 of its canonical JSON, compiled (lexicon-compile.ts) once for the screen.
import { canonicalJson, sha256Hex } from '../canonical-json.js';

export const LEXICON_FORMAT = 'alpr-lexicon/1';

/** One term as written: "ice", "deport*" (prefix), "planned parenthood" (phrase), or with contexts. */
export type LexiconTerm = string | { term: string; except?: string[]; not?: string[] };

export interface LexiconCategory {
  id: string;
  label: string;
  /** The law or policy that forbids this purpose, for refusal messages and reports. */
  basis: string;
  terms: LexiconTerm[];
}

export interface Lexicon {
  format: typeof LEXICON_FORMAT;
  description?: string;
  /** Named lists of exception contexts, referenced from a term's `except` as "@name". */
  exceptionSets?: Record<string, string[]>;
  categories: LexiconCategory[];
}

/** One word of a compiled term: its leet skeleton, and whether it matches as a prefix. */
export interface TermWord {
  skel: string;
  /** The folded spelling, to tell a plain use from an obfuscated one. */
  plain: string;
  prefix: boolean;
}

/** A context in which a plain use of a term means something else: words around `_`, `#` any number. */
export interface TermException {
  before: string[];
  after: string[];
}

export interface CompiledTerm {
  category: string;
  /** The term as written in the lexicon (what a refusal names). */
  term: string;
  words: TermWord[];
  exceptions: TermException[];
  /** Words a prefix term must not match (folded). */
  not: Set<string>;
}

export interface CompiledLexicon {
  version: string;
  categories: ReadonlyMap<string, Omit<LexiconCategory, 'terms'>>;
  /** Single-word exact terms, and every phrase written without spaces, by leet skeleton. */
  exact: ReadonlyMap<string, CompiledTerm[]>;
  /** Single-word prefix terms. */
  prefixes: readonly CompiledTerm[];
  /** Terms of two or more words. */
  phrases: readonly CompiledTerm[];
  termCount: number;
}

/**
 * The version of a lexicon: hex SHA-256 of its canonical JSON (key order and whitespace do not count).
 * @example lexiconVersion(DEFAULT_LEXICON) // '3f2a…' (64 hex characters)
 */
export function lexiconVersion(lexicon: Lexicon): string {
  return sha256Hex(canonicalJson(lexicon));
}
