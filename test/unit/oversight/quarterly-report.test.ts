// CMP-02: the report's sections, internal and external apart; and its result (CMP-03, AUD-04).
import { describe, expect, it } from 'vitest';
import { accessSections } from '../../../shared/oversight/access-sections.js';
import {
  buildQuarterlyReport,
  quarterOf,
  type ReportInputs,
} from '../../../shared/oversight/quarterly-report.js';
import { storageCost } from '../../../shared/oversight/storage-cost.js';
import { DAY_MS } from '../../../shared/runtime/clock.js';
import { entry, HOME, OTHER, search } from './oversight-factories.js';

const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2026, 3, 1);
const CASE = /^\d{2}-\d{6}$/;

function inputs(overrides: Partial<ReportInputs> = {}): ReportInputs {
  return {
    now: TO + 60_000,
    from: FROM,
    to: TO,
    retentionDays: 30,
    homeOri: HOME,
    caseNumberPattern: CASE,
    accountRules: { inactiveDays: 90, trainingValidDays: 730 },
    entries: [],
    holds: [],
    cameras: [],
    retention: { hub: { oldestUnheldCapturedAt: null, runs: [] }, edges: [] },
    chains: [{ chain: 'hub', ok: true, rows: 10, headsChecked: 1, latestSeq: 10, reason: null }],
    storage: storageCost({
      readsStored: 0,
      readsBytes: 0,
      readsInWindow: 0,
      windowDays: 30,
      retentionDays: 30,
      usdPerGbMonth: 0.1,
    }),
    hits: [],
    unverifiedReportHours: 4,
    ...overrides,
  };
}

describe('accessSections (CMP-02, Q-05, Q-08)', () => {
  const t = FROM + DAY_MS;
  const entries = [
    search(t),
    search(t, { caseNumber: 'bogus' }),
    search(t, { kind: 'search.refused', category: 'generic_justification', user: 'det.b' }),
    search(t, { kind: 'search.blocked', category: 'immigration', user: 'det.b' }),
    search(t, { plate: '7AB*', mode: 'partial' }),
    search(t, { agency: OTHER, origin: 'external', role: 'investigator', user: 'ext.c' }),
    search(t, {
      agency: OTHER,
      origin: 'external',
      kind: 'search.blocked',
      category: 'reproductive_health',
      user: 'ext.c',
    }),
    entry(t, 'inquiry.submitted'),
    entry(t, 'inquiry.approved'),
    entry(t, 'grant.changed', {}, 'cmdr.d'),
    entry(t, 'grant.drift', {}, 'hub:drift'),
    entry(t, 'export.requested'),
  ];
  const s = accessSections(entries, { caseNumberPattern: CASE, homeOri: HOME });

  it('counts internal and external access separately, by outcome and category', () => {
    expect(s.internal).toMatchObject({ attempts: 5, allowed: 3, refused: 1, blocked: 1, partialPlate: 1 });
    expect(s.internal.blockedByCategory).toEqual({ immigration: 1 });
    expect(s.external).toMatchObject({ attempts: 2, allowed: 1, blocked: 1 });
    expect(s.external.blockedByCategory).toEqual({ reproductive_health: 1 });
    expect(s.external.byAgencyRole).toEqual([
      { agency: OTHER, role: 'investigator', attempts: 2, allowed: 1 },
    ]);
  });

  it('gives the share of allowed searches with a case number in the configured format', () => {
    expect(s.internal.validCaseNumbers).toBe(2);
    expect(s.internal.validCaseNumberShare).toBeCloseTo(0.667, 3);
  });

  it('rates generic justifications per user and agency, not counting blocked attempts', () => {
    expect(s.internal.genericRates.byUser.find((r) => r.key === 'det.b')).toMatchObject({
      attempts: 1,
      generic: 1,
      rate: 1,
    });
    expect(s.internal.genericRates.byAgency[0]).toMatchObject({ key: HOME, attempts: 4, generic: 1 });
  });

  it('counts inquiries, sharing changes, drift and exports', () => {
    expect(s.inquiries).toEqual({ submitted: 1, approved: 1, denied: 0, refused: 0 });
    expect(s.sharing).toMatchObject({ changes: 1, drift: 1 });
    expect(s.exports.requested).toBe(1);
  });
});

