import { describe, expect, it } from 'vitest';
import {
  confusableSkeleton,
  findInvisible,
  foldText,
  hasMixedScripts,
  identityKey,
  leetSkeleton,
  scriptsOf,
  stripInvisible,
  stripMarks,
} from '../../../shared/access/text-fold.js';

describe('foldText', () => {
  it('turns fullwidth, mathematical and circled letters into plain lower case (NFKC)', () => {
    expect(foldText('ＩＣＥ')).toBe('ice');
    expect(foldText('\u{1D408}\u{1D402}\u{1D404}')).toBe('ice');
    expect(foldText('ⓘⓒⓔ')).toBe('ice');
  });

  it('maps Cyrillic, Greek, Armenian, Cherokee and small-capital look-alikes to Latin', () => {
    expect(foldText('\u0406\u0421\u0415')).toBe('ice'); // Cyrillic І С Е
    expect(foldText('\u0399\u03f9\u0395')).toBe('ice'); // Greek Ι Ϲ Ε (lunate sigma, before NFKC turns it into Σ)
    expect(foldText('Аbоrtiоn')).toBe('abortion');
    expect(foldText('\u0585')).toBe('o'); // Armenian օ
    expect(foldText('\u13a2\u13ac\u13b7')).toBe('tem'); // Cherokee Ꭲ Ꭼ Ꮇ
    expect(foldText('ɪᴄᴇ')).toBe('ice');
  });

  it('removes invisible characters and accents', () => {
    expect(foldText('I\u200bC\u200dE\u2060')).toBe('ice');
    expect(foldText('I\u00adCE')).toBe('ice');
    expect(foldText('\u202eICE\u202c')).toBe('ice');
    expect(foldText('ch\u00farch')).toBe('church');
    expect(foldText('c\u0336h\u0301u\u0308rch')).toBe('church');
  });
});

describe('the building blocks', () => {
  it('findInvisible names each invisible character with its code point', () => {
    expect(findInvisible('det\u200b.a\ufeff')).toEqual([
      { index: 3, codePoint: 'U+200B' },
      { index: 6, codePoint: 'U+FEFF' },
    ]);
    expect(findInvisible('det.a')).toEqual([]);
    expect(stripInvisible('a\u180eb\ufe0f')).toBe('ab');
  });

  it('confusableSkeleton leaves Latin text alone', () => {
    expect(confusableSkeleton('Plain Latin text 123')).toBe('Plain Latin text 123');
    expect(stripMarks('José')).toBe('Jose');
  });

  it('scriptsOf and hasMixedScripts spot a Cyrillic letter inside a Latin name', () => {
    expect([...scriptsOf('dеt.a')].sort()).toEqual(['Cyrillic', 'Latin']);
    expect(hasMixedScripts('dеt.a')).toBe(true);
    expect(hasMixedScripts('det.a')).toBe(false);
    expect(hasMixedScripts('Ελένη')).toBe(false);
    expect(hasMixedScripts('東京タワー')).toBe(false); // Han + Katakana is one writing system
    expect(hasMixedScripts('123-456')).toBe(false);
  });

  it('identityKey makes look-alike, padded and differently cased spellings one identity', () => {
    expect(identityKey(' Det.A\u200b ')).toBe(identityKey('det.а'));
    expect(identityKey('det  alvarez')).toBe('det alvarez');
    expect(identityKey('det.a')).not.toBe(identityKey('det.b'));
  });

  it('leetSkeleton reads digits and symbols as letters, and l as i', () => {
    expect(leetSkeleton('pr0t3st')).toBe('protest');
    expect(leetSkeleton('@b0rt10n')).toBe('abortion');
    expect(leetSkeleton('ra11y')).toBe(leetSkeleton('rally'));
  });
});
