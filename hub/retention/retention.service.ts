// Runs hub retention once: lease, clock check, partitions ahead, drop every day wholly past the cutoff,
// trim the boundary day, delete released evidence, and the run's receipt. What expires is decided by
// shared/policy/hub-retention.ts; this module sequences the transactions around it.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../shared/logging/logger.js';
import {
  boundaryDay,
  daysToDrop,
  type HubRetentionFacts,
  planHubRetention,
  retentionMet,
} from '../../shared/policy/hub-retention.js';
import type { Clock } from '../../shared/runtime/clock.js';
import type { HubAuditLog } from '../audit/hub-audit-log.js';
import { type HubDb, type HubSql, isUnavailableError, sqlState } from '../db/hub-db.js';
import { ensurePartitionsAhead, listReadPartitions } from '../store/read-partitions.js';
import { type DropStep, dropExpiredDay, RetentionKind } from './day-drop.js';
import { countExpired, deleteReleasedEvidence, trimBoundaryDay } from './expired-rows.js';
import { JobLease, type LeaseHolder, processOwnerId } from './job-lease.js';

export type HubRetentionTrigger = 'start' | 'schedule' | 'fallback' | 'manual' | 'cli';

export interface HubRetentionOptions {
  db: HubDb;
  audit: HubAuditLog;
  clock: Clock;
  logger: Logger;
  retentionDays: number;
  partitionsAheadDays: number;
  leaseMs: number;
  lockTimeoutMs: number;
  /** Who this process is in the lease (default: host, pid and a random tag). */
  owner?: string;
  /** Attempts per step whose transaction lost a race (a hold committed meanwhile, a lock timeout). */
  attempts?: number;
  /** Called after a run's receipt committed: anchors the hub chain's head. */
  afterReceipt?: () => Promise<void>;
  /** Test seam: stop a run once it holds the lease ('leased'), or a day's drop at one of its steps. */
  pause?: (step: DropStep | 'leased', day?: number) => Promise<void>;
}

export interface HubRetentionReceipt extends HubRetentionFacts {
  runId: string;
  trigger: HubRetentionTrigger;
  now: string;
  cutoff: string;
  retentionDays: number;
  clock: { status: 'ok' } | { status: 'backwards'; byMs: number; lastRunAt: string };
  partitionsCreated: number;
  errors: string[];
  retentionMet: boolean;
  durationMs: number;
}

export type HubRetentionOutcome =
  | { kind: 'completed'; receipt: HubRetentionReceipt }
  | { kind: 'busy'; holder: LeaseHolder };

export const RETENTION_LEASE = 'retention';
const ACTOR = 'hub:retention';

// Lost races and lock waits: the step's transaction rolled back whole and may simply run again.
function retryable(error: unknown): boolean {
  const state = sqlState(error);
  return (
    state === '23503' || state === '40P01' || state === '55P03' || state === '40001' || state === '23001'
  );
}

export class HubRetentionService {
  private readonly lease: JobLease;
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(private readonly options: HubRetentionOptions) {
    this.lease = new JobLease(RETENTION_LEASE, options.owner ?? processOwnerId(), options.leaseMs);
  }

  /** Run once; runs of this process are serialised, across processes the lease decides. */
  run(runId: string, trigger: HubRetentionTrigger, signal?: AbortSignal): Promise<HubRetentionOutcome> {
    this.pending += 1;
    const next = this.queue
      .then(() => this.runExclusive(runId, trigger, signal))
      .finally(() => {
        this.pending -= 1;
      });
    this.queue = next.catch(() => undefined);
    return next;
  }

  isRunning(): boolean {
    return this.pending > 0;
  }

  async idle(): Promise<void> {
    await this.queue;
  }

  /** The last run receipt in the audit chain (what the clock check compares with). */
  lastRun(): Promise<HubRetentionReceipt | undefined> {
    return lastRetentionRun(this.options.db);
  }

  private async runExclusive(
    runId: string,
    trigger: HubRetentionTrigger,
    signal?: AbortSignal,
  ): Promise<HubRetentionOutcome> {
    const { db, logger } = this.options;
    const taken = await this.lease.acquire(db, runId);
    if (!taken.acquired) return { kind: 'busy', holder: taken.holder };
    const log = logger.child({ runId, trigger });
    try {
      await this.options.pause?.('leased');
      return { kind: 'completed', receipt: await this.steps(runId, trigger, log, signal) };
    } finally {
      await this.lease.release(db, runId).catch((error) => {
        log.warn({ err: error }, 'could not release the retention lease; it expires on its own');
      });
    }
  }

