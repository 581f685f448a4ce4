import { describe, expect, it } from 'vitest';
import { exportRequirement, exportWatermark } from '../../../shared/access/exports.js';
import { vagueReasonRates } from '../../../shared/access/justification.js';

describe('exportRequirement (Q-07, SH-09)', () => {
  it('needs approval for every file export, and for on-screen results over the bulk threshold', () => {
    expect(exportRequirement({ format: 'csv', rows: 1 })).toEqual({
      allowed: true,
      needsApproval: true,
      reason: 'file_export',
    });
    expect(exportRequirement({ format: 'images', rows: 1 })).toMatchObject({ needsApproval: true });
    expect(exportRequirement({ format: 'view', rows: 100 })).toEqual({
      allowed: true,
      needsApproval: false,
      reason: 'small_view',
    });
    expect(exportRequirement({ format: 'view', rows: 101 })).toEqual({
      allowed: true,
      needsApproval: true,
      reason: 'bulk',
    });
  });

  it('caps every export, approved or not, and knows no other format (no bulk sale feed)', () => {
    expect(exportRequirement({ format: 'csv', rows: 5001 })).toMatchObject({
      allowed: false,
      reason: 'over_cap',
    });
    expect(
      exportRequirement({ format: 'csv', rows: 50 }, { approvalAboveRows: 10, maxRows: 20 }),
    ).toMatchObject({ allowed: false });
    expect(exportRequirement({ format: 'bulk_feed', rows: 1 })).toMatchObject({
      allowed: false,
      reason: 'bad_format',
    });
    expect(exportRequirement({ format: 'csv', rows: -1 })).toMatchObject({ allowed: false });
  });

  it('watermarks with user, agency, case and time, stripping control characters', () => {
    expect(
      exportWatermark({ username: 'det.alvarez\r\n', agency: 'CA0431100', caseNumber: '26-000123', at: 0 }),
    ).toBe(
      'Exported by det.alvarez (CA0431100) for case 26-000123 at 1970-01-01T00:00:00.000Z. ' +
        'Restricted ALPR data: for the stated case only; no sale; sharing only with California law enforcement.',
    );
  });
});

describe('vagueReasonRates (Q-05 metrics)', () => {
  it('gives per-user and per-agency rates of generic-only justifications, worst first', () => {
    const rates = vagueReasonRates([
      { username: 'det.a', agency: 'CA0431100', generic: true },
      { username: 'det.a', agency: 'CA0431100', generic: false },
      { username: 'det.b', agency: 'CA0431100', generic: false },
      { username: 'det.c', agency: 'CA0410900', generic: true },
    ]);
    expect(rates.byUser).toEqual([
      { key: 'det.c', attempts: 1, generic: 1, rate: 1 },
      { key: 'det.a', attempts: 2, generic: 1, rate: 0.5 },
      { key: 'det.b', attempts: 1, generic: 0, rate: 0 },
    ]);
    expect(rates.byAgency).toEqual([
      { key: 'CA0410900', attempts: 1, generic: 1, rate: 1 },
      { key: 'CA0431100', attempts: 3, generic: 1, rate: 0.333 },
    ]);
  });
});
