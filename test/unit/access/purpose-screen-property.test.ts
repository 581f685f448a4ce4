import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COMPILED_LEXICON } from '../../../shared/access/lexicon-default.js';
import { screenPurpose } from '../../../shared/access/purpose-screen.js';

// Property tests of the screen: any mix of the evasions people use still blocks every single-word term,
// and a term glued inside a longer word never does.
const lex = DEFAULT_COMPILED_LEXICON;
const exactWords = [...lex.exact.values()]
  .flat()
  .filter((t) => t.words.length === 1)
  .map((t) => t.words[0]!.plain);
const stems = lex.prefixes.map((t) => t.words[0]!.plain);
const terms = [...new Set([...exactWords, ...stems])].filter((t) => /^[a-z]+$/.test(t));

const HOMOGLYPH: Record<string, string> = {
  a: 'а',
  c: 'с',
  e: 'е',
  o: 'о',
  p: 'р',
  x: 'х',
  y: 'у',
  i: 'і',
  s: 'ѕ',
  j: 'ј',
  h: 'һ',
  d: 'ԁ',
  w: 'ԝ',
  l: 'ӏ',
};
const LEET_DIGIT: Record<string, string> = {
  o: '0',
  i: '1',
  l: '1',
  e: '3',
  a: '4',
  s: '5',
  t: '7',
  b: '8',
  g: '9',
};
const LEET_SYMBOL: Record<string, string> = { a: '@', s: '$', i: '!', l: '|', t: '+' };
const fullwidth = (c: string) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0);

type CharStyle = 'plain' | 'upper' | 'homoglyph' | 'leet' | 'fullwidth' | 'accent' | 'symbol';
const styleChar = (c: string, style: CharStyle): string => {
  switch (style) {
    case 'upper':
      return c.toUpperCase();
    case 'homoglyph':
      return HOMOGLYPH[c] ?? c;
    case 'leet':
      return LEET_DIGIT[c] ?? c;
    case 'fullwidth':
      return fullwidth(c);
    case 'accent':
      return 'aeiou'.includes(c) ? `${c}\u0301` : c;
    case 'symbol':
      return LEET_SYMBOL[c] ?? c;
    default:
      return c;
  }
};
const JOINS = ['', '\u200b', '\u200d', '\u2060', '\u00ad', '.', ' ', '-', '. ', '\ufeff'] as const;

const obfuscated = fc
  .record({
    term: fc.constantFrom(...terms),
    styles: fc.array(
      fc.constantFrom<CharStyle>('plain', 'upper', 'homoglyph', 'leet', 'fullwidth', 'accent', 'symbol'),
      {
        minLength: 20,
        maxLength: 20,
      },
    ),
    join: fc.constantFrom(...JOINS),
  })
  .map(({ term, styles, join }) => {
    // Symbols that double as punctuation ("!", "|") only work glued to the letters around them.
    const chars = [...term].map((c, i) =>
      styleChar(c, join === '' || styles[i] !== 'symbol' ? styles[i]! : 'plain'),
    );
    return { term, text: `note: ${chars.join(join)} reported` };
  });

describe('screenPurpose under evasion (property)', () => {
  it(`blocks each of the ${terms.length} single-word terms however it is disguised`, () => {
    fc.assert(
      fc.property(obfuscated, ({ text }) => {
        expect(screenPurpose({ justification: text }).blocked, text).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('never blocks a term glued inside a longer word (no substring matches)', () => {
    const glue = fc.stringMatching(/^[qxz]{1,3}$/);
    fc.assert(
      fc.property(
        fc.constantFrom(...exactWords.filter((t) => /^[a-z]+$/.test(t))),
        glue,
        glue,
        (term, before, after) => {
          const text = `note: ${before}${term}${after} reported`;
          expect(screenPurpose({ justification: text }).blocked, text).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
