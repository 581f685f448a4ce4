import { describe, expect, it } from 'vitest';
import {
  approveGrant,
  checkRenewal,
  type Grant,
  grantState,
  isGrantActive,
  sharingDrift,
} from '../../../shared/access/grants.js';
import { DAY_MS } from '../../../shared/access/problems.js';
import { canAccessAgencyData, searchableAgencies, searchScope } from '../../../shared/access/search-scope.js';
import { NOW } from './factories.js';

const SJ = 'CA0431100';
const PA = 'CA0410900';
const SC = 'CA0430000';
const command = { username: 'cmdr.diaz', agency: SJ, role: 'command', status: 'active' as const };

const pending = (overrides: Partial<Grant> = {}): Grant => ({
  id: 'g1',
  ownerAgency: SJ,
  granteeAgency: PA,
  requestedBy: 'det.ext',
  requestedAt: NOW - 2 * DAY_MS,
  justification: 'joint carjacking task force, series of 12 cases on the 101 corridor',
  ...overrides,
});
const active = (overrides: Partial<Grant> = {}): Grant =>
  pending({ approvedBy: 'cmdr.diaz', approvedAt: NOW - DAY_MS, expiresAt: NOW + 89 * DAY_MS, ...overrides });

describe('grants (SH-03, SH-05)', () => {
  it('is not active before approval: activation before approval is impossible', () => {
    expect(grantState(pending(), NOW)).toBe('pending');
    expect(isGrantActive(pending({ expiresAt: NOW + DAY_MS }), NOW)).toBe(false);
  });

  it('is approved by command of the owning agency for 90 days', () => {
    const result = approveGrant(pending(), command, NOW);
    expect(result).toEqual({
      ok: true,
      value: { ...pending(), approvedBy: 'cmdr.diaz', approvedAt: NOW, expiresAt: NOW + 90 * DAY_MS },
    });
    if (result.ok) {
      expect(isGrantActive(result.value, NOW)).toBe(true);
      expect(isGrantActive(result.value, NOW + 90 * DAY_MS)).toBe(false);
      expect(grantState(result.value, NOW + 90 * DAY_MS)).toBe('expired');
    }
  });

  it('refuses approval by the requester, by a non-command role, or by another agency', () => {
    expect(approveGrant(pending({ requestedBy: 'cmdr.diaz' }), command, NOW)).toMatchObject({
      ok: false,
      problems: [{ code: 'self_approval' }],
    });
    expect(approveGrant(pending(), { ...command, role: 'supervisor' }, NOW)).toMatchObject({
      ok: false,
      problems: [{ code: 'approver_not_permitted' }],
    });
    expect(approveGrant(pending(), { ...command, agency: PA }, NOW)).toMatchObject({
      ok: false,
      problems: [{ code: 'wrong_agency' }],
    });
    expect(approveGrant(active(), command, NOW)).toMatchObject({
      ok: false,
      problems: [{ code: 'grant_active' }],
    });
  });

  it('treats a self-approved or back-dated grant as invalid, never active', () => {
    expect(grantState(active({ approvedBy: 'DET.EXT' }), NOW)).toBe('invalid');
    expect(grantState(active({ approvedAt: NOW - 3 * DAY_MS }), NOW)).toBe('invalid');
    expect(grantState(active({ expiresAt: null }), NOW)).toBe('invalid');
    expect(grantState(active({ granteeAgency: SJ }), NOW)).toBe('invalid');
  });

  it('ends at revocation and when the case closes', () => {
    expect(grantState(active({ revokedAt: NOW - 1 }), NOW)).toBe('revoked');
    expect(grantState(active({ caseClosedAt: NOW - 1 }), NOW)).toBe('expired');
    expect(grantState(active({ caseClosedAt: NOW + 1 }), NOW)).toBe('active');
  });

  it('renews only with a fresh justification, and never a revoked grant', () => {
    const g = active();
    expect(checkRenewal(g, 'task force still active: two new carjackings on 3/8 and 3/9', [], NOW)).toEqual({
      ok: true,
      value: true,
    });
    expect(checkRenewal(g, `  ${g.justification.toUpperCase()}. `, [], NOW)).toMatchObject({
      ok: false,
      problems: [{ field: 'justification', code: 'stale_justification' }],
    });
    expect(checkRenewal(g, 'an older reason', ['An older reason!'], NOW)).toMatchObject({ ok: false });
    expect(checkRenewal(active({ revokedAt: NOW - 1 }), 'new reason entirely', [], NOW)).toMatchObject({
      ok: false,
      problems: [{ code: 'grant_revoked' }],
    });
    const renewal = approveGrant(pending({ id: 'g2', renews: 'g1', justification: 'fresh' }), command, NOW);
    expect(renewal).toMatchObject({ ok: true, value: { expiresAt: NOW + 90 * DAY_MS } });
  });
});

