import { describe, expect, it } from 'vitest';
import {
  compilePlateFormat,
  editDistance,
  foldPlateText,
  looksLikeWord,
  normalisePlateText,
  plateSimilarity,
  presetFormat,
  US_PLATE_FORMAT,
} from '../../shared/plates/plate-format.js';

describe('plate-format rules', () => {
  const us = compilePlateFormat(US_PLATE_FORMAT);

  it('accepts 5 to 8 characters of A-Z and 0-9 with the us preset', () => {
    expect(us.test('7ABC123')).toBe(true);
    expect(us.test('10DTM')).toBe(true);
    expect(us.test('ABCD1234')).toBe(true);
  });

  it('rejects too short, too long and foreign characters', () => {
    expect(us.test('A')).toBe(false);
    expect(us.test('1056')).toBe(false); // a taxi number, a sign word: four characters are rarely a US plate
    expect(us.test('ABCDE12345')).toBe(false);
    expect(us.test('AB-123')).toBe(false);
    expect(us.test('')).toBe(false);
  });

  it('applies a configured pattern and lengths', () => {
    const strict = compilePlateFormat(
      presetFormat('us', { minLength: 7, pattern: '^[0-9][A-Z]{3}[0-9]{3}$' }),
    );
    expect(strict.test('7ABC123')).toBe(true);
    expect(strict.test('ABC1234')).toBe(false);
  });
});

describe('normalisePlateText', () => {
  it('upper-cases and drops padding, spaces and punctuation', () => {
    expect(normalisePlateText('7abc_12-3 __')).toBe('7ABC123');
  });
});

describe('plate similarity', () => {
  it('folds O to 0 and I to 1', () => {
    expect(foldPlateText('OI0L1')).toBe('010L1');
  });

  it('counts edits', () => {
    expect(editDistance('7ABC123', '7ABC123')).toBe(0);
    expect(editDistance('7ABC123', '7A8C123')).toBe(1);
    expect(editDistance('7ABC123', 'ABC123')).toBe(1);
    expect(editDistance('', 'ABC')).toBe(3);
  });

  it('scores 1 for reads that differ only by O/0 or I/1', () => {
    expect(plateSimilarity('OSG719', '0SG719')).toBe(1);
  });

  it('scores one wrong character out of seven as 6/7', () => {
    expect(plateSimilarity('7ABC123', '7A8C123')).toBeCloseTo(6 / 7);
  });
});

describe('looksLikeWord', () => {
  it('tells words on signs and vehicles from registrations', () => {
    for (const word of ['N0RTHERN', 'PR0PERT', 'T1TAN', 'CARPET', 'NEILDMND'])
      expect(looksLikeWord(word)).toBe(true);
    for (const plate of ['10DTM', 'HK0E7C', '5RIN962', '219906', 'TAX01', 'ABC1234']) {
      expect(looksLikeWord(plate)).toBe(false);
    }
  });
});
