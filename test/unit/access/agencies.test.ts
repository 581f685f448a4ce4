import { describe, expect, it } from 'vitest';
import { checkOri, validateAgency } from '../../../shared/access/agencies.js';

const agency = (overrides: Record<string, unknown> = {}) => ({
  name: 'San José Police Department',
  ori: 'CA0431100',
  type: 'local_le',
  state: 'CA',
  ...overrides,
});
const codes = (input: Record<string, unknown>) => {
  const r = validateAgency(input);
  return r.ok ? [] : r.problems.map((p) => `${p.field}:${p.code}`);
};

describe('validateAgency (SH-01)', () => {
  it('accepts California local and state law enforcement', () => {
    expect(validateAgency(agency())).toEqual({ ok: true, value: agency() });
    expect(
      validateAgency(
        agency({ name: 'California Highway Patrol', ori: 'ca0349400', type: 'state_le', state: 'ca' }),
      ),
    ).toEqual({
      ok: true,
      value: { name: 'California Highway Patrol', ori: 'CA0349400', type: 'state_le', state: 'CA' },
    });
    expect(validateAgency(agency({ name: 'National City Police Department' })).ok).toBe(true);
  });

  it('refuses a federal agency and says why', () => {
    const result = validateAgency(agency({ name: 'FBI San Francisco', type: 'federal' }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.map((p) => `${p.field}:${p.code}`)).toEqual(['name:federal', 'type:federal']);
      expect(result.problems[1]!.message).toMatch(
        /federal agencies may not receive ALPR data; Civil Code §1798\.90\.55\(b\) and SB 54/,
      );
    }
    expect(codes(agency({ federal: true }))).toEqual(['federal:federal']);
  });

  it('refuses immigration and federal names whatever the type claims', () => {
    expect(codes(agency({ name: 'ICE Enforcement and Removal Operations SF' }))).toEqual(['name:federal']);
    expect(codes(agency({ name: 'U.S. Marshals Service' }))).toEqual(['name:federal']);
    expect(codes(agency({ name: 'Homeland Security Task Force' }))).toEqual(['name:federal']);
    expect(codes(agency({ name: 'Customs and Border Protection' }))).toEqual(['name:federal']);
  });

  it('refuses out-of-state agencies, by state and by ORI', () => {
    expect(codes(agency({ state: 'NV' }))).toEqual(['state:out_of_state']);
    expect(codes(agency({ ori: 'NV0020000' }))).toEqual(['ori:out_of_state']);
  });

  it('refuses private entities and unknown types', () => {
    expect(codes(agency({ type: 'private' }))).toEqual(['type:private']);
    expect(codes(agency({ type: 'vendor' }))).toEqual(['type:private']);
    expect(codes(agency({ type: 'tribal' }))).toEqual(['type:bad_type']);
    expect(codes(agency({ type: undefined }))).toEqual(['type:missing']);
  });

  it('refuses unknown fields, so no flag can make an agency national', () => {
    expect(codes(agency({ national: true }))).toEqual(['national:unknown_field']);
    expect(codes(agency({ scope: 'statewide' }))).toEqual(['scope:unknown_field']);
  });
});

describe('checkOri', () => {
  it('wants 9 letters or digits starting with CA', () => {
    expect(checkOri(' ca0431100 ')).toEqual({ ok: true, value: 'CA0431100' });
    expect(checkOri('CA043110')).toMatchObject({ ok: false, problems: [{ code: 'bad_ori' }] });
    expect(checkOri('CA04311-0')).toMatchObject({ ok: false, problems: [{ code: 'bad_ori' }] });
    expect(checkOri('TX0431100')).toMatchObject({ ok: false, problems: [{ code: 'out_of_state' }] });
    expect(checkOri(undefined)).toMatchObject({ ok: false, problems: [{ code: 'missing' }] });
  });
});
