// Account rules (AC-04, AC-05): before a first search an account needs a recorded supervisor approval and
// a training date within the validity period (2 years by default); an account unused for N days (90 by
// default) is disabled; the annual validation report lists every account and when it was last validated.

import { samePerson } from './approvals.js';
import { type AccessProblem, type Checked, DAY_MS, iso } from './problems.js';
import { can, type Role } from './roles.js';

export type AccountStatus = 'active' | 'disabled' | 'pending';

export interface Account {
  username: string;
  role: Role | string;
  /** ORI of the account's agency. */
  agency: string;
  status: AccountStatus;
  createdAt: number;
  /** The recorded supervisor approval (who, when); null until recorded. */
  supervisorApproval?: { by: string; at: number } | null;
  /** When the user last completed the ALPR training. */
  trainingCompletedAt?: number | null;
  /** Last successful login or request. */
  lastActiveAt?: number | null;
  /** Last annual validation of the account by its agency. */
  lastValidatedAt?: number | null;
}

export interface AccountRules {
  /** Training older than this blocks searches (default 730 days, 2 years). */
  trainingValidDays: number;
  /** Accounts unused this long are disabled (default 90). */
  inactiveDisableDays: number;
  /** An account not validated for this long is overdue in the report (default 365). */
  validationDays?: number;
}

export const DEFAULT_ACCOUNT_RULES: AccountRules = {
  trainingValidDays: 730,
  inactiveDisableDays: 90,
  validationDays: 365,
};

/**
 * May this account search plates now? Every missing precondition is listed (AC-04).
 * @example checkSearchEligibility(account, now) // { ok: false, problems: [{ field: 'trainingCompletedAt', code: 'training_expired', ... }] }
 */
export function checkSearchEligibility(
  account: Account,
  now: number,
  rules: AccountRules = DEFAULT_ACCOUNT_RULES,
): Checked<{ trainingValidUntil: number }> {
  const problems: AccessProblem[] = [];
  if (account.status !== 'active') {
    problems.push({
      field: 'status',
      code: 'account_not_active',
      message: `the account is ${account.status}`,
    });
  }
  if (!can(account.role, 'plates.search')) {
    problems.push({
      field: 'role',
      code: 'role_cannot_search',
      message: `the ${account.role} role cannot search plates`,
    });
  }
  const approval = account.supervisorApproval;
  if (!approval) {
    problems.push({
      field: 'supervisorApproval',
      code: 'no_supervisor_approval',
      message: 'no supervisor approval is recorded for this account',
    });
  } else if (samePerson(approval.by, account.username)) {
    problems.push({
      field: 'supervisorApproval',
      code: 'self_approval',
      message: 'an account cannot approve itself',
    });
  } else if (approval.at > now) {
    problems.push({
      field: 'supervisorApproval',
      code: 'future_date',
      message: `the approval is dated in the future (${iso(approval.at)})`,
    });
  }
  const trained = account.trainingCompletedAt;
  let trainingValidUntil = 0;
  if (trained === null || trained === undefined) {
    problems.push({
      field: 'trainingCompletedAt',
      code: 'no_training',
      message: 'no training completion date is recorded',
    });
  } else if (trained > now) {
    problems.push({
      field: 'trainingCompletedAt',
      code: 'future_date',
      message: `the training date is in the future (${iso(trained)})`,
    });
  } else {
    trainingValidUntil = trained + rules.trainingValidDays * DAY_MS;
    if (now >= trainingValidUntil) {
      problems.push({
        field: 'trainingCompletedAt',
        code: 'training_expired',
        message: `training expired on ${iso(trainingValidUntil)} (valid ${rules.trainingValidDays} days); retake it before searching`,
      });
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { trainingValidUntil } };
}

export interface InactivityDecision {
  disable: boolean;
  /** Whole days since the last activity (creation when never active). */
  inactiveDays: number;
  /** The last activity is later than now: the clock or the record is wrong. */
  clockSuspect: boolean;
}

/**
 * Should this account be disabled for inactivity (AC-05)? Only active accounts are disabled.
 * @example inactivityDecision({ ...account, lastActiveAt: now - 91 * DAY_MS }, now) // { disable: true, inactiveDays: 91, ... }
 */
export function inactivityDecision(
  account: Account,
  now: number,
  rules: AccountRules = DEFAULT_ACCOUNT_RULES,
): InactivityDecision {
  const last = Math.max(account.createdAt, account.lastActiveAt ?? account.createdAt);
  const idle = now - last;
  const inactiveDays = Math.max(0, Math.floor(idle / DAY_MS));
  return {
    disable: account.status === 'active' && idle > rules.inactiveDisableDays * DAY_MS,
    inactiveDays,
    clockSuspect: idle < 0,
  };
}

/**
 * The active accounts to disable now, most idle first.
 * @example accountsToDisable(accounts, now) // [{ username: 'det.old', inactiveDays: 120 }]
 */
export function accountsToDisable(
  accounts: readonly Account[],
  now: number,
  rules: AccountRules = DEFAULT_ACCOUNT_RULES,
): Array<{ username: string; inactiveDays: number }> {
  return accounts
    .map((a) => ({ username: a.username, ...inactivityDecision(a, now, rules) }))
    .filter((d) => d.disable)
    .sort((a, b) => b.inactiveDays - a.inactiveDays || (a.username < b.username ? -1 : 1))
    .map(({ username, inactiveDays }) => ({ username, inactiveDays }));
}

export interface ValidationRow {
  username: string;
  agency: string;
  role: string;
  status: AccountStatus;
  lastValidatedAt: number | null;
  /** Never validated, or validated longer ago than the validation period. */
  overdue: boolean;
}

/**
 * The annual account-validation report (AC-05): every account, its last validation, overdue ones first.
 * @example accountValidationReport(accounts, now)[0] // { username: 'det.a', overdue: true, lastValidatedAt: null, ... }
 */
export function accountValidationReport(
  accounts: readonly Account[],
  now: number,
  rules: AccountRules = DEFAULT_ACCOUNT_RULES,
): ValidationRow[] {
  const period = (rules.validationDays ?? 365) * DAY_MS;
  return accounts
    .map((a) => {
      const lastValidatedAt = a.lastValidatedAt ?? null;
      return {
        username: a.username,
        agency: a.agency,
        role: String(a.role),
        status: a.status,
        lastValidatedAt,
        overdue: lastValidatedAt === null || now - lastValidatedAt > period,
      };
    })
    .sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) ||
        a.agency.localeCompare(b.agency) ||
        a.username.localeCompare(b.username),
    );
}
