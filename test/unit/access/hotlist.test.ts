import { describe, expect, it } from 'vitest';
import {
  checkHotlistSource,
  DEFAULT_HOTLIST_RULES,
  hotlistFreshness,
  isHotlistEntryActive,
  validateHotlistEntry,
} from '../../../shared/access/hotlist.js';
import { DAY_MS, HOUR_MS } from '../../../shared/access/problems.js';
import { NOW } from './factories.js';

const entry = (overrides: Record<string, unknown> = {}) => ({
  plate: '7abc-123',
  reason: 'vehicle taken in a carjacking at gunpoint',
  caseNumber: '26-000123',
  source: 'agency_case',
  expiresAt: NOW + 10 * DAY_MS,
  ...overrides,
});
const codes = (input: Record<string, unknown>, rules = DEFAULT_HOTLIST_RULES) => {
  const r = validateHotlistEntry(input, NOW, rules);
  return r.ok ? [] : r.problems.map((p) => `${p.field}:${p.code}`);
};

describe('validateHotlistEntry (RET-09)', () => {
  it('accepts a complete entry with a normalised, folded plate', () => {
    expect(validateHotlistEntry(entry({ plate: '7OIL123' }), NOW)).toEqual({
      ok: true,
      value: {
        plate: '7OIL123',
        folded: '701L123',
        reason: 'vehicle taken in a carjacking at gunpoint',
        caseNumber: '26-000123',
        source: 'agency_case',
        expiresAt: NOW + 10 * DAY_MS,
      },
    });
  });

  it('requires plate, reason, case number, source and expiry', () => {
    expect(codes({})).toEqual([
      'plate:missing',
      'reason:missing',
      'caseNumber:missing',
      'source:missing',
      'expiresAt:missing',
    ]);
  });

  it('limits expiry to 30 days by default, and to the configured maximum', () => {
    expect(codes(entry({ expiresAt: NOW + 30 * DAY_MS }))).toEqual([]);
    expect(codes(entry({ expiresAt: NOW + 30 * DAY_MS + 1 }))).toEqual(['expiresAt:expiry_too_far']);
    expect(codes(entry({ expiresAt: NOW }))).toEqual(['expiresAt:expired']);
    expect(
      codes(entry({ expiresAt: NOW + 8 * DAY_MS }), { ...DEFAULT_HOTLIST_RULES, maxEntryDays: 7 }),
    ).toEqual(['expiresAt:expiry_too_far']);
    expect(codes(entry({ expiresAt: '2026-03-20T00:00:00Z' }))).toEqual([]);
  });

  it('refuses partial plates', () => {
    expect(codes(entry({ plate: '7AB*' }))).toEqual(['plate:partial_plate']);
  });

  it('refuses a reason or case number that names a prohibited purpose, as prohibited', () => {
    expect(validateHotlistEntry(entry({ reason: 'ICE detainer, locate for removal' }), NOW)).toMatchObject({
      ok: false,
      outcome: 'prohibited',
      screen: { category: 'immigration' },
    });
    expect(
      validateHotlistEntry(entry({ reason: 'regular at the planned parenthood clinic' }), NOW),
    ).toMatchObject({
      outcome: 'prohibited',
      screen: { category: 'reproductive_health' },
    });
    expect(validateHotlistEntry(entry({ caseNumber: 'HSI-2026-14' }), NOW)).toMatchObject({
      outcome: 'prohibited',
    });
  });
});

describe('hotlist sources (HIT-05)', () => {
  it('refuses a source that is not allowlisted', () => {
    expect(codes(entry({ source: 'vendor_feed' }))).toEqual(['source:source_not_allowed']);
  });

  it.each([
    'ncic_immigration_violator_file',
    'ncic_ivf',
    'ice_eros',
    'ice_priority_list',
    'hsi_targets',
    'dhs_watchlist',
    'cbp_lookouts',
    'deportation_targets',
    'uscis_referrals',
  ])('refuses the immigration source %j even when a config allowlists it', (source) => {
    expect(checkHotlistSource(source)).toMatchObject({
      ok: false,
      problems: [{ code: 'immigration_source' }],
    });
    expect(codes(entry({ source }), { ...DEFAULT_HOTLIST_RULES, sources: [source] })).toEqual([
      'source:immigration_source',
    ]);
  });

  it('accepts every default source and ordinary ids that merely contain similar letters', () => {
    for (const s of DEFAULT_HOTLIST_RULES.sources) expect(checkHotlistSource(s).ok).toBe(true);
    expect(checkHotlistSource('police_bolo').ok).toBe(true);
    expect(checkHotlistSource('notice_list').ok).toBe(true);
    expect(checkHotlistSource('Bad Id').ok).toBe(false);
  });
});

describe('expiry and freshness (RET-09, HIT-04)', () => {
  it('stops an expired entry from matching', () => {
    expect(isHotlistEntryActive({ expiresAt: NOW + 1 }, NOW)).toBe(true);
    expect(isHotlistEntryActive({ expiresAt: NOW }, NOW)).toBe(false);
  });

  it('calls a list stale after 24 hours, or when never refreshed, or refreshed in the future', () => {
    expect(hotlistFreshness(NOW - 23 * HOUR_MS, NOW)).toEqual({ stale: false, ageHours: 23 });
    expect(hotlistFreshness(NOW - 25 * HOUR_MS, NOW)).toEqual({ stale: true, ageHours: 25 });
    expect(hotlistFreshness(null, NOW)).toEqual({ stale: true, ageHours: null });
    expect(hotlistFreshness(NOW + HOUR_MS, NOW)).toEqual({ stale: true, ageHours: null });
  });
});
