// Password policy (AUTH-07, NIST SP 800-63B style): 12 to 128 characters after NFKC, any characters
// but control characters, no composition rules, and not a common or breached password, a keyboard run,
// or a password made of the user's own context (username, agency, city, "alpr") plus digits.
import { BANNED_PASSWORDS } from './banned-passwords.js';
import type { AccessProblem, Checked } from './problems.js';
import { foldText, leetSkeleton } from './text-fold.js';

export interface PasswordRules {
  /** Minimum characters (default 12; the policy floor is 8, NIST recommends 15 for single-factor). */
  minLength: number;
  /** Maximum characters (default 128; at least 64 must be allowed). */
  maxLength: number;
}

export const DEFAULT_PASSWORD_RULES: PasswordRules = { minLength: 12, maxLength: 128 };

/** Words of the user's context a password must not be built from. */
export interface PasswordContext {
  username?: string;
  agencyName?: string;
  agencyOri?: string;
  /** Defaults to "San José". */
  city?: string;
  extraWords?: readonly string[];
}

/** What remains of a password once its context and common words are removed must be this long. */
const MIN_REMAINDER = 8;
const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'abcdefghijklmnopqrstuvwxyz'];

/** Folded, leetspeak read as letters (before symbols are dropped: "p@ss" is "pass"), letters and digits only. */
const fold = (text: string) => leetSkeleton(foldText(text)).replace(/[^\p{L}\p{N}]/gu, '');
// Both readings of each banned entry: as written (digits kept) and leet-folded.
const BANNED = new Set(BANNED_PASSWORDS.flatMap((w) => [w, fold(w)]));
// Stems removed when measuring what is left: alphabetic entries of 4+ letters, longest first.
const STEMS = [...new Set(BANNED_PASSWORDS.filter((w) => /^[a-z]{4,}$/.test(w)).map(fold))].sort(
  (a, b) => b.length - a.length,
);

function contextWords(ctx: PasswordContext): string[] {
  const words = ['alpr', 'password', ctx.city ?? 'San José', ctx.agencyOri ?? '', ...(ctx.extraWords ?? [])];
  if (ctx.username) words.push(ctx.username, ...ctx.username.split(/[._@\-\s]+/));
  if (ctx.agencyName) words.push(ctx.agencyName, ...ctx.agencyName.split(/\s+/));
  return [...new Set(words.map(fold).filter((w) => w.length >= 3))].sort((a, b) => b.length - a.length);
}

/** A run along a keyboard row or the alphabet (either way), or three or fewer distinct characters. */
function isTrivial(compact: string): boolean {
  if (new Set(compact).size <= 3) return true;
  return KEYBOARD_ROWS.some((row) => {
    const forward = row.repeat(Math.ceil(compact.length / row.length) + 1);
    const backward = [...forward].reverse().join('');
    return forward.includes(compact) || backward.includes(compact);
  });
}

/**
 * Check a new password. Returns the NFKC form to hash, or every problem (field `password`).
 * @example checkPassword('correct horse battery staple', { username: 'det.alvarez' }) // { ok: true, value: '...' }
 * @example checkPassword('P@ssw0rd2024!', {}) // { ok: false, problems: [{ field: 'password', code: 'banned', ... }] }
 */
export function checkPassword(
  password: string,
  context: PasswordContext = {},
  rules: PasswordRules = DEFAULT_PASSWORD_RULES,
): Checked<string> {
  const field = 'password';
  const value = password.normalize('NFKC');
  const length = [...value].length;
  const problems: AccessProblem[] = [];
  if (length < rules.minLength) {
    problems.push({
      field,
      code: 'too_short',
      message: `must be at least ${rules.minLength} characters (got ${length})`,
    });
  }
  if (length > rules.maxLength) {
    problems.push({ field, code: 'too_long', message: `must be at most ${rules.maxLength} characters` });
  }
  if (/\p{Cc}/u.test(value)) {
    problems.push({ field, code: 'bad_characters', message: 'must not contain control characters' });
  }
  if (problems.length > 0) return { ok: false, problems };

  const folded = foldText(value);
  const lower = folded.replace(/[^\p{L}\p{N}]/gu, '');
  const compact = fold(value);
  // The password itself, and its stem with leading/trailing digits and symbols cut (all of them, or
  // all but the symbols leetspeak reads as letters), each as written and leet-folded.
  const stems = [
    folded,
    folded.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''),
    folded.replace(/^[^\p{L}@$!|+€]+|[^\p{L}@$!|+€]+$/gu, ''),
  ];
  const forms = stems.flatMap((v) => [v.replace(/[^\p{L}\p{N}]/gu, ''), fold(v)]);
  if (forms.some((w) => w !== '' && BANNED.has(w))) {
    problems.push({
      field,
      code: 'banned',
      message: 'is a common or breached password; choose a longer passphrase',
    });
  } else if (isTrivial(lower)) {
    problems.push({ field, code: 'too_simple', message: 'is a keyboard run or repeats too few characters' });
  } else if (
    context.username &&
    fold(context.username).length >= 3 &&
    compact.includes(fold(context.username))
  ) {
    problems.push({ field, code: 'contains_username', message: 'must not contain your username' });
  } else {
    let rest = compact;
    for (const word of [...contextWords(context), ...STEMS]) rest = rest.split(word).join('');
    if ([...rest].length < MIN_REMAINDER) {
      problems.push({
        field,
        code: 'context_words',
        message:
          'is built from common words or words about this system (your name, agency, the city, "alpr") plus digits; use a longer passphrase',
      });
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}
