// CMP-01: the weekly anomaly queue. Each detector flags its pattern and stays quiet below its threshold.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANOMALY_RULES, detectAnomalies, weekStart } from '../../../shared/oversight/anomalies.js';
import { DAY_MS, HOUR_MS } from '../../../shared/runtime/clock.js';
import { entry, HOME, OTHER, search } from './oversight-factories.js';

// Monday 2026-03-02 00:00 UTC; 10:00 UTC is 02:00 in San José (PST, UTC-8): off-hours.
const WEEK = Date.UTC(2026, 2, 2);
const OFF = WEEK + 10 * HOUR_MS;
const DAYTIME = WEEK + 20 * HOUR_MS; // 12:00 PST
const detectors = (items: { detector: string }[]) => items.map((i) => i.detector);

describe('detectAnomalies (CMP-01)', () => {
  it('finds the Monday of a week', () => {
    expect(weekStart(WEEK + 3 * DAY_MS + 5)).toBe(WEEK);
  });

  it('flags an off-hours burst by one user, not the same searches at midday', () => {
    const off = Array.from({ length: 5 }, (_, i) => search(OFF + i * 60_000, { plate: `7ABC12${i}` }));
    const day = Array.from({ length: 5 }, (_, i) => search(DAYTIME + i * 60_000, { plate: `7ABC12${i}` }));
    expect(detectors(detectAnomalies(off, WEEK))).toContain('off_hours_burst');
    expect(detectors(detectAnomalies(day, WEEK))).not.toContain('off_hours_burst');
    expect(detectors(detectAnomalies(off.slice(0, 4), WEEK))).not.toContain('off_hours_burst');
  });

  it('flags one plate searched repeatedly by one user, naming the plate only by fingerprint', () => {
    const rows = Array.from({ length: 4 }, (_, i) => search(DAYTIME + i * DAY_MS, { plate: '8XYZ999' }));
    const items = detectAnomalies(rows, WEEK).filter((i) => i.detector === 'repeated_plate');
    expect(items).toHaveLength(1);
    expect(items[0]!.subject).toBe('det.a');
    expect(JSON.stringify(items)).not.toContain('8XYZ999');
    const spread = rows.map((r, i) => ({ ...r, payload: { ...r.payload, user: `det.${i}` } }));
    expect(detectors(detectAnomalies(spread, WEEK))).not.toContain('repeated_plate');
  });

  it('flags vague reasons when most of a user’s justifications were refused as generic', () => {
    const rows = [
      search(DAYTIME, { kind: 'search.refused', category: 'generic_justification' }),
      search(DAYTIME + 1, { kind: 'search.refused', category: 'generic_justification' }),
      search(DAYTIME + 2),
    ];
    expect(detectors(detectAnomalies(rows, WEEK))).toContain('vague_reasons');
    expect(
      detectors(detectAnomalies([...rows, search(DAYTIME + 3), search(DAYTIME + 4)], WEEK)),
    ).not.toContain('vague_reasons');
  });

  it('queues every blocked-term attempt', () => {
    const items = detectAnomalies(
      [search(DAYTIME, { kind: 'search.blocked', category: 'immigration' })],
      WEEK,
    );
    expect(items.find((i) => i.detector === 'blocked_terms')).toMatchObject({ subject: 'det.a', count: 1 });
  });

  it('flags a partial-plate spike against the agency’s 4-week baseline', () => {
    const spike = Array.from({ length: 6 }, (_, i) =>
      search(DAYTIME + i, { plate: '7AB*', mode: 'partial' }),
    );
    expect(detectors(detectAnomalies(spike, WEEK))).toContain('partial_plate_spike');
    const usual = Array.from({ length: 12 }, (_, i) =>
      search(WEEK - 7 * DAY_MS - i * DAY_MS, { plate: '7AB*', mode: 'partial' }),
    );
    expect(detectors(detectAnomalies([...usual, ...spike], WEEK))).not.toContain('partial_plate_spike');
  });

  it('flags an external agency the first week it appears, and not after', () => {
    const ext = search(DAYTIME, { agency: OTHER, origin: 'external', user: 'det.other' });
    expect(detectAnomalies([ext], WEEK).find((i) => i.detector === 'new_external_agency')?.subject).toBe(
      OTHER,
    );
    const earlier = search(WEEK - DAY_MS, { agency: OTHER, origin: 'external', user: 'det.other' });
    expect(detectors(detectAnomalies([earlier, ext], WEEK))).not.toContain('new_external_agency');
    const created = entry(DAYTIME, 'agency.created', { ori: 'CA0439900', home: false }, 'admin');
    expect(detectAnomalies([created], WEEK, DEFAULT_ANOMALY_RULES, HOME).map((i) => i.subject)).toContain(
      'CA0439900',
    );
  });

  it('gives items stable keys, so a re-run of the same week queues nothing twice', () => {
    const rows = [search(DAYTIME, { kind: 'search.blocked', category: 'immigration' })];
    expect(detectAnomalies(rows, WEEK).map((i) => i.key)).toEqual(
      detectAnomalies(rows, WEEK).map((i) => i.key),
    );
  });
});
