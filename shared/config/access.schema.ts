// Access section (hub): the tunable parts of the access rules in shared/access, each bounded so a
// config edit can make a rule stricter but never switch it off (justifications of at least 20
// characters, idle sessions of at most 30 minutes, grants of at most 90 days, hotlist entries of at most
// 30 days, no immigration hotlist source).
import { z } from 'zod';
import { checkHotlistSource, DEFAULT_HOTLIST_SOURCES } from '../access/hotlist.js';

const bufferM = (what: string) =>
  z.number().min(0).max(5000).default(100).describe(`Query-time buffer around ${what} sites, metres.`);

const int = (min: number, max: number, def: number, description: string) =>
  z.number().int().min(min).max(max).default(def).describe(description);

export const accessSchema = z
  .strictObject({
    caseNumberPattern: z
      .string()
      .min(3)
      .max(200)
      .default('^\\d{2}-\\d{6}$')
      .refine(
        (p) => p.startsWith('^') && p.endsWith('$'),
        'must be anchored with ^ and $ (a whole case number)',
      )
      .refine((p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression')
      .describe('Regular expression every case number must match (searches, holds, inquiries).'),
    caseNumberExample: z
      .string()
      .min(1)
      .max(64)
      .default('26-000123')
      .describe('A case number that matches caseNumberPattern, shown in refusal messages.'),
    justificationMinLength: int(
      20,
      500,
      20,
      'Minimum characters of a search justification (padding counts once).',
    ),
    justificationMinSpecificWords: int(
      1,
      10,
      2,
      'Minimum distinct specific words in a justification ("investigation", "susp veh", "info" do not count).',
    ),
    partialPlateMinChars: int(2, 8, 3, 'Fewest known characters a partial-plate search must keep.'),
    searchRateLimit: z
      .strictObject({
        perUserPerMinute: int(1, 600, 20, 'Searches one user may submit per minute.'),
        perAddressPerMinute: int(1, 6000, 60, 'Searches one client address may submit per minute.'),
      })
      .prefault({})
      .describe('Search rate limits (429 above them), counted across hub processes.'),
    lexiconPath: z
      .string()
      .min(1)
      .optional()
      .describe('Prohibited-purpose lexicon (JSON, format alpr-lexicon/1); default: the built-in lexicon.'),
    queryBufferM: z
      .strictObject({
        reproductive_health: bufferM('reproductive-health'),
        religious_observance: bufferM('religious-observance'),
      })
      .prefault({})
      .describe('A search whose cameras come this close to a sensitive site needs command approval.'),
    account: z
      .strictObject({
        trainingValidDays: int(30, 730, 730, 'Days a training completion stays valid for searching.'),
        inactiveDisableDays: int(1, 365, 90, 'Disable accounts unused for this many days.'),
        validationDays: int(
          30,
          365,
          365,
          'Accounts not validated for this long are overdue in the annual report.',
        ),
      })
      .prefault({})
      .describe('Account eligibility and inactivity.'),
    password: z
      .strictObject({
        minLength: int(12, 64, 12, 'Minimum password length (characters after NFKC).'),
        maxLength: int(64, 1024, 128, 'Maximum password length.'),
      })
      .prefault({})
      .describe('Password policy (no composition rules; banned and context words are always refused).'),
    lockout: z
      .strictObject({
        maxFailures: int(3, 10, 5, 'Consecutive failed logins that lock an account.'),
        lockMinutes: int(10, 1440, 15, 'How long a locked account stays locked.'),
      })
      .prefault({})
      .describe('Login lockout.'),
    session: z
      .strictObject({
        idleMinutes: int(1, 30, 30, 'End a session idle this long.'),
        absoluteHours: int(1, 24, 12, 'End a session this long after login, however active.'),
        maxConcurrent: int(1, 5, 1, 'Open sessions per user; a new login ends the least recently used.'),
      })
      .prefault({})
      .describe('Sessions.'),
    grants: z
      .strictObject({
        validDays: int(1, 90, 90, 'Days an access grant to another agency lasts before it must be renewed.'),
      })
      .prefault({})
      .describe('Access grants to other California agencies.'),
    export: z
      .strictObject({
        approvalAboveRows: int(
          1,
          1000,
          100,
          'Result sets larger than this need a supervisor approval, even on screen.',
        ),
        maxRows: int(1, 50_000, 5000, 'Most rows any export may hold, approved or not.'),
      })
      .prefault({})
      .describe('Bulk results and exports (CSV and images always need approval).'),
    hotlist: z
      .strictObject({
        maxEntryDays: int(1, 30, 30, 'Longest a hotlist entry may live.'),
        staleAfterHours: int(1, 24, 24, 'A hit from a list older than this is labelled stale.'),
        currencyMaxAgeMinutes: int(1, 60, 10, 'A currency check older than this does not confirm a hit.'),
        unverifiedReportHours: int(1, 72, 4, 'Hits still unverified after this long appear in reports.'),
        sources: z
          .array(z.string())
          .min(1)
          .max(50)
          .default([...DEFAULT_HOTLIST_SOURCES])
          .superRefine((sources, ctx) => {
            sources.forEach((s, i) => {
              const check = checkHotlistSource(s);
              if (!check.ok) ctx.addIssue({ code: 'custom', path: [i], message: check.problems[0]!.message });
            });
          })
          .describe('Allowlisted hotlist source ids; immigration lists are refused.'),
      })
      .prefault({})
      .describe('Hotlists and hits.'),
  })
  .superRefine((access, ctx) => {
    try {
      if (!new RegExp(access.caseNumberPattern).test(access.caseNumberExample)) {
        ctx.addIssue({
          code: 'custom',
          path: ['caseNumberExample'],
          message: 'does not match caseNumberPattern',
        });
      }
    } catch {
      // An invalid pattern is already reported on caseNumberPattern.
    }
    if (access.export.approvalAboveRows > access.export.maxRows) {
      ctx.addIssue({
        code: 'custom',
        path: ['export', 'approvalAboveRows'],
        message: 'must not exceed maxRows',
      });
    }
    if (access.password.minLength > access.password.maxLength) {
      ctx.addIssue({ code: 'custom', path: ['password', 'minLength'], message: 'must not exceed maxLength' });
    }
  })
  .describe('Access rules of the hub (shared/access).');

export type AccessConfig = z.output<typeof accessSchema>;
