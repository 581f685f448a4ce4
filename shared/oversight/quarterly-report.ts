// The quarterly compliance report as data (CMP-02, CMP-03, RET-06, AUD-04): every section from plain
// inputs, and the result: FAILED when the retention oracle fails or an audit chain does not verify
// against its anchored heads. The same object is written as JSON and drawn as the PDF. Pure.
import { DAY_MS } from '../runtime/clock.js';
import { type AccessSections, type AccountRow, accessSections, accountSections } from './access-sections.js';
import { type AuditEntry, agencyOf, OversightKind as K, SEARCH_KINDS } from './audit-entries.js';
import { checkRetention, type RetentionCheck, type RetentionEvidence } from './retention-check.js';
import type { StorageCost } from './storage-cost.js';

export const REPORT_FORMAT = 'alpr-quarterly-report/1';

export interface HoldRow {
  id: number;
  createdAt: number;
  reviewBy: number | null;
  releasedAt: number | null;
}

export interface CameraRow {
  edgeId: string;
  cameraId: string;
  /** the latest verdict's compliance; null: no verdict (the camera stores nothing) */
  compliant: boolean | null;
  evaluatedAt: number | null;
  registryVersion: string | null;
  violations: number;
}

export interface ChainCheck {
  /** 'hub' or the edge id */
  chain: string;
  ok: boolean;
  rows: number | null;
  /** anchored heads checked */
  headsChecked: number;
  latestSeq: number | null;
  reason: string | null;
}

/** One hotlist hit as the report needs it: no plate, entry or case number. */
export interface HitRow {
  createdAt: number;
  state: 'unverified' | 'confirmed' | 'rejected';
  disposition: string | null;
  rejectionReason: string | null;
}

export interface HitSection {
  /** hits created in the period, by their state when the report was generated */
  created: number;
  confirmed: number;
  rejected: number;
  unverified: number;
  /** every hit (any period) still unverified longer than unverifiedReportHours at the report's end (HIT-03) */
  unverifiedOverdue: number;
  unverifiedReportHours: number;
  byDisposition: Record<string, number>;
  byRejectionReason: Record<string, number>;
}

/**
 * The hotlist/hit section (HIT-03): what was matched, what people decided, what still waits too long.
 * @example hitSection([], { from: 0, to: 1, at: 1, unverifiedReportHours: 4 }).created // 0
 */
export function hitSection(
  hits: readonly HitRow[],
  o: { from: number; to: number; at: number; unverifiedReportHours: number },
): HitSection {
  const inPeriod = hits.filter((h) => h.createdAt >= o.from && h.createdAt < o.to);
  const tally = (values: (string | null)[]) => {
    const out: Record<string, number> = {};
    for (const v of values) if (v !== null) out[v] = (out[v] ?? 0) + 1;
    return out;
  };
  const cutoff = o.at - o.unverifiedReportHours * 3_600_000;
  return {
    created: inPeriod.length,
    confirmed: inPeriod.filter((h) => h.state === 'confirmed').length,
    rejected: inPeriod.filter((h) => h.state === 'rejected').length,
    unverified: inPeriod.filter((h) => h.state === 'unverified').length,
    unverifiedOverdue: hits.filter((h) => h.state === 'unverified' && h.createdAt < cutoff).length,
    unverifiedReportHours: o.unverifiedReportHours,
    byDisposition: tally(inPeriod.map((h) => h.disposition)),
    byRejectionReason: tally(inPeriod.map((h) => h.rejectionReason)),
  };
}

export interface ReportInputs {
  now: number;
  from: number;
  /** exclusive */
  to: number;
  retentionDays: number;
  homeOri?: string;
  caseNumberPattern: RegExp;
  accountRules: { inactiveDays: number; trainingValidDays: number };
  /** every audit entry up to `to` (the sections pick the period; accounts need history) */
  entries: readonly AuditEntry[];
  holds: readonly HoldRow[];
  cameras: readonly CameraRow[];
  retention: Omit<RetentionEvidence, 'now' | 'from' | 'to' | 'retentionDays'>;
  chains: readonly ChainCheck[];
  storage: StorageCost;
  /** every hotlist hit created before `to` */
  hits: readonly HitRow[];
  unverifiedReportHours: number;
}

export interface QuarterlyReport {
  format: typeof REPORT_FORMAT;
  period: { from: string; to: string };
  generatedAt: string;
  result: 'PASSED' | 'FAILED';
  failures: string[];
  access: AccessSections;
  searchesPerWeek: { week: string; agency: string; searches: number }[];
  blockedByCategory: Record<string, number>;
  holds: {
    opened: number;
    released: number;
    outstanding: number;
    overdueForReview: number;
    overdueIds: number[];
  };
  accounts: { total: number; inactive: string[]; withoutCurrentTraining: string[]; rows: AccountRow[] };
  retention: RetentionCheck;
  cameras: {
    total: number;
    compliant: number;
    nonCompliant: number;
    withoutVerdict: number;
    rows: CameraRow[];
  };
  chains: ChainCheck[];
  storage: StorageCost;
  hotlistHits: HitSection;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Monday 00:00 UTC of the week holding `ms`. */
function mondayOf(ms: number): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
}

