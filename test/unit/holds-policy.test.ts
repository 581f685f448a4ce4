import { describe, expect, it } from 'vitest';
import {
  type HoldRequestInput,
  normalisePlate,
  parseIsoTime,
  validateHoldRelease,
  validateHoldRequest,
} from '../../shared/policy/holds.js';
import { makeHoldRequest, T0 } from '../support/factories.js';

const rules = { maxCameraRangeHours: 24 };
const request = (overrides: Partial<HoldRequestInput> = {}): HoldRequestInput =>
  makeHoldRequest({
    reason: 'armed robbery; suspect vehicle seen northbound',
    readIds: ['12', '15'],
    ...overrides,
  });
const problems = (input: HoldRequestInput, now = T0) => {
  const result = validateHoldRequest(input, now, rules);
  if (result.ok) throw new Error('expected the request to be refused');
  return result.problems.map((p) => `${p.field}: ${p.message}`);
};

describe('validateHoldRequest', () => {
  it('accepts a complete request by read ids', () => {
    const result = validateHoldRequest(request({ readIds: ['12', '15', '12'] }), T0, rules);
    expect(result).toEqual({
      ok: true,
      value: {
        caseNumber: 'C-2026-0042',
        crimeType: 'PC211',
        reason: 'armed robbery; suspect vehicle seen northbound',
        requestedBy: 'det.alvarez',
        approvedBy: 'lt.chen',
        scope: { kind: 'reads', readIds: [12, 15] },
        reviewBy: null,
      },
    });
  });

  it('requires case number, crime type, reason, requester and approver, and lists every gap at once', () => {
    expect(
      problems({
        readIds: ['1'],
        caseNumber: ' ',
        crimeType: '',
        reason: undefined,
        requestedBy: '',
        approvedBy: '',
      }),
    ).toEqual([
      'case: case number is required',
      'crime-type: crime type is required',
      'reason: reason is required',
      'by: requester (--by) is required',
      'approved-by: approver is required',
    ]);
  });

  it('refuses a requester approving their own hold, whatever the letter case', () => {
    expect(problems(request({ approvedBy: 'Det.Alvarez' }))).toEqual([
      'approved-by: the approver must be a different person from the requester',
    ]);
  });

  it.each([
    ['a trailing space', 'det.alvarez', 'det.alvarez '],
    ['fullwidth letters', 'det.alvarez', 'ｄｅｔ.ａｌｖａｒｅｚ'],
    ['a whole-script Cyrillic look-alike', 'ape.kop', 'аре.кор'],
  ])('refuses self-approval disguised by %s', (_what, requestedBy, approvedBy) => {
    expect(problems(request({ requestedBy, approvedBy }))).toEqual([
      'approved-by: the approver must be a different person from the requester',
    ]);
  });

  it('refuses identities with invisible characters or mixed scripts, naming the field', () => {
    expect(problems(request({ approvedBy: 'lt.chen\u200b' }))).toEqual([
      'approved-by: approver contains an invisible or control character (U+200B)',
    ]);
    expect(problems(request({ requestedBy: 'dеt.alvarez' }))).toEqual([
      'by: requester (--by) mixes scripts (Cyrillic and Latin): letters from one script only',
    ]);
  });

  it('stores identities normalised (what the schema compares)', () => {
    const result = validateHoldRequest(
      request({ requestedBy: ' Det.Alvarez', approvedBy: 'LT.CHEN ' }),
      T0,
      rules,
    );
    expect(result.ok && [result.value.requestedBy, result.value.approvedBy]).toEqual([
      'det.alvarez',
      'lt.chen',
    ]);
  });

  it('needs exactly one scope', () => {
    expect(problems(request({ readIds: undefined }))[0]).toMatch(/^scope: a hold needs a scope/);
    expect(problems(request({ cameraId: 'cam-1' }))[0]).toMatch(/^scope: give either --read IDs or --camera/);
    expect(problems(request({ readIds: ['x1', '0'] }))).toEqual([
      'read: "x1" is not a read id',
      'read: "0" is not a read id',
    ]);
  });

  it('accepts a camera range with a plate, normalised, and returns times in ms', () => {
    const result = validateHoldRequest(
      request({
        readIds: undefined,
        cameraId: 'main-st-nb',
        from: '2026-02-20T10:00:00Z',
        to: '2026-02-27T10:00:00+02:00',
        plate: '7abc 123',
      }),
      T0,
      rules,
    );
    expect(result.ok && result.value.scope).toEqual({
      kind: 'camera',
      cameraId: 'main-st-nb',
      from: Date.UTC(2026, 1, 20, 10),
      to: Date.UTC(2026, 1, 27, 8),
      plate: '7ABC123',
    });
  });

  it('refuses a camera range that is backwards, in the future, or a blanket hold longer than the limit', () => {
    const camera = (from: string, to: string, plate?: string) =>
      request({ readIds: undefined, cameraId: 'cam-1', from, to, plate });
    expect(problems(camera('2026-02-28T12:00:00Z', '2026-02-28T11:00:00Z'))).toEqual([
      'to: must be after --from',
    ]);
    expect(problems(camera('2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z'))).toEqual([
      'from: is in the future: a hold covers reads that exist',
    ]);
    expect(problems(camera('2026-02-20', '2026-02-28'))).toEqual([
      'to: a camera hold without --plate may span at most 24 h (retention.holdMaxCameraRangeHours)',
    ]);
    expect(validateHoldRequest(camera('2026-02-20', '2026-02-28', '7ABC123'), T0, rules).ok).toBe(true);
  });

  it('requires --from and --to with --camera and names unparseable times', () => {
    expect(problems(request({ readIds: undefined, cameraId: 'cam-1', from: '2026-02-28 10:00' }))).toEqual([
      'from: "2026-02-28 10:00" is not an ISO 8601 date (2026-03-01) or date-time with a zone (2026-03-01T10:00:00Z, …+02:00)',
      'to: --to is required with --camera',
    ]);
  });

  it('wants a review date in the future', () => {
    expect(problems(request({ reviewBy: '2026-02-01' }))).toEqual(['review-by: must be in the future']);
    const ok = validateHoldRequest(request({ reviewBy: '2026-06-01' }), T0, rules);
    expect(ok.ok && ok.value.reviewBy).toBe(Date.UTC(2026, 5, 1));
  });
});

