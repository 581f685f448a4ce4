import { describe, expect, it } from 'vitest';
import { DEFAULT_COMPILED_LEXICON } from '../../../shared/access/lexicon-default.js';
import { DAY_MS } from '../../../shared/access/problems.js';
import { checkTimeRange } from '../../../shared/access/search-fields.js';
import { DEFAULT_SEARCH_RULES, validateSearchRequest } from '../../../shared/access/search-request.js';
import { makeSearchInput, NOW } from './factories.js';

const validate = (overrides: Record<string, unknown> = {}, rules = DEFAULT_SEARCH_RULES) =>
  validateSearchRequest(makeSearchInput(overrides), NOW, rules);
const fields = (overrides: Record<string, unknown>, rules = DEFAULT_SEARCH_RULES) => {
  const r = validate(overrides, rules);
  if (r.ok) throw new Error('expected a refusal');
  return r.problems.map((p) => `${p.field}:${p.code}`);
};

describe('validateSearchRequest (Q-01)', () => {
  it('accepts a complete lawful search and returns it normalised', () => {
    const result = validate({ cameras: ['cam-1', 'cam-2', 'cam-1'] });
    expect(result).toMatchObject({
      ok: true,
      value: {
        plate: { kind: 'exact', plate: '7ABC123' },
        from: Date.parse('2026-03-01T00:00:00Z'),
        to: Date.parse('2026-03-02T00:00:00Z'),
        cameraIds: ['cam-1', 'cam-2'],
        area: null,
        crimeType: { code: 'robbery' },
        caseNumber: '26-000123',
        flags: { partialPlate: false },
        lexiconVersion: DEFAULT_COMPILED_LEXICON.version,
      },
    });
  });

  it('requires crime type, case number and justification, listing every gap at once', () => {
    expect(fields({ crimeType: undefined, caseNumber: '', justification: undefined })).toEqual([
      'crimeType:missing',
      'caseNumber:missing',
      'justification:missing',
    ]);
  });

  it('refuses a crime type that is not listed (Q-02: there is no immigration offence to pick)', () => {
    expect(fields({ crimeType: 'civil_immigration' })).toEqual(['crimeType:unknown_crime_type']);
    expect(fields({ crimeType: '8 USC 1325' })).toEqual(['crimeType:unknown_crime_type']);
  });

  it('checks the case number against the configured format', () => {
    expect(fields({ caseNumber: '2026-123' })).toEqual(['caseNumber:bad_case_number']);
    const rules = {
      ...DEFAULT_SEARCH_RULES,
      caseNumberPattern: /^SJ\d{8}$/,
      caseNumberExample: 'SJ26000123',
    };
    expect(validate({ caseNumber: 'SJ26000123' }, rules).ok).toBe(true);
    const refused = validate({}, rules);
    expect(refused).toMatchObject({
      ok: false,
      problems: [{ field: 'caseNumber', message: expect.stringContaining('SJ26000123') }],
    });
  });

  it('refuses a generic-only justification (Q-05)', () => {
    expect(fields({ justification: 'investigation investigation investigation' })).toEqual([
      'justification:generic_justification',
    ]);
  });

  it('flags a partial plate (Q-08)', () => {
    expect(validate({ plate: '7AB*' })).toMatchObject({ ok: true, value: { flags: { partialPlate: true } } });
  });

  it('accepts an area polygon and refuses a broken one with the geofence path', () => {
    const ring = [
      [-121.89, 37.33],
      [-121.88, 37.33],
      [-121.88, 37.34],
      [-121.89, 37.33],
    ];
    expect(validate({ area: { type: 'Polygon', coordinates: [ring] } })).toMatchObject({
      ok: true,
      value: { area: [ring] },
    });
    expect(fields({ area: { type: 'Point', coordinates: [0, 0] } })).toEqual(['area:bad_area']);
    expect(
      fields({
        area: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 1],
            ],
          ],
        },
      })[0],
    ).toMatch(/^area\.coordinates\[0\]:bad_area$/);
  });

  it('refuses malformed camera lists', () => {
    expect(fields({ cameras: [] })).toEqual(['cameras:bad_cameras']);
    expect(fields({ cameras: ['ok', '../etc'] })).toEqual(['cameras[1]:bad_camera_id']);
    expect(fields({ cameras: Array.from({ length: 101 }, (_, i) => `c${i}`) })).toEqual([
      'cameras:too_many_cameras',
    ]);
  });

  it('refuses fields of the wrong type', () => {
    expect(fields({ justification: 42 })).toEqual(['justification:bad_type']);
    expect(fields({ crimeType: ['robbery'] })).toEqual(['crimeType:bad_type']);
    expect(validateSearchRequest('plate=7ABC123', NOW)).toMatchObject({ ok: false, outcome: 'invalid' });
  });
});

