// Hotlist hits need a human (HIT-01, HIT-03, HIT-04; Green v. City and County of San Francisco): a hit is
// created unverified and nothing may act on it until a person with hits.verify records that the plate
// in the read matches the entry, that the entry is still listed (checked minutes ago, not hours), and a
// disposition. The transition function is the whole state machine: unverified → confirmed | rejected.
import { type AccessProblem, type Checked, HOUR_MS, MINUTE_MS } from './problems.js';
import { can } from './roles.js';

export type HitState = 'unverified' | 'confirmed' | 'rejected';

/** What was done about a confirmed hit (HIT-03). None of these is an automated action (HIT-02). */
export const HIT_DISPOSITIONS = [
  'arrest',
  'vehicle_recovered',
  'stop_no_action',
  'contact_no_action',
  'unable_to_locate',
  'referred_to_investigator',
] as const;
export type HitDisposition = (typeof HIT_DISPOSITIONS)[number];

export const HIT_REJECTIONS = ['misread', 'not_current', 'wrong_state', 'other'] as const;
export type HitRejection = (typeof HIT_REJECTIONS)[number];

export interface Hit {
  id: string;
  state: HitState;
  createdAt: number;
  /** When the matching list was last refreshed, at the time of the hit. */
  listRefreshedAt: number | null;
  confirmation?: {
    by: string;
    at: number;
    currencyCheckedAt: number;
    currencyCheckedWith: string;
    disposition: HitDisposition;
    note?: string;
  };
  rejection?: { by: string; at: number; reason: HitRejection; note?: string };
}

export type HitEvent =
  | {
      type: 'confirm';
      by: string;
      role: string;
      /** The person compared the read (and crop) with the entry: characters and state match. */
      visualMatch: boolean;
      /** The entry is still listed at its source, checked at this time with this system. */
      currency: { checkedAt: number; stillListed: boolean; checkedWith: string };
      disposition: string;
      note?: string;
    }
  | { type: 'reject'; by: string; role: string; reason: string; note?: string };

export interface HitRules {
  /** A currency check older than this does not count (default 10 minutes). */
  currencyMaxAgeMinutes: number;
}

export const DEFAULT_HIT_RULES: HitRules = { currencyMaxAgeMinutes: 10 };

/**
 * Apply a person's decision to a hit at `now`. Only an unverified hit changes; every missing check is
 * listed.
 * @example transitionHit(hit, { type: 'confirm', by: 'ofc.lee', role: 'investigator', visualMatch: true,
 *   currency: { checkedAt: now, stillListed: true, checkedWith: 'CLETS SVS query' }, disposition: 'vehicle_recovered' }, now)
 *   // { ok: true, value: { ...hit, state: 'confirmed', confirmation: { ... } } }
 */
export function transitionHit(
  hit: Hit,
  event: HitEvent,
  now: number,
  rules: HitRules = DEFAULT_HIT_RULES,
): Checked<Hit> {
  const problems: AccessProblem[] = [];
  if (hit.state !== 'unverified') {
    return {
      ok: false,
      problems: [{ field: 'state', code: 'hit_final', message: `the hit is already ${hit.state}` }],
    };
  }
  if (!can(event.role, 'hits.verify')) {
    problems.push({ field: 'by', code: 'not_permitted', message: `a ${event.role} may not verify hits` });
  }
  if (event.by.trim() === '')
    problems.push({ field: 'by', code: 'missing', message: 'who decided is required' });
  if (event.type === 'reject') {
    if (!(HIT_REJECTIONS as readonly string[]).includes(event.reason)) {
      problems.push({
        field: 'reason',
        code: 'bad_reason',
        message: `must be one of ${HIT_REJECTIONS.join(', ')}`,
      });
    } else if (event.reason === 'other' && !event.note?.trim()) {
      problems.push({ field: 'note', code: 'missing', message: 'say why when the reason is "other"' });
    }
    if (problems.length > 0) return { ok: false, problems };
    const rejection = {
      by: event.by,
      at: now,
      reason: event.reason as HitRejection,
      ...(event.note ? { note: event.note } : {}),
    };
    return { ok: true, value: { ...hit, state: 'rejected', rejection } };
  }
  if (event.visualMatch !== true) {
    problems.push({
      field: 'visualMatch',
      code: 'no_visual_confirmation',
      message: 'compare the read and crop with the entry first',
    });
  }
  const { checkedAt, stillListed, checkedWith } = event.currency;
  if (!stillListed) {
    problems.push({
      field: 'currency',
      code: 'not_current',
      message: 'the entry is no longer listed: reject the hit as not_current',
    });
  }
  if (!checkedWith?.trim())
    problems.push({
      field: 'currency.checkedWith',
      code: 'missing',
      message: 'name the system the entry was checked in',
    });
  if (
    checkedAt > now ||
    checkedAt < hit.createdAt ||
    now - checkedAt > rules.currencyMaxAgeMinutes * MINUTE_MS
  ) {
    problems.push({
      field: 'currency.checkedAt',
      code: 'stale_currency_check',
      message: `the currency check must be made after the hit and within the last ${rules.currencyMaxAgeMinutes} minutes`,
    });
  }
  if (!(HIT_DISPOSITIONS as readonly string[]).includes(event.disposition)) {
    problems.push({
      field: 'disposition',
      code: 'bad_disposition',
      message: `must be one of ${HIT_DISPOSITIONS.join(', ')}`,
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  const confirmation = {
    by: event.by,
    at: now,
    currencyCheckedAt: checkedAt,
    currencyCheckedWith: checkedWith.trim(),
    disposition: event.disposition as HitDisposition,
    ...(event.note ? { note: event.note } : {}),
  };
  return { ok: true, value: { ...hit, state: 'confirmed', confirmation } };
}

/**
 * HIT-01: may anything act on this hit (dispatch, alert with the plate, export)? Only once confirmed.
 * @example canActOnHit({ ...hit, state: 'unverified' }) // false
 */
export function canActOnHit(hit: Pick<Hit, 'state'>): boolean {
  return hit.state === 'confirmed';
}

/**
 * HIT-04: a hit from a list older than 24 h when it matched (or never refreshed) is labelled stale.
 * @example isStaleHit({ createdAt: now, listRefreshedAt: now - 25 * HOUR_MS }) // true
 */
export function isStaleHit(hit: Pick<Hit, 'createdAt' | 'listRefreshedAt'>, staleAfterHours = 24): boolean {
  return (
    hit.listRefreshedAt === null ||
    hit.listRefreshedAt > hit.createdAt ||
    hit.createdAt - hit.listRefreshedAt > staleAfterHours * HOUR_MS
  );
}

/**
 * HIT-03 reporting: hits still unverified more than `hours` after they were made, oldest first.
 * @example overdueHits(hits, now, 4) // [{ id: 'h1', ... }]
 */
export function overdueHits<T extends Pick<Hit, 'state' | 'createdAt'>>(
  hits: readonly T[],
  now: number,
  hours: number,
): T[] {
  return hits
    .filter((h) => h.state === 'unverified' && now - h.createdAt > hours * HOUR_MS)
    .sort((a, b) => a.createdAt - b.createdAt);
}
