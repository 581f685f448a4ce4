import { describe, expect, it } from 'vitest';
import { type ApprovalInput, checkApproval, samePerson } from '../../../shared/access/approvals.js';

const SJ = 'CA0431100';
const OTHER = 'CA0010000';
const approval = (
  overrides: Partial<ApprovalInput> = {},
  approver: Partial<ApprovalInput['approver']> = {},
) =>
  checkApproval({
    kind: 'hold',
    requester: { username: 'det.alvarez', agency: SJ },
    ...overrides,
    approver: { username: 'lt.chen', agency: SJ, role: 'supervisor', status: 'active', ...approver },
  });
const codes = (r: ReturnType<typeof checkApproval>) => (r.ok ? [] : r.problems.map((p) => p.code));

describe('checkApproval (AC-03, SH-03)', () => {
  it('lets a supervisor of the same agency approve a hold or an export', () => {
    expect(approval()).toEqual({ ok: true, value: { approvedBy: 'lt.chen', permission: 'hold.approve' } });
    expect(approval({ kind: 'export' }).ok).toBe(true);
  });

  it.each([
    ['det.alvarez'],
    ['DET.ALVAREZ'],
    [' det.alvarez '],
    ['det.alvarez\u200b'],
    ['det.\u0430lvarez'], // Cyrillic а
    ['ｄｅｔ.ａｌｖａｒｅｚ'],
  ])('refuses %j approving their own request', (username) => {
    expect(codes(approval({}, { username, role: 'supervisor' }))).toContain('self_approval');
  });

  it('refuses an approver without the approving permission', () => {
    expect(codes(approval({}, { role: 'investigator' }))).toEqual(['approver_not_permitted']);
    expect(codes(approval({ kind: 'sensitive_search' }, { role: 'supervisor' }))).toEqual([
      'approver_not_permitted',
    ]);
    expect(codes(approval({}, { role: 'admin' }))).toEqual(['approver_not_permitted']);
  });

  it('refuses a disabled approver and one from another agency', () => {
    expect(codes(approval({}, { status: 'disabled' }))).toEqual(['approver_inactive']);
    expect(codes(approval({}, { agency: OTHER }))).toEqual(['wrong_agency']);
  });

  it('lets only command staff of the data-owning agency approve an inquiry or a grant (SH-03)', () => {
    const grant = {
      kind: 'grant' as const,
      requester: { username: 'det.ext', agency: OTHER },
      ownerAgency: SJ,
    };
    expect(approval(grant, { username: 'cmdr.diaz', role: 'command' }).ok).toBe(true);
    expect(codes(approval(grant, { username: 'cmdr.diaz', role: 'supervisor' }))).toEqual([
      'approver_not_permitted',
    ]);
    expect(codes(approval(grant, { username: 'cmdr.ext', role: 'command', agency: OTHER }))).toEqual([
      'wrong_agency',
    ]);
    expect(codes(approval({ ...grant, ownerAgency: undefined }, { role: 'command' }))).toEqual(['missing']);
    expect(
      codes(
        approval(
          { ...grant, requester: { username: 'cmdr.diaz', agency: SJ } },
          { username: 'cmdr.diaz', role: 'command' },
        ),
      ),
    ).toEqual(['self_approval']);
  });

  it('needs command for a sensitive-site search, and an admin other than the planner for a registry change', () => {
    expect(approval({ kind: 'sensitive_search' }, { role: 'command' }).ok).toBe(true);
    const change = { kind: 'registry_change' as const, requester: { username: 'pl.ng', agency: SJ } };
    expect(approval(change, { username: 'adm.ruiz', role: 'admin' }).ok).toBe(true);
    expect(codes(approval(change, { username: 'pl.ng', role: 'admin' }))).toEqual(['self_approval']);
  });
});

describe('samePerson', () => {
  it('tells different people apart', () => {
    expect(samePerson('det.a', 'det.b')).toBe(false);
    expect(samePerson('det.a', 'det.a')).toBe(true);
  });
});
