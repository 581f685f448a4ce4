// The weekly anomaly review queue (CMP-01, CJIS 5.4.3): from one week of audit entries (and the weeks
// before, for baselines), the items an auditor must look at and sign off: off-hours bursts, one plate
// searched again and again by one user, vague reasons, blocked-term attempts, partial-plate spikes and
// external agencies seen for the first time. Pure; items name audit seqs, never a plate (a plate is
// shown as a short fingerprint the auditor can match against the chain).
import { sha256Hex } from '../canonical-json.js';
import { DAY_MS, HOUR_MS } from '../runtime/clock.js';
import { GENERIC_CODE } from './access-sections.js';
import {
  type AuditEntry,
  agencyOf,
  categoryOf,
  exactPlateOf,
  isPartialPlate,
  OversightKind as K,
  originOf,
  SEARCH_KINDS,
  userOf,
} from './audit-entries.js';

export const ANOMALY_DETECTORS = [
  'off_hours_burst',
  'repeated_plate',
  'vague_reasons',
  'blocked_terms',
  'partial_plate_spike',
  'new_external_agency',
] as const;
export type AnomalyDetector = (typeof ANOMALY_DETECTORS)[number];

export interface AnomalyRules {
  /** local time zone of the agency (off-hours are judged in it) */
  timeZone: string;
  /** off-hours: local hour >= start or < end */
  offHoursStart: number;
  offHoursEnd: number;
  /** searches by one user inside one off-hours hour that make a burst */
  burstSearches: number;
  /** searches of one plate by one user in a week that are "repeated tracking" */
  repeatedPlate: number;
  /** generic rate (0..1) and attempts that flag a user's reasons as vague */
  vagueRate: number;
  vagueMinAttempts: number;
  /** partial-plate searches by one agency in a week that are a spike, and the factor over its baseline */
  partialSpikeMin: number;
  partialSpikeFactor: number;
}

export const DEFAULT_ANOMALY_RULES: AnomalyRules = {
  timeZone: 'America/Los_Angeles',
  offHoursStart: 22,
  offHoursEnd: 6,
  burstSearches: 5,
  repeatedPlate: 4,
  vagueRate: 0.5,
  vagueMinAttempts: 3,
  partialSpikeMin: 5,
  partialSpikeFactor: 3,
};

export interface AnomalyItem {
  /** stable over re-runs of the same week: detector:weekStart:subject */
  key: string;
  detector: AnomalyDetector;
  /** a username or an agency ORI */
  subject: string;
  count: number;
  /** audit rows that make the item (at most 20) */
  seqs: number[];
  detail: string;
}

/** Monday 00:00 UTC of the week holding `ms`. */
export function weekStart(ms: number): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0
  return day - weekday * DAY_MS;
}

/** A short fingerprint of a plate for the queue (not reversible without the chain). */
export function plateFingerprint(plate: string): string {
  return `plate#${sha256Hex(Buffer.from(`oversight:${plate}`)).slice(0, 10)}`;
}

function localHour(ms: number, timeZone: string): number {
  const text = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(ms);
  return Number(text) % 24;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k) ?? [];
    list.push(item);
    map.set(k, list);
  }
  return map;
}

/**
 * The anomaly items of the week starting `week` (Monday 00:00 UTC), from `entries` (the week and any
 * history before it; later rows are ignored).
 * @example detectAnomalies(entries, weekStart(now), DEFAULT_ANOMALY_RULES, 'CA0430100')
 */