  private async steps(
    runId: string,
    trigger: HubRetentionTrigger,
    log: Logger,
    signal?: AbortSignal,
  ): Promise<HubRetentionReceipt> {
    const o = this.options;
    const started = performance.now();
    const last = await this.lastRun();
    const plan = planHubRetention(
      o.clock(),
      o.retentionDays,
      last && { now: Date.parse(last.now), cutoff: Date.parse(last.cutoff) },
    );
    if (plan.clock.status === 'backwards') {
      log.error(
        { byMs: plan.clock.byMs, lastRunAt: new Date(plan.clock.lastRunAt).toISOString() },
        'clock is earlier than the last retention run: keeping that run’s cutoff; retention NOT reported met',
      );
    }
    const columns = await readColumns(o.db);
    const fence = (tx: HubSql) => this.lease.renew(tx, runId);
    const step = {
      cutoff: plan.cutoff,
      now: plan.now,
      runId,
      actor: ACTOR,
      lockTimeoutMs: o.lockTimeoutMs,
      fence,
      audit: o.audit,
    };
    const errors: string[] = [];
    const facts = { daysDropped: 0, rowsDropped: 0, rowsTrimmed: 0, evidenceDeleted: 0, daysLeft: 0 };

    const created = await ensurePartitionsAhead(o.db, plan.now, o.partitionsAheadDays);
    const partitions = await listReadPartitions(o.db);
    for (const day of daysToDrop(
      partitions.map((p) => p.day),
      plan.cutoff,
    )) {
      signal?.throwIfAborted();
      const partition = partitions.find((p) => p.day === day)!;
      const dropped = await this.attempt(`drop ${partition.name}`, log, () =>
        dropExpiredDay(o.db, {
          ...step,
          partition,
          retentionDays: o.retentionDays,
          columns,
          pause: o.pause && ((s) => o.pause!(s, day)),
        }),
      );
      if (dropped.ok) {
        if (dropped.value) {
          facts.daysDropped += 1;
          facts.rowsDropped += dropped.value.rowsDropped;
          log.info({ receipt: dropped.value }, 'expired day dropped');
        }
      } else {
        facts.daysLeft += 1;
        errors.push(dropped.error);
      }
    }
    const boundary = boundaryDay(
      partitions.map((p) => p.day),
      plan.cutoff,
    );
    if (boundary !== undefined) {
      signal?.throwIfAborted();
      const partition = partitions.find((p) => p.day === boundary)!;
      const trimmed = await this.attempt(`trim ${partition.name}`, log, () =>
        trimBoundaryDay(o.db, partition, step),
      );
      if (trimmed.ok) facts.rowsTrimmed = trimmed.value.rowsDeleted;
      else errors.push(trimmed.error);
    }
    signal?.throwIfAborted();
    const evidence = await this.attempt('delete released evidence', log, () =>
      deleteReleasedEvidence(o.db, step),
    );
    if (evidence.ok) facts.evidenceDeleted = evidence.value.rowsDeleted;
    else errors.push(evidence.error);

    const left = await countExpired(o.db, plan.cutoff);
    const receipt: HubRetentionReceipt = {
      runId,
      trigger,
      now: new Date(plan.now).toISOString(),
      cutoff: new Date(plan.cutoff).toISOString(),
      retentionDays: o.retentionDays,
      clock:
        plan.clock.status === 'ok'
          ? { status: 'ok' }
          : {
              status: 'backwards',
              byMs: plan.clock.byMs,
              lastRunAt: new Date(plan.clock.lastRunAt).toISOString(),
            },
      partitionsCreated: created.length,
      ...facts,
      ...left,
      errors,
      retentionMet: retentionMet(plan.clock, { daysLeft: facts.daysLeft, ...left }),
      durationMs: Math.round(performance.now() - started),
    };
    await o.db.transaction(async (tx) => {
      await fence(tx);
      await o.audit.append(tx, { kind: RetentionKind.run, actor: ACTOR, payload: { ...receipt } }, plan.now);
    });
    (receipt.retentionMet ? log.info.bind(log) : log.warn.bind(log))(
      { receipt },
      'hub retention run receipted',
    );
    if (o.afterReceipt) {
      await o
        .afterReceipt()
        .catch((error) => log.warn({ err: error }, 'anchoring after the retention receipt failed'));
    }
    return receipt;
  }

  /** Run one step's transaction, again after a lost race; a step that keeps failing is reported, not fatal. */
  private async attempt<T>(
    what: string,
    log: Logger,
    fn: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
    const attempts = this.options.attempts ?? 3;
    for (let i = 1; ; i++) {
      try {
        return { ok: true, value: await fn() };
      } catch (error) {
        if (isUnavailableError(error) || !retryable(error)) throw error;
        const message = `${what}: ${(error as Error).message}`;
        if (i >= attempts) {
          log.error({ err: error, attempts: i }, `${what} failed; the next run tries again`);
          return { ok: false, error: message };
        }
        log.warn({ err: (error as Error).message, attempt: i }, `${what} lost a race; retrying`);
        await sleep(50 * 2 ** i);
      }
    }
  }
}

/** The last hub retention run receipt in the audit chain, if any. */
export async function lastRetentionRun(sql: HubSql): Promise<HubRetentionReceipt | undefined> {
  const rows = await sql.query<{ payload: string }>(
    'SELECT payload FROM audit_events WHERE kind = $1 ORDER BY seq DESC LIMIT 1',
    [RetentionKind.run],
  );
  return rows[0] ? (JSON.parse(rows[0].payload) as HubRetentionReceipt) : undefined;
}

/** The columns of reads, in order; evidence_reads must have every one (a migration that forgot one fails here). */
async function readColumns(sql: HubSql): Promise<string[]> {
  const rows = await sql.query<{ table: string; name: string }>(
    `SELECT c.relname AS table, a.attname AS name FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relname IN ('reads', 'evidence_reads') AND c.relnamespace = 'public'::regnamespace
        AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
  );
  const reads = rows.filter((r) => r.table === 'reads').map((r) => r.name);
  const evidence = new Set(rows.filter((r) => r.table === 'evidence_reads').map((r) => r.name));
  const missing = reads.filter((c) => !evidence.has(c));
  if (missing.length > 0) {
    throw new Error(
      `evidence_reads lacks column(s) ${missing.join(', ')} of reads: refusing to drop any day`,
    );
  }
  return reads.map((c) => `"${c}"`);
}
