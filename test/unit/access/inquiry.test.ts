import { describe, expect, it } from 'vitest';
import { validateInquiry } from '../../../shared/access/inquiry.js';
import { makeSearchInput, NOW } from './factories.js';

const AGENCIES: Record<string, unknown> = {
  CA0410900: { name: 'Palo Alto Police Department', ori: 'CA0410900', type: 'local_le', state: 'CA' },
  CA0000001: { name: 'Federal task force', ori: 'CA0000001', type: 'federal', state: 'CA' },
};
const find = (ori: string) => AGENCIES[ori];
const inquiry = (overrides: Record<string, unknown> = {}) => ({
  agency: 'CA0410900',
  officer: 'Det. R. Moreno #4411',
  search: makeSearchInput(),
  ...overrides,
});
const codes = (input: Record<string, unknown>) => {
  const r = validateInquiry(input, NOW, find);
  return r.ok ? [] : r.problems.map((p) => `${p.field}:${p.code}`);
};

describe('validateInquiry (SH-04)', () => {
  it('accepts a registered California agency, an officer and a complete lawful search', () => {
    expect(validateInquiry(inquiry(), NOW, find)).toMatchObject({
      ok: true,
      value: {
        agency: { ori: 'CA0410900' },
        officer: 'Det. R. Moreno #4411',
        search: { crimeType: { code: 'robbery' } },
      },
    });
  });

  it('requires the agency, the officer, and crime type, case number and justification in the search', () => {
    expect(codes({ search: {} })).toEqual([
      'agency:missing',
      'officer:missing',
      'search.plate:missing',
      'search.from:missing',
      'search.to:missing',
      'search.crimeType:missing',
      'search.caseNumber:missing',
      'search.justification:missing',
    ]);
  });

  it('refuses an unregistered or ineligible agency', () => {
    expect(codes(inquiry({ agency: 'CA0999999' }))).toEqual(['agency:unknown_agency']);
    expect(codes(inquiry({ agency: 'CA0000001' }))).toEqual(['agency:ineligible_agency']);
    expect(codes(inquiry({ agency: 'NV0020000' }))).toEqual(['agency:out_of_state']);
  });

  it('screens the inquiry like a search and reports a prohibited purpose as prohibited', () => {
    const result = validateInquiry(
      inquiry({ search: makeSearchInput({ justification: 'locate for deportation hearing' }) }),
      NOW,
      find,
    );
    expect(result).toMatchObject({ ok: false, outcome: 'prohibited', screen: { category: 'immigration' } });
  });
});
