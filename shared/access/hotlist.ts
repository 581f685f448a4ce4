// Hotlist entry rules (RET-09, HIT-04, HIT-05): an entry names an exact plate, a reason, a case number,
// an allowlisted source and an expiry at most 30 days out; expired entries stop matching. No immigration
// source can be allowlisted (the NCIC Immigration Violator File, any ICE/HSI/ERO list), and a reason or
// case number that screens as a prohibited purpose is refused like a search.
import type { CompiledLexicon } from './lexicon.js';
import { DEFAULT_COMPILED_LEXICON } from './lexicon-default.js';
import { parsePlateQuery } from './plate-query.js';
import { type AccessProblem, type Checked, DAY_MS, HOUR_MS, iso } from './problems.js';
import { type PurposeScreen, screenPurpose } from './purpose-screen.js';
import { parseTimeValue } from './search-fields.js';

/** Sources allowed by default: stolen, wanted and missing lists, and the agency's own case list. */
export const DEFAULT_HOTLIST_SOURCES: readonly string[] = [
  'ncic_stolen_vehicle',
  'ncic_stolen_plate',
  'ncic_wanted_person',
  'ncic_missing_person',
  'cdoj_stolen_vehicle_system',
  'cdoj_amber_alert',
  'agency_case',
];

/** Names that mark an immigration list, whatever else the source id says. */
const IMMIGRATION_SOURCE =
  /(^|_)(ivf|immigration|immigrant|violator_file|ice|ero|hsi|cbp|dhs|uscis|eros|deport\w*|removal|alien)(_|$)/;

export interface HotlistRules {
  /** Longest an entry may live, days (default 30). */
  maxEntryDays: number;
  /** Allowlisted source ids. */
  sources: readonly string[];
}

export const DEFAULT_HOTLIST_RULES: HotlistRules = { maxEntryDays: 30, sources: DEFAULT_HOTLIST_SOURCES };

/**
 * May this source id be allowlisted at all? Lower-case id; never an immigration list (HIT-05).
 * @example checkHotlistSource('ncic_immigration_violator_file') // { ok: false, problems: [{ code: 'immigration_source', ... }] }
 */
export function checkHotlistSource(id: string, field = 'source'): Checked<string> {
  if (!/^[a-z][a-z0-9_]{1,63}$/.test(id)) {
    return {
      ok: false,
      problems: [
        {
          field,
          code: 'bad_source',
          message: `"${id}" is not a source id (lower-case letters, digits, "_")`,
        },
      ],
    };
  }
  const screen = screenPurpose({ source: id.replace(/_/g, ' ') });
  if (IMMIGRATION_SOURCE.test(id) || (screen.blocked && screen.category === 'immigration')) {
    return {
      ok: false,
      problems: [
        {
          field,
          code: 'immigration_source',
          message: `"${id}" is an immigration list; SB 54 bars using ALPR for immigration enforcement (NCIC Immigration Violator File, ICE lists)`,
        },
      ],
    };
  }
  return { ok: true, value: id };
}

export interface HotlistEntry {
  plate: string;
  /** O/0 and I/1 folded, the key reads are matched on. */
  folded: string;
  reason: string;
  caseNumber: string;
  source: string;
  expiresAt: number;
}

export type HotlistEntryCheck =
  | { ok: true; value: HotlistEntry }
  | { ok: false; outcome: 'invalid'; problems: AccessProblem[] }
  | {
      ok: false;
      outcome: 'prohibited';
      screen: Extract<PurposeScreen, { blocked: true }>;
      problems: AccessProblem[];
    };

function requiredText(raw: unknown, field: string, max: number, problems: AccessProblem[]): string {
  const value = typeof raw === 'string' ? raw.normalize('NFKC').trim().replace(/\s+/gu, ' ') : '';
  if (value === '') problems.push({ field, code: 'missing', message: 'required' });
  else if (value.length > max)
    problems.push({ field, code: 'too_long', message: `at most ${max} characters` });
  return value;
}

