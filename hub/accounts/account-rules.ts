// The account rules of shared/access as this hub's config tunes them (access.* in the one config), the
// notice in force, and the username normalisation every account path uses. One place, so the login, the
// authenticator, the CLI and the inactivity job cannot disagree.
import type { AccountRules } from '../../shared/access/accounts.js';
import type { LockoutRules } from '../../shared/access/lockout.js';
import { NOTICE, type Notice, noticeText, noticeVersion } from '../../shared/access/notice.js';
import type { PasswordRules } from '../../shared/access/password-policy.js';
import type { SessionRules } from '../../shared/access/sessions.js';
import { identityKey } from '../../shared/access/text-fold.js';
import type { AlprConfig } from '../../shared/config/schema.js';
import { normaliseIdentity } from '../../shared/policy/identity.js';

export interface AccountPolicy {
  session: SessionRules;
  lockout: LockoutRules;
  password: PasswordRules;
  account: AccountRules;
}

export function accountPolicy(config: AlprConfig): AccountPolicy {
  const a = config.access;
  return {
    session: { ...a.session },
    lockout: { ...a.lockout },
    password: { ...a.password },
    account: { ...a.account },
  };
}

/** The system-use notice in force, with its text and version (the SHA-256 of its text). */
export interface CurrentNotice {
  title: string;
  text: string;
  hash: string;
}

export function currentNotice(notice: Notice = NOTICE): CurrentNotice {
  return { title: notice.title, text: noticeText(notice), hash: noticeVersion(notice) };
}

/** Where the features read the notice from: the built-in one unless a test or deployment swaps it. */
export type NoticeSource = () => Notice;
export const builtInNotice: NoticeSource = () => NOTICE;

/** Issuer shown in the authenticator app next to the username. */
export const TOTP_ISSUER = 'ALPR hub';

export type UsernameCheck = { ok: true; username: string; key: string } | { ok: false; message: string };

/**
 * A typed username as stored (normalised) and as compared (folded key: look-alikes are one person).
 * @example checkUsername(' Det.A ') // { ok: true, username: 'det.a', key: 'det.a' }
 */
export function checkUsername(raw: string): UsernameCheck {
  const checked = normaliseIdentity(raw);
  if (!checked.ok) return { ok: false, message: `username ${checked.message}` };
  if (checked.value.includes(':')) return { ok: false, message: 'username must not contain ":"' };
  return { ok: true, username: checked.value, key: identityKey(checked.value) };
}
