import { describe, expect, it } from 'vitest';
import {
  canActOnHit,
  type Hit,
  type HitEvent,
  isStaleHit,
  overdueHits,
  transitionHit,
} from '../../../shared/access/hits.js';
import { HOUR_MS, MINUTE_MS } from '../../../shared/access/problems.js';
import { NOW } from './factories.js';

const hit = (overrides: Partial<Hit> = {}): Hit => ({
  id: 'h1',
  state: 'unverified',
  createdAt: NOW - 5 * MINUTE_MS,
  listRefreshedAt: NOW - 2 * HOUR_MS,
  ...overrides,
});
const confirm = (overrides: Partial<Extract<HitEvent, { type: 'confirm' }>> = {}): HitEvent => ({
  type: 'confirm',
  by: 'ofc.lee',
  role: 'investigator',
  visualMatch: true,
  currency: { checkedAt: NOW - MINUTE_MS, stillListed: true, checkedWith: 'CLETS SVS query' },
  disposition: 'vehicle_recovered',
  ...overrides,
});
const codes = (h: Hit, e: HitEvent) => {
  const r = transitionHit(h, e, NOW);
  return r.ok ? [] : r.problems.map((p) => p.code);
};

describe('transitionHit (HIT-01, HIT-03)', () => {
  it('confirms an unverified hit after visual match, a fresh currency check and a disposition', () => {
    expect(transitionHit(hit(), confirm(), NOW)).toEqual({
      ok: true,
      value: {
        ...hit(),
        state: 'confirmed',
        confirmation: {
          by: 'ofc.lee',
          at: NOW,
          currencyCheckedAt: NOW - MINUTE_MS,
          currencyCheckedWith: 'CLETS SVS query',
          disposition: 'vehicle_recovered',
        },
      },
    });
  });

  it('refuses to confirm without visual confirmation', () => {
    expect(codes(hit(), confirm({ visualMatch: false }))).toEqual(['no_visual_confirmation']);
  });

  it('refuses to confirm without a current, recent currency check made after the hit', () => {
    expect(
      codes(
        hit(),
        confirm({ currency: { checkedAt: NOW - MINUTE_MS, stillListed: false, checkedWith: 'CLETS' } }),
      ),
    ).toEqual(['not_current']);
    expect(
      codes(
        hit(),
        confirm({ currency: { checkedAt: NOW - 11 * MINUTE_MS, stillListed: true, checkedWith: 'CLETS' } }),
      ),
    ).toEqual(['stale_currency_check']);
    expect(
      codes(
        hit(),
        confirm({ currency: { checkedAt: NOW - 6 * MINUTE_MS, stillListed: true, checkedWith: 'CLETS' } }),
      ),
    ).toEqual(['stale_currency_check']);
    expect(
      codes(hit(), confirm({ currency: { checkedAt: NOW, stillListed: true, checkedWith: ' ' } })),
    ).toEqual(['missing']);
  });

  it('refuses to confirm without a listed disposition', () => {
    expect(codes(hit(), confirm({ disposition: '' }))).toEqual(['bad_disposition']);
    expect(codes(hit(), confirm({ disposition: 'citation_issued' }))).toEqual(['bad_disposition']);
  });

  it('lets only roles with hits.verify decide', () => {
    expect(codes(hit(), confirm({ role: 'auditor' }))).toEqual(['not_permitted']);
    expect(codes(hit(), confirm({ role: 'admin' }))).toEqual(['not_permitted']);
    expect(codes(hit(), confirm({ role: 'supervisor' }))).toEqual([]);
  });

  it('rejects a hit with a reason, and "other" needs a note', () => {
    expect(
      transitionHit(hit(), { type: 'reject', by: 'ofc.lee', role: 'investigator', reason: 'misread' }, NOW),
    ).toMatchObject({
      ok: true,
      value: { state: 'rejected', rejection: { by: 'ofc.lee', at: NOW, reason: 'misread' } },
    });
    expect(codes(hit(), { type: 'reject', by: 'ofc.lee', role: 'investigator', reason: 'other' })).toEqual([
      'missing',
    ]);
    expect(codes(hit(), { type: 'reject', by: 'ofc.lee', role: 'investigator', reason: 'bored' })).toEqual([
      'bad_reason',
    ]);
  });

  it('never changes a confirmed or rejected hit', () => {
    expect(codes(hit({ state: 'confirmed' }), confirm())).toEqual(['hit_final']);
    expect(codes(hit({ state: 'rejected' }), confirm())).toEqual(['hit_final']);
  });
});

describe('what may follow a hit', () => {
  it('lets nothing act on an unverified or rejected hit (HIT-01)', () => {
    expect(canActOnHit(hit())).toBe(false);
    expect(canActOnHit(hit({ state: 'rejected' }))).toBe(false);
    expect(canActOnHit(hit({ state: 'confirmed' }))).toBe(true);
  });

  it('labels a hit stale when its list was older than 24 h at the match (HIT-04)', () => {
    expect(isStaleHit(hit())).toBe(false);
    expect(isStaleHit(hit({ listRefreshedAt: NOW - 25 * HOUR_MS }))).toBe(true);
    expect(isStaleHit(hit({ listRefreshedAt: null }))).toBe(true);
    expect(isStaleHit(hit({ listRefreshedAt: NOW }))).toBe(true); // refreshed after the hit: the clock lies
  });

  it('reports hits left unverified for more than N hours, oldest first (HIT-03)', () => {
    const hits = [
      hit({ id: 'a', createdAt: NOW - 5 * HOUR_MS }),
      hit({ id: 'b', createdAt: NOW - 9 * HOUR_MS }),
      hit({ id: 'c', createdAt: NOW - 9 * HOUR_MS, state: 'confirmed' }),
      hit({ id: 'd', createdAt: NOW - HOUR_MS }),
    ];
    expect(overdueHits(hits, NOW, 4).map((h) => h.id)).toEqual(['b', 'a']);
  });
});
