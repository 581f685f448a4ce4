import { describe, expect, it } from 'vitest';
import { parsePlateQuery } from '../../../shared/access/plate-query.js';

const problem = (text: string) => {
  const r = parsePlateQuery(text);
  if (r.ok) throw new Error(`expected ${text} to be refused`);
  return r.problems[0]!;
};

describe('parsePlateQuery (Q-01, Q-08)', () => {
  it('normalises an exact plate like the recognizer and folds O/0 and I/1', () => {
    expect(parsePlateQuery(' 7abc-123 ')).toEqual({
      ok: true,
      value: { kind: 'exact', partial: false, plate: '7ABC123', folded: '7ABC123' },
    });
    expect(parsePlateQuery('7OIL 123')).toMatchObject({
      ok: true,
      value: { plate: '7OIL123', folded: '701L123' },
    });
    expect(parsePlateQuery('７ＡＢＣ１２３')).toMatchObject({ ok: true, value: { plate: '7ABC123' } });
  });

  it('flags a partial plate and gives its folded LIKE pattern', () => {
    expect(parsePlateQuery('7a?c**o1')).toEqual({
      ok: true,
      value: {
        kind: 'partial',
        partial: true,
        pattern: '7A?C*O1',
        folded: '7A?C*01',
        likePattern: '7A_C%01',
        literalChars: 5,
      },
    });
  });

  it('refuses a partial plate with fewer than 3 known characters', () => {
    expect(problem('*')).toMatchObject({ code: 'partial_too_wide' });
    expect(problem('7?*')).toMatchObject({ code: 'partial_too_wide' });
    expect(problem('??????AB')).toMatchObject({ code: 'partial_too_wide' });
    expect(parsePlateQuery('AB*', { minPartialChars: 2, maxLength: 8 }).ok).toBe(true);
  });

  it('refuses characters a plate cannot have, naming the first', () => {
    expect(problem('7ABC#12')).toMatchObject({
      code: 'bad_characters',
      message: expect.stringContaining('"#"'),
    });
    expect(problem('7ABÉ12')).toMatchObject({ code: 'bad_characters' });
    expect(problem('7ABC%')).toMatchObject({ code: 'bad_characters' });
  });

  it('refuses empty, too short and too long plates', () => {
    expect(problem('')).toMatchObject({ code: 'missing' });
    expect(problem('A')).toMatchObject({ code: 'bad_length' });
    expect(problem('ABCDEFGHJ')).toMatchObject({ code: 'bad_length' });
    expect(problem('ABCDEFG??')).toMatchObject({ code: 'bad_length' });
  });
});