describe('validateSearchRequest: no parameter widens scope (Q-09)', () => {
  it.each([
    'agency',
    'agencies',
    'scope',
    'statewide',
    'national',
    'allAgencies',
    'ori',
    'federal',
    'shareWith',
  ])('refuses a %j field', (key) => {
    expect(fields({ [key]: true })).toEqual([`${key}:unknown_field`]);
  });
});

describe('validateSearchRequest: prohibited purposes (Q-03, SH-08)', () => {
  it('reports a prohibited purpose as prohibited, with the screen, ahead of other problems', () => {
    const result = validate({ justification: 'locate for I.C.E. removal', caseNumber: 'bad' });
    expect(result).toMatchObject({
      ok: false,
      outcome: 'prohibited',
      screen: { category: 'immigration', term: 'removal', field: 'justification' },
      lexiconVersion: DEFAULT_COMPILED_LEXICON.version,
    });
    if (!result.ok) {
      expect(result.problems[0]).toMatchObject({ field: 'justification', code: 'prohibited_purpose' });
      expect(result.problems.map((p) => p.field)).toContain('caseNumber');
    }
  });

  it('screens the case number field too', () => {
    expect(validate({ caseNumber: 'ICE-000123' })).toMatchObject({
      outcome: 'prohibited',
      screen: { field: 'caseNumber' },
    });
  });

  it('blocks a short prohibited justification as prohibited, not merely as too short', () => {
    expect(validate({ justification: 'deport' })).toMatchObject({ outcome: 'prohibited' });
  });
});

describe('checkTimeRange (RET-02 at the query: only within retention)', () => {
  const range = (from: unknown, to: unknown, days = 30) => {
    const problems: { field: string; code?: string }[] = [];
    const value = checkTimeRange(from, to, NOW, days, problems as never);
    return { value, codes: problems.map((p) => `${p.field}:${p.code}`) };
  };

  it('accepts ISO times with a zone and ms since epoch', () => {
    expect(range('2026-03-01T00:00:00Z', NOW).value).toEqual({
      from: Date.parse('2026-03-01T00:00:00Z'),
      to: NOW,
    });
  });

  it('refuses a start before the retention cutoff instead of silently narrowing it', () => {
    expect(range(NOW - 30 * DAY_MS - 1, NOW).codes).toEqual(['from:out_of_retention']);
    expect(range(NOW - 30 * DAY_MS, NOW).codes).toEqual([]);
    expect(range(NOW - 8 * DAY_MS, NOW, 7).codes).toEqual(['from:out_of_retention']);
  });

  it('caps retention at the policy 30 days whatever is passed', () => {
    expect(range(NOW - 31 * DAY_MS, NOW, 365).codes).toEqual(['from:out_of_retention']);
  });

  it('refuses an empty or reversed range, a future end and times without a zone', () => {
    expect(range(NOW - 1000, NOW - 1000).codes).toEqual(['to:bad_range']);
    expect(range(NOW - 1000, NOW + 1).codes).toEqual(['to:future']);
    expect(range('2026-03-01T00:00:00', NOW).codes).toEqual(['from:bad_time']);
    expect(range(undefined, NOW).codes).toEqual(['from:missing']);
    expect(range(1.5, NOW).codes).toEqual(['from:bad_time']);
  });
});
