import { describe, expect, it } from 'vitest';
import { checkJustification, specificWordCount } from '../../../shared/access/justification.js';

const rules = { minLength: 20, minSpecificWords: 2 };
const code = (text: string) => {
  const r = checkJustification(text, rules);
  return r.ok ? 'ok' : r.problems[0]!.code;
};

describe('checkJustification (Q-01, Q-05)', () => {
  it('accepts a specific justification and stores it trimmed, with whitespace collapsed', () => {
    expect(checkJustification('  armed robbery at the  Valero on King Rd, white Civic  ', rules)).toEqual({
      ok: true,
      value: { text: 'armed robbery at the Valero on King Rd, white Civic', specificWords: 6 },
    });
  });

  it('requires a justification', () => {
    expect(code('')).toBe('missing');
    expect(code('    ')).toBe('missing');
  });

  it('refuses fewer than 20 characters, counting padding once', () => {
    expect(code('robbery King Rd')).toBe('too_short');
    expect(code('investigation.......')).toBe('too_short');
    expect(code('rob          bery  x')).toBe('too_short');
  });

  it.each([
    'investigation',
    'inv',
    'case',
    'susp veh',
    'info',
    'investigation investigation',
    'susp veh investigation case info',
    'ongoing criminal investigation of suspect vehicle',
    'investigation - see case file - info',
    'INVESTIGATION!!! INVESTIGATION!!!',
    'inv inv inv inv inv inv inv inv inv',
    'Case 26-000123 investigation follow up',
    'investigation aaaaaaa bbbbbbbbbb',
    'police business, official investigation',
    'info request per detective, suspect vehicle',
  ])('refuses the generic-only %j', (text) => {
    expect(['generic_justification', 'too_short']).toContain(code(text));
  });

  it('refuses generic text padded beyond 20 characters as generic, not as short', () => {
    expect(code('investigation investigation investigation')).toBe('generic_justification');
    expect(code('susp veh susp veh susp veh susp veh')).toBe('generic_justification');
  });

  it('counts specific words: generic words, filler, numbers and repeats do not count', () => {
    expect(specificWordCount('susp veh investigation')).toBe(0);
    expect(specificWordCount('robbery at the Valero on King Rd')).toBe(3);
    expect(specificWordCount('robbery robbery ROBBERY')).toBe(1);
    expect(specificWordCount('26-000123 7ABC123 1234')).toBe(1); // 7abc123 has letters
  });

  it('refuses text over the maximum length', () => {
    expect(code(`robbery at King Rd ${'x'.repeat(2000)}`)).toBe('too_long');
  });

  it('follows the configured minimum length and word count', () => {
    expect(checkJustification('robbery, white Civic', { minLength: 30, minSpecificWords: 1 }).ok).toBe(false);
    expect(checkJustification('robbery investigation here', { minLength: 20, minSpecificWords: 1 }).ok).toBe(
      true,
    );
  });
});
