import { describe, expect, it } from 'vitest';
import { identitySkeleton, normaliseIdentity, sameIdentity } from '../../shared/policy/identity.js';

const value = (raw: string) => {
  const result = normaliseIdentity(raw);
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result.value;
};
const refusal = (raw: string) => {
  const result = normaliseIdentity(raw);
  if (result.ok) throw new Error(`accepted as ${result.value}`);
  return result.message;
};

describe('normaliseIdentity', () => {
  it.each([
    ['det.a', 'det.a'],
    ['  Det.A ', 'det.a'],
    ['DET.A', 'det.a'],
    ['Ｄｅｔ.Ａ', 'det.a'], // fullwidth (NFKC)
    ['det\u00a0a', 'det a'], // no-break space
    ['det \t  a', 'det a'], // whitespace runs collapse
    ['STRAẞE', 'strasse'], // full case folding, not just lower case
    ['José García', 'josé garcía'],
    ['Jose\u0301', 'josé'], // decomposed accent composes (NFKC)
    ['ΣΟΦΙΑ', 'σοφια'],
    ['山田 太郎', '山田 太郎'],
    ['tanaka たろう', 'tanaka たろう'], // Latin + Hiragana is a normal Japanese mix
    ['lt.chen@city.example', 'lt.chen@city.example'],
  ])('%j → %j', (raw, expected) => {
    expect(value(raw)).toBe(expected);
  });

  it.each([
    ['det.a\u200b', /invisible.*U\+200B/], // zero-width space
    ['det\u200d.a', /invisible.*U\+200D/], // zero-width joiner
    ['det.a\u202e', /invisible.*U\+202E/], // right-to-left override
    ['\ufeffdet.a', /invisible.*U\+FEFF/], // byte-order mark
    ['det\u00ad.a', /invisible.*U\+00AD/], // soft hyphen
    ['det.a\ufe0f', /invisible.*U\+FE0F/], // variation selector
    ['det\u0000a', /invisible.*U\+0000/],
    ['dеt.a', /mixes scripts \(Cyrillic and Latin\)/], // Cyrillic е
    ['det.α', /mixes scripts \(Greek and Latin\)/],
    ['', /is empty/],
    ['   ', /is empty/],
    ['x'.repeat(129), /longer than 128/],
  ])('refuses %j', (raw, message) => {
    expect(refusal(raw)).toMatch(message);
  });
});

describe('sameIdentity', () => {
  it('treats whole-script look-alikes as one person', () => {
    expect(identitySkeleton(value('АРЕ'))).toBe('ape'); // all Cyrillic: passes the mixed-script check
    expect(sameIdentity(value('АРЕ'), value('ape'))).toBe(true);
    expect(sameIdentity(value('det.a'), value('Det.A '))).toBe(true);
  });

  it('keeps different people apart', () => {
    expect(sameIdentity(value('det.a'), value('det.b'))).toBe(false);
    expect(sameIdentity(value('lt.chen'), value('det.alvarez'))).toBe(false);
  });
});
