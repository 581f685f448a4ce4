// The lexicon shipped with the project (lexicon.default.json), compiled once at load; an invalid
// default is a build error, so it throws here rather than screening with nothing.

import DEFAULT_LEXICON_JSON from './lexicon.default.json' with { type: 'json' };
import type { CompiledLexicon, Lexicon } from './lexicon.js';
import { compileLexicon } from './lexicon-compile.js';

/** The lexicon shipped with the project, as data. */
export const DEFAULT_LEXICON = DEFAULT_LEXICON_JSON as Lexicon;

const compiledDefault = compileLexicon(DEFAULT_LEXICON);
if (!compiledDefault.ok) {
  throw new Error(
    `shared/access/lexicon.default.json is invalid: ${compiledDefault.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
  );
}
/** The default lexicon, compiled once. */
export const DEFAULT_COMPILED_LEXICON: CompiledLexicon = compiledDefault.value;