describe('sharing counts read the outcome the sharing services write, not the kind alone', () => {
  const t = FROM + DAY_MS;
  // As hub/sharing/* writes them: every attempt under the kind of the action asked for.
  const s = accessSections(
    [
      entry(t, 'inquiry.submitted', { outcome: 'pending' }),
      entry(t, 'inquiry.submitted', { outcome: 'refused', category: 'missing_fields' }),
      entry(t, 'inquiry.submitted', { outcome: 'blocked', category: 'immigration' }),
      entry(t, 'inquiry.approved', { outcome: 'refused', category: 'self_approval' }),
      entry(t, 'inquiry.approved', { outcome: 'approved' }),
      entry(t, 'inquiry.denied', { outcome: 'denied' }),
      entry(t, 'grant.changed', { outcome: 'approved', category: 'created' }),
      entry(t, 'grant.changed', { outcome: 'refused', category: 'wrong_agency' }),
      entry(t, 'grant.changed', { outcome: 'ok', category: 'revoked' }),
      entry(t, 'export.requested', { outcome: 'pending' }),
      entry(t, 'export.requested', { outcome: 'blocked' }),
      entry(t, 'export.approved', { outcome: 'denied' }),
      entry(t, 'export.approved', { outcome: 'approved' }),
      entry(t, 'export.approved', { outcome: 'refused' }),
      entry(t, 'export.downloaded', { outcome: 'ok' }),
    ],
    { caseNumberPattern: CASE, homeOri: HOME },
  );
  it('does not count a refused or blocked attempt as a submission, approval or change', () => {
    expect(s.inquiries).toEqual({ submitted: 1, approved: 1, denied: 1, refused: 3 });
    expect(s.sharing).toMatchObject({ changes: 2, refused: 1 });
    expect(s.sharing.entries.map((e) => e.category)).toEqual(['created', 'revoked']);
    expect(s.exports).toEqual({ requested: 1, approved: 1, denied: 1, downloaded: 1, refused: 2 });
  });
});