/**
 * Validate one hotlist entry (a CSV line or a form) at `now`.
 * @example validateHotlistEntry({ plate: '7ABC123', reason: 'stolen in carjacking', caseNumber: '26-000123',
 *   source: 'agency_case', expiresAt: '2026-03-20T00:00:00Z' }, now) // { ok: true, value: { plate: '7ABC123', ... } }
 */
export function validateHotlistEntry(
  input: Record<string, unknown>,
  now: number,
  rules: HotlistRules = DEFAULT_HOTLIST_RULES,
  lexicon: CompiledLexicon = DEFAULT_COMPILED_LEXICON,
): HotlistEntryCheck {
  const problems: AccessProblem[] = [];
  const plate = parsePlateQuery(typeof input.plate === 'string' ? input.plate : undefined);
  if (!plate.ok) problems.push(...plate.problems);
  else if (plate.value.partial)
    problems.push({ field: 'plate', code: 'partial_plate', message: 'hotlist plates must be exact' });
  const reason = requiredText(input.reason, 'reason', 500, problems);
  const caseNumber = requiredText(input.caseNumber, 'caseNumber', 64, problems);
  const source = typeof input.source === 'string' ? input.source.trim() : '';
  if (source === '') problems.push({ field: 'source', code: 'missing', message: 'required' });
  else {
    const allowed = checkHotlistSource(source);
    if (!allowed.ok) problems.push(...allowed.problems);
    else if (!rules.sources.includes(source)) {
      problems.push({
        field: 'source',
        code: 'source_not_allowed',
        message: `"${source}" is not an allowlisted source (${rules.sources.join(', ')})`,
      });
    }
  }
  const expiresAt = parseTimeValue(input.expiresAt, 'expiresAt', problems);
  if (expiresAt !== undefined) {
    if (expiresAt <= now)
      problems.push({ field: 'expiresAt', code: 'expired', message: 'is not in the future' });
    else if (expiresAt > now + rules.maxEntryDays * DAY_MS) {
      problems.push({
        field: 'expiresAt',
        code: 'expiry_too_far',
        message: `is more than ${rules.maxEntryDays} days away (latest ${iso(now + rules.maxEntryDays * DAY_MS)})`,
      });
    }
  }
  const screen = screenPurpose({ reason, caseNumber }, lexicon);
  if (screen.blocked) {
    problems.unshift({
      field: screen.field,
      code: 'prohibited_purpose',
      message: `names a prohibited purpose (${screen.categoryLabel}: "${screen.term}")`,
    });
    return { ok: false, outcome: 'prohibited', screen, problems };
  }
  if (problems.length > 0 || !plate.ok || expiresAt === undefined)
    return { ok: false, outcome: 'invalid', problems };
  return {
    ok: true,
    value: {
      plate: plate.value.kind === 'exact' ? plate.value.plate : '',
      folded: plate.value.folded,
      reason,
      caseNumber,
      source,
      expiresAt,
    },
  };
}

/**
 * Does the entry still generate alerts? Expired entries never match (RET-09).
 * @example isHotlistEntryActive({ ...entry, expiresAt: now - 1 }, now) // false
 */
export function isHotlistEntryActive(entry: Pick<HotlistEntry, 'expiresAt'>, now: number): boolean {
  return now < entry.expiresAt;
}

/**
 * How fresh a list is (HIT-04): older than 24 h, never refreshed, or refreshed "in the future" is stale.
 * @example hotlistFreshness(now - 25 * HOUR_MS, now) // { stale: true, ageHours: 25 }
 */
export function hotlistFreshness(
  refreshedAt: number | null,
  now: number,
  staleAfterHours = 24,
): { stale: boolean; ageHours: number | null } {
  if (refreshedAt === null || refreshedAt > now) return { stale: true, ageHours: null };
  const ageHours = (now - refreshedAt) / HOUR_MS;
  return { stale: ageHours > staleAfterHours, ageHours: Math.round(ageHours * 10) / 10 };
}