export function detectAnomalies(
  entries: readonly AuditEntry[],
  week: number,
  rules: AnomalyRules = DEFAULT_ANOMALY_RULES,
  homeOri?: string,
): AnomalyItem[] {
  const end = week + 7 * DAY_MS;
  const inWeek = entries.filter((e) => e.at >= week && e.at < end);
  const before = entries.filter((e) => e.at < week);
  const searches = inWeek.filter((e) => SEARCH_KINDS.includes(e.kind));
  const items: AnomalyItem[] = [];
  const weekId = new Date(week).toISOString().slice(0, 10);
  const add = (detector: AnomalyDetector, subject: string, rows: readonly AuditEntry[], detail: string) =>
    items.push({
      key: `${detector}:${weekId}:${subject}`,
      detector,
      subject,
      count: rows.length,
      seqs: rows.slice(0, 20).map((r) => r.seq),
      detail,
    });

  // Off-hours bursts: a sliding hour of one user's off-hours searches.
  for (const [user, rows] of groupBy(searches, userOf)) {
    const off = rows
      .filter((e) => {
        const h = localHour(e.at, rules.timeZone);
        return h >= rules.offHoursStart || h < rules.offHoursEnd;
      })
      .sort((a, b) => a.at - b.at);
    let best: AuditEntry[] = [];
    for (let i = 0, j = 0; j < off.length; j++) {
      while (off[j]!.at - off[i]!.at > HOUR_MS) i++;
      if (j - i + 1 > best.length) best = off.slice(i, j + 1);
    }
    if (best.length >= rules.burstSearches) {
      add(
        'off_hours_burst',
        user,
        best,
        `${best.length} searches within an hour off-hours (${rules.offHoursStart}:00-${rules.offHoursEnd}:00 ${rules.timeZone}) from ${new Date(best[0]!.at).toISOString()}`,
      );
    }
  }
  // One plate, one user, again and again.
  const byUserPlate = groupBy(
    searches.filter((e) => exactPlateOf(e) !== null),
    (e) => `${userOf(e)}\u0000${exactPlateOf(e)}`,
  );
  for (const [key, rows] of byUserPlate) {
    if (rows.length < rules.repeatedPlate) continue;
    const [user, plate] = key.split('\u0000') as [string, string];
    const fp = plateFingerprint(plate);
    items.push({
      key: `repeated_plate:${weekId}:${user}:${fp}`,
      detector: 'repeated_plate',
      subject: user,
      count: rows.length,
      seqs: rows.slice(0, 20).map((r) => r.seq),
      detail: `searched ${fp} ${rows.length} times this week`,
    });
  }
  // Vague reasons.
  for (const [user, rows] of groupBy(
    searches.filter((e) => e.kind !== K.searchBlocked),
    userOf,
  )) {
    const generic = rows.filter((e) => e.kind === K.searchRefused && categoryOf(e) === GENERIC_CODE);
    const rate = generic.length / rows.length;
    if (rows.length >= rules.vagueMinAttempts && rate >= rules.vagueRate) {
      add(
        'vague_reasons',
        user,
        generic,
        `${generic.length} of ${rows.length} justifications refused as generic`,
      );
    }
  }
  // Blocked-term attempts: every one is reviewed.
  for (const [user, rows] of groupBy(
    searches.filter((e) => e.kind === K.searchBlocked),
    userOf,
  )) {
    const cats = [...new Set(rows.map(categoryOf))].sort().join(', ');
    add('blocked_terms', user, rows, `${rows.length} search(es) blocked as a prohibited purpose (${cats})`);
  }
  // Partial-plate spikes per agency, against the average of the 4 weeks before.
  const partialBefore = before.filter(
    (e) => SEARCH_KINDS.includes(e.kind) && isPartialPlate(e) && e.at >= week - 28 * DAY_MS,
  );
  for (const [agency, rows] of groupBy(searches.filter(isPartialPlate), agencyOf)) {
    const baseline = partialBefore.filter((e) => agencyOf(e) === agency).length / 4;
    if (rows.length >= rules.partialSpikeMin && rows.length >= rules.partialSpikeFactor * baseline) {
      add(
        'partial_plate_spike',
        agency,
        rows,
        `${rows.length} partial-plate searches (4-week average ${baseline.toFixed(1)})`,
      );
    }
  }
  // External agencies seen for the first time (searches, inquiries, grants, agency records).
  const agencyKinds = new Set([...SEARCH_KINDS, K.inquirySubmitted, K.grantChanged]);
  const externalOri = (e: AuditEntry): string | null => {
    if (e.kind === 'agency.created') {
      const ori = e.payload.ori;
      return typeof ori === 'string' && ori !== homeOri && e.payload.home !== true ? ori : null;
    }
    if (!agencyKinds.has(e.kind)) return null;
    const detail = (e.payload.detail ?? {}) as Record<string, unknown>;
    const target = typeof detail.agency === 'string' ? detail.agency : null;
    if (e.kind === K.grantChanged) return target;
    return originOf(e, homeOri) === 'external' ? agencyOf(e) : null;
  };
  const known = new Set(before.map(externalOri).filter((o): o is string => o !== null));
  for (const [ori, rows] of groupBy(
    inWeek.filter((e) => externalOri(e) !== null),
    (e) => externalOri(e)!,
  )) {
    if (known.has(ori) || ori === 'unknown') continue;
    add('new_external_agency', ori, rows, `external agency ${ori} appears for the first time this week`);
  }
  return items.sort((a, b) => a.detector.localeCompare(b.detector) || a.subject.localeCompare(b.subject));
}