describe('sharingDrift (SH-07)', () => {
  const share = (overrides = {}) => ({
    ownerAgency: SJ,
    granteeAgency: PA,
    grantId: 'g1',
    expiresAt: NOW + 89 * DAY_MS,
    ...overrides,
  });

  it('keeps a share that matches an active approved grant', () => {
    expect(sharingDrift([share()], [active()], NOW)).toEqual({ revoke: [], missing: [] });
  });

  it('revokes shares with no approval, an ended approval, a wider scope or a later expiry', () => {
    const drift = sharingDrift(
      [
        share({ grantId: null, granteeAgency: SC }),
        share({ grantId: 'g-expired' }),
        share({ grantId: 'g-pending' }),
        share({ grantId: 'g1', granteeAgency: SC }),
        share({ expiresAt: NOW + 365 * DAY_MS }),
        share({ grantId: 'g-self' }),
      ],
      [
        active(),
        active({ id: 'g-expired', expiresAt: NOW - 1 }),
        pending({ id: 'g-pending' }),
        active({ id: 'g-self', approvedBy: 'det.ext' }),
      ],
      NOW,
    );
    expect(drift.revoke.map((r) => r.reason)).toEqual([
      'not_approved',
      'expired',
      'pending',
      'scope_mismatch',
      'outlives_approval',
      'invalid',
    ]);
    expect(drift.missing.map((g) => g.id)).toEqual(['g1']);
  });

  it('revokes a share to an agency that is no longer eligible, and reports approved grants not applied', () => {
    const drift = sharingDrift(
      [share()],
      [active(), active({ id: 'g3', granteeAgency: SC })],
      NOW,
      (ori) => ori !== PA,
    );
    expect(drift.revoke).toEqual([{ share: share(), reason: 'ineligible_agency' }]);
    expect(drift.missing.map((g) => g.id)).toEqual(['g1', 'g3']);
  });
});

describe('search scope (Q-09, AC-02)', () => {
  const cameras = [
    { id: 'sj-1', agency: SJ },
    { id: 'sj-2', agency: SJ },
    { id: 'pa-1', agency: PA },
    { id: 'sc-1', agency: SC },
  ];

  it('covers the own agency plus agencies that granted access, nothing wider', () => {
    expect(searchableAgencies(PA, [active()], NOW)).toEqual([PA, SJ]);
    expect(searchableAgencies(PA, [pending(), active({ expiresAt: NOW - 1 })], NOW)).toEqual([PA]);
    expect(searchableAgencies(SJ, [active()], NOW)).toEqual([SJ]); // a grant is one-way
    expect(
      searchScope({ userAgency: PA, grants: [active()], cameras, requestedCameraIds: null, now: NOW }),
    ).toEqual({
      ok: true,
      value: { agencies: [PA, SJ], cameraIds: ['pa-1', 'sj-1', 'sj-2'] },
    });
  });

  it('refuses a named camera outside the scope with the same words as an unknown one', () => {
    const result = searchScope({
      userAgency: PA,
      grants: [active()],
      cameras,
      requestedCameraIds: ['sj-1', 'sc-1', 'nope'],
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) {
      expect(result.problems.map((p) => p.message)).toEqual([
        'unknown camera "sc-1" or not in your search scope',
        'unknown camera "nope" or not in your search scope',
      ]);
    }
  });

  it('shares reads only, never another agency’s records', () => {
    expect(canAccessAgencyData(PA, SJ, [active()], NOW, 'reads')).toBe(true);
    expect(canAccessAgencyData(PA, SJ, [active()], NOW, 'records')).toBe(false);
    expect(canAccessAgencyData(PA, SC, [active()], NOW, 'reads')).toBe(false);
    expect(canAccessAgencyData(SJ, SJ, [], NOW, 'records')).toBe(true);
  });
});