describe('buildQuarterlyReport', () => {
  it('reports hotlist hits: confirmed, rejected, and those unverified past unverifiedReportHours (HIT-03)', () => {
    const hit = (createdAt: number, state: 'unverified' | 'confirmed' | 'rejected') => ({
      createdAt,
      state,
      disposition: state === 'confirmed' ? 'arrest' : null,
      rejectionReason: state === 'rejected' ? 'misread' : null,
    });
    const r = buildQuarterlyReport(
      inputs({
        hits: [
          hit(FROM - DAY_MS, 'unverified'), // before the period, still waiting: overdue
          hit(FROM + DAY_MS, 'confirmed'),
          hit(FROM + DAY_MS, 'rejected'),
          hit(FROM + 2 * DAY_MS, 'unverified'),
          hit(TO - 3_600_000, 'unverified'), // one hour before the end: not yet overdue
        ],
      }),
    );
    expect(r.hotlistHits).toEqual({
      created: 4,
      confirmed: 1,
      rejected: 1,
      unverified: 2,
      unverifiedOverdue: 2,
      unverifiedReportHours: 4,
      byDisposition: { arrest: 1 },
      byRejectionReason: { misread: 1 },
    });
    expect(buildQuarterlyReport(inputs({ unverifiedReportHours: 1 })).hotlistHits.unverifiedOverdue).toBe(0);
  });

  it('passes with clean retention and verified chains, and counts holds outstanding and overdue (RET-06)', () => {
    const r = buildQuarterlyReport(
      inputs({
        holds: [
          { id: 1, createdAt: FROM + DAY_MS, reviewBy: FROM + 10 * DAY_MS, releasedAt: null },
          { id: 2, createdAt: FROM + DAY_MS, reviewBy: TO + 90 * DAY_MS, releasedAt: null },
          { id: 3, createdAt: FROM - DAY_MS, reviewBy: null, releasedAt: FROM + 2 * DAY_MS },
        ],
      }),
    );
    expect(r.result).toBe('PASSED');
    expect(r.holds).toEqual({ opened: 2, released: 1, outstanding: 2, overdueForReview: 1, overdueIds: [1] });
  });

  it('FAILS when retention fails (CMP-03) and when a chain does not verify (AUD-04)', () => {
    const old = buildQuarterlyReport(
      inputs({ retention: { hub: { oldestUnheldCapturedAt: TO - 31 * DAY_MS, runs: [] }, edges: [] } }),
    );
    expect(old.result).toBe('FAILED');
    expect(old.failures[0]).toMatch(/CMP-03/);
    const chain = buildQuarterlyReport(
      inputs({
        chains: [
          {
            chain: 'edge-01',
            ok: false,
            rows: null,
            headsChecked: 0,
            latestSeq: null,
            reason: 'no signed head',
          },
        ],
      }),
    );
    expect(chain.result).toBe('FAILED');
    expect(chain.failures[0]).toMatch(/AUD-04.*edge-01/);
  });

  it('lists accounts inactive for 90 days or without current training (AC-04, AC-05)', () => {
    const r = buildQuarterlyReport(
      inputs({
        entries: [
          entry(
            FROM - 200 * DAY_MS,
            'user.created',
            { detail: { username: 'det.old', trainingCompletedAt: FROM - 200 * DAY_MS } },
            'admin',
          ),
          entry(FROM - 10 * DAY_MS, 'user.created', { detail: { username: 'det.new' } }, 'admin'),
          entry(TO - DAY_MS, 'login.succeeded', {}, 'det.new'),
        ],
      }),
    );
    expect(r.accounts.inactive).toEqual(['det.old']);
    expect(r.accounts.withoutCurrentTraining).toEqual(['det.new']);
  });

  it('reads accounts in the shape the accounts feature writes (detail.target, training change)', () => {
    const target = { id: 7, username: 'det.kay', role: 'investigator', agency: HOME };
    const r = buildQuarterlyReport(
      inputs({
        entries: [
          entry(TO - 30 * DAY_MS, 'user.created', { detail: { target } }, 'admin.lee'),
          entry(
            TO - 29 * DAY_MS,
            'user.changed',
            { detail: { target, change: 'training', trainingCompletedAt: '2026-02-01' } },
            'sup.moe',
          ),
          entry(TO - DAY_MS, 'login.succeeded', {}, 'det.kay'),
        ],
      }),
    );
    expect(r.accounts.rows.map((a) => a.username)).toEqual(['det.kay']);
    expect(r.accounts.rows[0]).toMatchObject({ agency: HOME, inactive: false, trainingCurrent: true });
  });

  it('charts searches per week by agency', () => {
    const r = buildQuarterlyReport(
      inputs({ entries: [search(Date.UTC(2026, 0, 7)), search(Date.UTC(2026, 0, 8), { agency: OTHER })] }),
    );
    expect(r.searchesPerWeek).toEqual([
      { week: '2026-01-05', agency: HOME, searches: 1 },
      { week: '2026-01-05', agency: OTHER, searches: 1 },
    ]);
  });

  it('knows the quarter of a time', () => {
    expect(quarterOf(Date.UTC(2026, 4, 10))).toEqual({
      from: Date.UTC(2026, 3, 1),
      to: Date.UTC(2026, 6, 1),
    });
  });
});

describe('storageCost', () => {
  it('derives bytes per read, reads per day and the saving of 30 days against a year, never NaN', () => {
    const c = storageCost({
      readsStored: 1000,
      readsBytes: 400_000,
      readsInWindow: 3000,
      windowDays: 30,
      retentionDays: 30,
      usdPerGbMonth: 0.1,
    });
    expect(c).toMatchObject({
      bytesPerRead: 400,
      readsPerDay: 100,
      retainedBytes: 1_200_000,
      yearBytes: 14_600_000,
      savedBytes: 13_400_000,
    });
    expect(c.savedShare).toBeCloseTo(0.918, 3);
    const empty = storageCost({
      readsStored: 0,
      readsBytes: 0,
      readsInWindow: 0,
      windowDays: 30,
      retentionDays: 30,
      usdPerGbMonth: 0.1,
    });
    expect(empty.bytesPerRead).toBeNull();
    expect(Object.values(empty).some((v) => typeof v === 'number' && !Number.isFinite(v))).toBe(false);
  });
});