describe('parseIsoTime', () => {
  it('takes a date as UTC midnight and a zoned date-time as given', () => {
    expect(parseIsoTime('2026-03-01')).toEqual({ ok: true, value: Date.UTC(2026, 2, 1) });
    expect(parseIsoTime('2026-03-01T10:30:00.250-05:00')).toEqual({
      ok: true,
      value: Date.UTC(2026, 2, 1, 15, 30, 0, 250),
    });
  });

  it('refuses a date-time without a zone and dates that do not exist', () => {
    expect(parseIsoTime('2026-03-01T10:00:00').ok).toBe(false);
    expect(parseIsoTime('2026-02-30')).toEqual({ ok: false, message: '"2026-02-30" is not a real date' });
    expect(parseIsoTime('yesterday').ok).toBe(false);
  });
});

describe('normalisePlate', () => {
  it('upper-cases and drops spaces and dashes', () => {
    expect(normalisePlate(' 7abc-123 ')).toBe('7ABC123');
  });
});

describe('validateHoldRelease', () => {
  it('requires who and why', () => {
    expect(validateHoldRelease({ releasedBy: 'lt.chen', reason: 'case closed' })).toEqual({
      ok: true,
      value: { releasedBy: 'lt.chen', reason: 'case closed' },
    });
    const refused = validateHoldRelease({ releasedBy: '', reason: ' ' });
    expect(refused.ok ? [] : refused.problems.map((p) => p.field)).toEqual(['by', 'reason']);
  });
});
