// CMP-03, the report's retention oracle: no read without a hold may be older than retention + 1 hour,
// anywhere. Evidence: the hub's own oldest unheld read at report time, the hub's retention runs (a run
// that left unheld reads past the cutoff which no clean run cleared within the hour), and every edge's
// purge receipts (their oldest unheld age). Fail closed: an edge with no receipt in the period, or a
// receipt from a clock it did not trust, fails the check as surely as an old read. Pure.
import { DAY_MS, HOUR_MS } from '../runtime/clock.js';

/** Retention + this much slack is the most any unheld read may age (a purge runs at least hourly-ish). */
export const RETENTION_GRACE_MS = HOUR_MS;

export interface EdgePurgeReceipt {
  /** ms; the receipt's finishedAt */
  finishedAt: number;
  /** age of the oldest unheld read at finishedAt; null: no unheld read */
  oldestUnheldAgeMs: number | null;
  retentionMet: boolean;
  /** false when the edge's clock went backwards and it could not trust the run */
  clockTrusted: boolean;
}

export interface HubRetentionRun {
  /** ms; the run's now */
  at: number;
  unheldExpiredLeft: number;
  retentionMet: boolean;
}

export interface RetentionEvidence {
  now: number;
  from: number;
  to: number;
  retentionDays: number;
  hub: {
    /** captured_at of the oldest read at the hub that no active hold pins (null: none) */
    oldestUnheldCapturedAt: number | null;
    runs: readonly HubRetentionRun[];
  };
  edges: readonly { edgeId: string; receipts: readonly EdgePurgeReceipt[] }[];
}

export interface RetentionViolation {
  source: string;
  at: number;
  /** the age that broke the limit; null when the violation is missing or untrusted evidence */
  ageMs: number | null;
  message: string;
}

export interface RetentionCheck {
  result: 'PASSED' | 'FAILED';
  limitMs: number;
  /** the largest age any evidence showed (hub now, receipts in the period); null: no evidence */
  maxUnheldAgeMs: number | null;
  sources: { source: string; receipts: number; maxUnheldAgeMs: number | null; lastAt: number | null }[];
  /** the chart: the largest oldest-unheld age seen each UTC day of the period */
  perDay: { day: string; maxUnheldAgeMs: number | null }[];
  violations: RetentionViolation[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const hours = (ms: number) => `${(ms / HOUR_MS).toFixed(1)} h`;

/**
 * Judge retention over a report period.
 * @example checkRetention({ now, from, to, retentionDays: 30, hub: { oldestUnheldCapturedAt: now - 31 * DAY_MS, runs: [] }, edges: [] }).result // 'FAILED'
 */
export function checkRetention(evidence: RetentionEvidence): RetentionCheck {
  const limitMs = evidence.retentionDays * DAY_MS + RETENTION_GRACE_MS;
  const violations: RetentionViolation[] = [];
  const sources: RetentionCheck['sources'] = [];
  const daily = new Map<number, number>();
  const note = (at: number, age: number) => {
    const day = Math.floor(at / DAY_MS) * DAY_MS;
    daily.set(day, Math.max(daily.get(day) ?? 0, age));
  };
  let max: number | null = null;
  const seen = (age: number) => {
    max = Math.max(max ?? 0, age);
  };

  // The hub, now.
  const oldest = evidence.hub.oldestUnheldCapturedAt;
  const hubAge = oldest === null ? null : Math.max(0, evidence.now - oldest);
  if (hubAge !== null) {
    seen(hubAge);
    if (evidence.now >= evidence.from && evidence.now < evidence.to + DAY_MS) note(evidence.now, hubAge);
    if (hubAge > limitMs) {
      violations.push({
        source: 'hub',
        at: evidence.now,
        ageMs: hubAge,
        message: `the hub holds an unheld read captured ${iso(oldest!)}, ${hours(hubAge)} old (limit ${hours(limitMs)})`,
      });
    }
  }
  // The hub's runs: unheld reads past the cutoff that stayed longer than the grace.
  const runs = [...evidence.hub.runs]
    .filter((r) => r.at >= evidence.from && r.at < evidence.to)
    .sort((a, b) => a.at - b.at);
  for (const [i, run] of runs.entries()) {
    if (run.unheldExpiredLeft <= 0) continue;
    const cleared = runs.slice(i + 1).find((r) => r.unheldExpiredLeft === 0)?.at ?? evidence.now;
    if (cleared - run.at > RETENTION_GRACE_MS) {
      violations.push({
        source: 'hub',
        at: run.at,
        ageMs: null,
        message: `hub retention at ${iso(run.at)} left ${run.unheldExpiredLeft} unheld read(s) past the cutoff, not cleared within ${hours(RETENTION_GRACE_MS)}`,
      });
    }
  }
  sources.push({
    source: 'hub',
    receipts: runs.length,
    maxUnheldAgeMs: hubAge,
    lastAt: runs.at(-1)?.at ?? null,
  });

  for (const edge of evidence.edges) {
    const source = `edge:${edge.edgeId}`;
    const inPeriod = edge.receipts.filter((r) => r.finishedAt >= evidence.from && r.finishedAt < evidence.to);
    let edgeMax: number | null = null;
    for (const r of inPeriod) {
      if (!r.clockTrusted) {
        violations.push({
          source,
          at: r.finishedAt,
          ageMs: null,
          message: `${source} purge at ${iso(r.finishedAt)} ran on a clock it did not trust: retention not shown`,
        });
      }
      if (r.oldestUnheldAgeMs === null) continue;
      edgeMax = Math.max(edgeMax ?? 0, r.oldestUnheldAgeMs);
      seen(r.oldestUnheldAgeMs);
      note(r.finishedAt, r.oldestUnheldAgeMs);
      if (r.oldestUnheldAgeMs > limitMs) {
        violations.push({
          source,
          at: r.finishedAt,
          ageMs: r.oldestUnheldAgeMs,
          message: `${source} purge at ${iso(r.finishedAt)} found an unheld read ${hours(r.oldestUnheldAgeMs)} old (limit ${hours(limitMs)})`,
        });
      }
    }
    if (inPeriod.length === 0) {
      violations.push({
        source,
        at: evidence.to,
        ageMs: null,
        message: `${source} sent no purge receipt for the period: its retention cannot be shown`,
      });
    }
    sources.push({
      source,
      receipts: inPeriod.length,
      maxUnheldAgeMs: edgeMax,
      lastAt: inPeriod.at(-1)?.finishedAt ?? null,
    });
  }

  const perDay: RetentionCheck['perDay'] = [];
  const lastDay = Math.min(evidence.to, evidence.now + 1);
  for (let day = Math.floor(evidence.from / DAY_MS) * DAY_MS; day < lastDay; day += DAY_MS) {
    perDay.push({ day: iso(day).slice(0, 10), maxUnheldAgeMs: daily.get(day) ?? null });
  }
  return {
    result: violations.length === 0 ? 'PASSED' : 'FAILED',
    limitMs,
    maxUnheldAgeMs: max,
    sources,
    perDay,
    violations,
  };
}
