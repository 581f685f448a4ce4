import { describe, expect, it } from 'vitest';
import { lexiconVersion } from '../../../shared/access/lexicon.js';
import { compileLexicon } from '../../../shared/access/lexicon-compile.js';
import { DEFAULT_COMPILED_LEXICON, DEFAULT_LEXICON } from '../../../shared/access/lexicon-default.js';
import { screenPurpose } from '../../../shared/access/purpose-screen.js';
import { canonicalJson, sha256Hex } from '../../../shared/canonical-json.js';
import { ALLOWED, BLOCKED } from './purpose-corpus.js';

const screen = (text: string) => screenPurpose({ justification: text });

describe('screenPurpose: the regression corpus (Q-03, Q-04, SH-08)', () => {
  it('has at least 150 phrases, positive and negative', () => {
    expect(BLOCKED.length + ALLOWED.length).toBeGreaterThanOrEqual(150);
    expect(BLOCKED.length).toBeGreaterThanOrEqual(75);
    expect(ALLOWED.length).toBeGreaterThanOrEqual(75);
  });

  it.each(BLOCKED)('blocks %j as %s', (text, category) => {
    const result = screen(text);
    expect(result).toMatchObject({ blocked: true, category, field: 'justification' });
  });

  it.each(ALLOWED)('lets %j through', (text) => {
    expect(screen(text)).toEqual({ blocked: false, lexiconVersion: DEFAULT_COMPILED_LEXICON.version });
  });
});

describe('screenPurpose: what a refusal says', () => {
  it('names the category, its legal basis, the term, the matched text and the lexicon version', () => {
    const result = screen('please assist I.C.E. with a locate');
    expect(result).toMatchObject({
      blocked: true,
      category: 'immigration',
      categoryLabel: 'Immigration enforcement',
      term: 'ice',
      matched: 'ice',
      obfuscated: true,
      lexiconVersion: DEFAULT_COMPILED_LEXICON.version,
    });
    if (result.blocked) expect(result.basis).toMatch(/SB 54/);
  });

  it('marks a plain use as not obfuscated and a spaced one as obfuscated', () => {
    expect(screen('assist ICE')).toMatchObject({ obfuscated: false, matched: 'ice' });
    expect(screen('assist i c e')).toMatchObject({ obfuscated: true, matched: 'i c e' });
  });

  it('screens every field: a clean justification does not excuse the case number', () => {
    const result = screenPurpose({
      justification: 'robbery at the Valero on King Rd',
      caseNumber: 'ICE-26-000123',
    });
    expect(result).toMatchObject({ blocked: true, field: 'caseNumber', category: 'immigration' });
  });

  it('reports the longest term first and lists every distinct term found', () => {
    const result = screen('Protestant church protest');
    expect(result).toMatchObject({ category: 'religious_observance', term: 'protestant*' });
    if (result.blocked)
      expect(result.matches.map((m) => m.term).sort()).toEqual(['church', 'protest*', 'protestant*']);
  });

  it('never excuses an obfuscated spelling by its context ("ICE cream" passes, "I.C.E. cream" does not)', () => {
    expect(screen('ICE cream truck theft').blocked).toBe(false);
    expect(screen('I.C.E. cream truck theft').blocked).toBe(true);
    expect(screen('1CE cream truck theft').blocked).toBe(true);
    expect(screen('\u0406CE cream truck theft').blocked).toBe(true);
  });

  it('ignores empty and missing fields', () => {
    expect(screenPurpose({ justification: '', caseNumber: undefined }).blocked).toBe(false);
  });
});

describe('the lexicon as data (Q-04)', () => {
  it('is versioned by the SHA-256 of its canonical JSON', () => {
    expect(DEFAULT_COMPILED_LEXICON.version).toBe(sha256Hex(canonicalJson(DEFAULT_LEXICON)));
    expect(lexiconVersion(DEFAULT_LEXICON)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes version with any change to a term, not with key order', () => {
    const reordered = Object.fromEntries(Object.entries(DEFAULT_LEXICON).reverse()) as typeof DEFAULT_LEXICON;
    expect(lexiconVersion(reordered)).toBe(DEFAULT_COMPILED_LEXICON.version);
    const edited = structuredClone(DEFAULT_LEXICON);
    edited.categories[0]!.terms.push('zzyzx');
    expect(lexiconVersion(edited)).not.toBe(DEFAULT_COMPILED_LEXICON.version);
  });

  it('is configurable: a city lexicon with its own category is used instead of the default', () => {
    const custom = compileLexicon({
      format: 'alpr-lexicon/1',
      categories: [
        { id: 'labor', label: 'Labor organizing', basis: 'city rule', terms: ['union meeting', 'strikers'] },
      ],
    });
    if (!custom.ok) throw new Error(JSON.stringify(custom.problems));
    expect(screenPurpose({ justification: 'cars at the union meeting' }, custom.value)).toMatchObject({
      blocked: true,
      category: 'labor',
      lexiconVersion: custom.value.version,
    });
    expect(screenPurpose({ justification: 'assist ICE' }, custom.value).blocked).toBe(false);
  });

  it('reports every problem of a bad lexicon with its path', () => {
    const result = compileLexicon({
      format: 'alpr-lexicon/2',
      extra: true,
      categories: [
        { id: 'Bad Id', label: '', basis: 'x', terms: ['ab*', 'a*b', { term: 'ice', except: ['cream'] }, 7] },
        { id: 'dup', label: 'x', basis: 'x', terms: ['I.C.E.', { term: 'x1', except: ['@nope'] }] },
        { id: 'dup', label: 'x', basis: 'x', terms: [] },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.problems.map((p) => `${p.field}: ${p.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'extra: unknown key',
        expect.stringMatching(/^format: must be "alpr-lexicon\/1"/),
        expect.stringMatching(/^categories\[0\]\.id: /),
        'categories[0].label: must be non-empty text',
        expect.stringMatching(/^categories\[0\]\.terms\[0\]: a prefix needs at least 4 letters/),
        'categories[0].terms[1]: "*" may only end a word',
        expect.stringMatching(
          /^categories\[0\]\.terms\[2\]\.except\[0\]: "cream" must contain exactly one "_"/,
        ),
        'categories[0].terms[3]: must be text or { term, except?, not? }',
        'categories[1].terms[1].except[0]: no exception set named "nope"',
        'categories[2].id: duplicate category "dup"',
        'categories[2].terms: must be a non-empty list',
        expect.stringMatching(/"I\.C\.E\." \(dup\) folds to the same term as "ice"/),
      ]),
    );
  });

  it('refuses a document that is not an object', () => {
    expect(compileLexicon([])).toEqual({
      ok: false,
      problems: [{ field: '', message: 'a lexicon must be a JSON object' }],
    });
  });
});
