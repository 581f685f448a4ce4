import { describe, expect, it } from 'vitest';
import {
  type Account,
  accountsToDisable,
  accountValidationReport,
  checkSearchEligibility,
  inactivityDecision,
} from '../../../shared/access/accounts.js';
import { DAY_MS } from '../../../shared/access/problems.js';
import { NOW } from './factories.js';

const account = (overrides: Partial<Account> = {}): Account => ({
  username: 'det.alvarez',
  role: 'investigator',
  agency: 'CA0431100',
  status: 'active',
  createdAt: NOW - 100 * DAY_MS,
  supervisorApproval: { by: 'lt.chen', at: NOW - 99 * DAY_MS },
  trainingCompletedAt: NOW - 300 * DAY_MS,
  lastActiveAt: NOW - DAY_MS,
  lastValidatedAt: NOW - 30 * DAY_MS,
  ...overrides,
});
const codes = (a: Account, now = NOW, rules?: Parameters<typeof checkSearchEligibility>[2]) => {
  const r = checkSearchEligibility(a, now, rules);
  return r.ok ? [] : r.problems.map((p) => p.code);
};

describe('checkSearchEligibility (AC-04)', () => {
  it('lets an approved, trained, active investigator search, and says until when', () => {
    expect(checkSearchEligibility(account(), NOW)).toEqual({
      ok: true,
      value: { trainingValidUntil: NOW - 300 * DAY_MS + 730 * DAY_MS },
    });
  });

  it('blocks an account with no recorded supervisor approval', () => {
    expect(codes(account({ supervisorApproval: null }))).toEqual(['no_supervisor_approval']);
    expect(codes(account({ supervisorApproval: { by: 'Det.Alvarez', at: NOW - DAY_MS } }))).toEqual([
      'self_approval',
    ]);
    expect(codes(account({ supervisorApproval: { by: 'lt.chen', at: NOW + DAY_MS } }))).toEqual([
      'future_date',
    ]);
  });

  it('blocks an account with no training date, or one older than 2 years', () => {
    expect(codes(account({ trainingCompletedAt: null }))).toEqual(['no_training']);
    expect(codes(account({ trainingCompletedAt: NOW - 730 * DAY_MS }))).toEqual(['training_expired']);
    expect(codes(account({ trainingCompletedAt: NOW - 729 * DAY_MS }))).toEqual([]);
    expect(codes(account({ trainingCompletedAt: NOW + DAY_MS }))).toEqual(['future_date']);
  });

  it('follows a configured training validity', () => {
    const rules = { trainingValidDays: 365, inactiveDisableDays: 90 };
    expect(codes(account({ trainingCompletedAt: NOW - 366 * DAY_MS }), NOW, rules)).toEqual([
      'training_expired',
    ]);
  });

  it('blocks disabled accounts and roles that cannot search, listing every gap', () => {
    expect(codes(account({ status: 'disabled', role: 'auditor', trainingCompletedAt: null }))).toEqual([
      'account_not_active',
      'role_cannot_search',
      'no_training',
    ]);
  });
});

describe('inactivity (AC-05)', () => {
  it('disables an active account unused for more than 90 days', () => {
    expect(inactivityDecision(account({ lastActiveAt: NOW - 91 * DAY_MS }), NOW)).toEqual({
      disable: true,
      inactiveDays: 91,
      clockSuspect: false,
    });
    expect(inactivityDecision(account({ lastActiveAt: NOW - 90 * DAY_MS }), NOW).disable).toBe(false);
  });

  it('counts from creation for an account never used, and flags a last activity in the future', () => {
    expect(
      inactivityDecision(account({ lastActiveAt: null, createdAt: NOW - 95 * DAY_MS }), NOW).disable,
    ).toBe(true);
    expect(inactivityDecision(account({ lastActiveAt: NOW + DAY_MS }), NOW)).toMatchObject({
      disable: false,
      clockSuspect: true,
    });
  });

  it('lists the accounts to disable, most idle first, skipping disabled ones', () => {
    const accounts = [
      account({ username: 'a', lastActiveAt: NOW - 100 * DAY_MS }),
      account({ username: 'b', lastActiveAt: NOW - 200 * DAY_MS, createdAt: NOW - 400 * DAY_MS }),
      account({
        username: 'c',
        lastActiveAt: NOW - 200 * DAY_MS,
        createdAt: NOW - 400 * DAY_MS,
        status: 'disabled',
      }),
      account({ username: 'd' }),
    ];
    expect(accountsToDisable(accounts, NOW)).toEqual([
      { username: 'b', inactiveDays: 200 },
      { username: 'a', inactiveDays: 100 },
    ]);
    expect(accountsToDisable(accounts, NOW, { trainingValidDays: 730, inactiveDisableDays: 150 })).toEqual([
      { username: 'b', inactiveDays: 200 },
    ]);
  });

  it('reports every account with its last validation, overdue first', () => {
    const report = accountValidationReport(
      [
        account({ username: 'ok' }),
        account({ username: 'never', lastValidatedAt: null }),
        account({ username: 'old', lastValidatedAt: NOW - 400 * DAY_MS }),
      ],
      NOW,
    );
    expect(report.map((r) => [r.username, r.overdue])).toEqual([
      ['never', true],
      ['old', true],
      ['ok', false],
    ]);
  });
});