/**
 * Build the report. `to` is exclusive.
 * @example buildQuarterlyReport(inputs).result // 'PASSED' | 'FAILED'
 */
export function buildQuarterlyReport(inputs: ReportInputs): QuarterlyReport {
  const { from, to, now } = inputs;
  const period = inputs.entries.filter((e) => e.at >= from && e.at < to);
  const access = accessSections(period, {
    caseNumberPattern: inputs.caseNumberPattern,
    homeOri: inputs.homeOri,
  });

  const weekly = new Map<string, { week: string; agency: string; searches: number }>();
  for (const e of period) {
    if (!SEARCH_KINDS.includes(e.kind)) continue;
    const week = iso(mondayOf(e.at)).slice(0, 10);
    const key = `${week}\u0000${agencyOf(e)}`;
    const row = weekly.get(key) ?? { week, agency: agencyOf(e), searches: 0 };
    row.searches += 1;
    weekly.set(key, row);
  }
  const blockedByCategory: Record<string, number> = {};
  for (const section of [access.internal, access.external]) {
    for (const [c, n] of Object.entries(section.blockedByCategory))
      blockedByCategory[c] = (blockedByCategory[c] ?? 0) + n;
  }

  const at = Math.min(now, to);
  const active = inputs.holds.filter(
    (h) => h.createdAt < to && (h.releasedAt === null || h.releasedAt >= to),
  );
  const overdue = active.filter((h) => h.reviewBy !== null && h.reviewBy < at);
  const accounts = accountSections(
    inputs.entries.filter((e) => e.at < to),
    {
      now: at,
      inactiveDays: inputs.accountRules.inactiveDays,
      trainingValidDays: inputs.accountRules.trainingValidDays,
    },
  );
  const retention = checkRetention({
    ...inputs.retention,
    now,
    from,
    to,
    retentionDays: inputs.retentionDays,
  });

  const failures: string[] = [];
  if (retention.result === 'FAILED') {
    failures.push(
      `CMP-03: ${retention.violations.length} retention violation(s); reads older than ${inputs.retentionDays} days + 1 hour without a hold, or missing evidence`,
    );
  }
  for (const c of inputs.chains) {
    if (!c.ok)
      failures.push(
        `AUD-04: the ${c.chain} audit chain does not verify against its anchored heads: ${c.reason}`,
      );
  }

  const compliant = inputs.cameras.filter((c) => c.compliant === true).length;
  const withoutVerdict = inputs.cameras.filter((c) => c.compliant === null).length;
  return {
    format: REPORT_FORMAT,
    period: { from: iso(from), to: iso(to) },
    generatedAt: iso(now),
    result: failures.length === 0 ? 'PASSED' : 'FAILED',
    failures,
    access,
    searchesPerWeek: [...weekly.values()].sort(
      (a, b) => a.week.localeCompare(b.week) || a.agency.localeCompare(b.agency),
    ),
    blockedByCategory,
    holds: {
      opened: inputs.holds.filter((h) => h.createdAt >= from && h.createdAt < to).length,
      released: inputs.holds.filter((h) => h.releasedAt !== null && h.releasedAt >= from && h.releasedAt < to)
        .length,
      outstanding: active.length,
      overdueForReview: overdue.length,
      overdueIds: overdue.map((h) => h.id),
    },
    accounts: {
      total: accounts.length,
      inactive: accounts.filter((a) => a.inactive).map((a) => a.username),
      withoutCurrentTraining: accounts
        .filter((a) => !a.disabled && !a.trainingCurrent)
        .map((a) => a.username),
      rows: accounts,
    },
    retention,
    cameras: {
      total: inputs.cameras.length,
      compliant,
      nonCompliant: inputs.cameras.length - compliant - withoutVerdict,
      withoutVerdict,
      rows: [...inputs.cameras],
    },
    chains: [...inputs.chains],
    storage: inputs.storage,
    hotlistHits: hitSection(inputs.hits, {
      from,
      to,
      at,
      unverifiedReportHours: inputs.unverifiedReportHours,
    }),
  };
}

/** Kinds whose count the report surfaces as a compliance alert when FAILED. */
export const REPORT_FAILED_ALERT = K.complianceAlert;

/**
 * The quarter [from, to) holding `ms` (UTC), and the one before it.
 * @example quarterOf(Date.UTC(2026, 4, 10)) // { from: Date.UTC(2026, 3, 1), to: Date.UTC(2026, 6, 1) }
 */
export function quarterOf(ms: number): { from: number; to: number } {
  const d = new Date(ms);
  const q = Math.floor(d.getUTCMonth() / 3);
  return { from: Date.UTC(d.getUTCFullYear(), q * 3, 1), to: Date.UTC(d.getUTCFullYear(), q * 3 + 3, 1) };
}
