import { describe, expect, it } from 'vitest';
import { CRIME_TYPES, findCrimeType } from '../../../shared/access/crime-types.js';
import { screenPurpose } from '../../../shared/access/purpose-screen.js';

describe('CRIME_TYPES (Q-02)', () => {
  it('has no entry mapped to 8 U.S.C., immigration, removal or any other immigration term', () => {
    const forbidden =
      /8\s*u\.?\s*s\.?\s*c|immigra|remov|deport|alien|visa|border|customs|\bice\b|\bero\b|\bhsi\b|\bcbp\b|overstay/i;
    for (const c of CRIME_TYPES) {
      expect(`${c.code} ${c.label} ${c.statutes.join(' ')}`).not.toMatch(forbidden);
    }
  });

  it('passes the prohibited-purpose screen, every code, label and statute', () => {
    for (const c of CRIME_TYPES) {
      expect(
        screenPurpose({ code: c.code.replace(/_/g, ' '), label: c.label, statutes: c.statutes.join(' ') })
          .blocked,
      ).toBe(false);
    }
  });

  it('cites only California codes (no federal statute at all)', () => {
    for (const c of CRIME_TYPES) {
      expect(c.statutes.length).toBeGreaterThan(0);
      for (const s of c.statutes) expect(s).toMatch(/^(PC|VC|HS|WIC) \d/);
    }
  });

  it('has unique lower-snake-case codes, found exactly', () => {
    const codes = CRIME_TYPES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(findCrimeType('robbery')?.statutes).toEqual(['PC 211']);
    expect(findCrimeType('Robbery')).toBeUndefined();
    expect(findCrimeType('immigration')).toBeUndefined();
  });
});
