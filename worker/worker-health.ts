// /health and /metrics of the purge worker: is retention being met (oldest unheld read age, last successful
// purge), is Redis there. Figures are read from the store at request time, so they hold across processes.
import { Gauge, Registry } from 'prom-client';
import { registerAnchorMetrics } from '../shared/audit/anchor-metrics.js';
import type { AnchorStatus } from '../shared/audit/anchorer.js';
import { registerBuildInfo } from '../shared/http/build-info.js';
import { jsonResponse, type StatusRoute } from '../shared/http/status-server.js';
import { assessPurgeClock } from '../shared/policy/clock-skew.js';
import { receiptTrustedFinish } from '../shared/policy/purge-plan.js';
import type { RetentionPolicy } from '../shared/policy/retention.js';
import { assessRetentionHealth } from '../shared/policy/retention-health.js';
import type { Clock } from '../shared/runtime/clock.js';
import { ALPR_VERSION } from '../shared/runtime/version.js';
import type { HoldsRepository } from '../shared/store/holds.repository.js';
import type { PurgeRecords } from './purge-ledger.js';
import type { PurgeWorkerStatus } from './purge-worker.js';
import type { WalStatus } from './wal-truncator.js';

export interface WorkerHealthDeps {
  purge: PurgeRecords;
  holds: Pick<HoldsRepository, 'list'>;
  /** The store's retention policy (store.retention). */
  retention: RetentionPolicy;
  /** ingest.maxClockSkewS in ms: how far behind the store the clock may be before /health fails. */
  maxClockSkewMs?: number;
  clock: Clock;
  /** Absent when no Redis worker runs in this process. */
  worker?: { status(): PurgeWorkerStatus };
  /** The audit anchorer of this process, if any. */
  anchor?: () => AnchorStatus;
  /** WAL truncate retries of the purge service, when it retries. */
  wal?: () => WalStatus | undefined;
}

/** One consistent reading of the store for both endpoints. */
export function readWorkerHealth(deps: WorkerHealthDeps) {
  const now = deps.clock();
  const oldest = deps.purge.oldestUnheldCapturedAt();
  const last = deps.purge.lastCompleted();
  const clock = assessPurgeClock({
    now,
    lastReceiptAt: last ? receiptTrustedFinish(last) : null,
    newestStoredAt: deps.purge.maxStoredAt(),
    toleranceMs: deps.maxClockSkewMs ?? 120_000,
  });
  const retention = assessRetentionHealth({
    now,
    retentionDays: deps.retention.days,
    oldestUnheldCapturedAt: oldest,
    clock,
    lastPurgeClock: last?.clockSkew && { ...last.clockSkew, finishedAt: last.finishedAt },
  });
  const wal = deps.wal?.();
  const reasons = [...retention.reasons];
  if (wal?.gaveUpAt)
    reasons.push(
      `the WAL of purge ${wal.runId} could not be truncated (a connection holds an old read snapshot): deleted plates remain on disk`,
    );
  const running = deps.purge.progress();
  const worker = deps.worker?.status();
  return {
    status: reasons.length > 0 ? ('degraded' as const) : ('ok' as const),
    version: ALPR_VERSION,
    reasons,
    retentionDays: deps.retention.days,
    clock: {
      now: new Date(now).toISOString(),
      trusted: clock.trusted,
      behindMs: clock.skewMs,
      ...(clock.skewMs > 0
        ? { latestTrustworthy: new Date(clock.now).toISOString(), source: clock.source }
        : {}),
    },
    oldestUnheldReadAgeS:
      retention.oldestUnheldAgeMs === null ? null : Math.round(retention.oldestUnheldAgeMs / 1000),
    degradedAfterS: Math.round(retention.limitMs / 1000),
    lastSuccessfulPurgeAt: last?.finishedAt ?? null,
    lastPurge: last
      ? {
          runId: last.runId,
          trigger: last.trigger,
          rowsDeleted: last.rowsDeleted,
          filesDeleted: last.filesDeleted,
          heldSkipped: last.heldSkipped,
          filesMissing: last.filesMissing ?? 0,
          retentionMet: last.retentionMet,
          walTruncated: last.walTruncated,
        }
      : null,
    wal: wal ?? null,
    purgeRunning: running?.owner ? { runId: running.runId, rowsDeleted: running.rowsDeleted } : null,
    activeHolds: deps.holds.list({ activeOnly: true }).length,
    redis: worker
      ? worker.redisConnected
        ? 'connected'
        : 'unreachable (local fallback purging)'
      : 'not used',
    schedulerInstalled: worker?.schedulerInstalled ?? null,
    ...(deps.anchor ? { audit: deps.anchor() } : {}),
  };
}

export function createWorkerStatusRoutes(deps: WorkerHealthDeps): Record<string, StatusRoute> {
  const registry = new Registry();
  registerBuildInfo(registry);
  if (deps.anchor) registerAnchorMetrics(registry, deps.anchor);
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers: [registry] });
  const lastSuccess = gauge(
    'alpr_purge_last_success_timestamp_seconds',
    'Unix time the last purge run completed (0: never).',
  );
  const oldestAge = gauge(
    'alpr_purge_oldest_unheld_read_age_seconds',
    'Age of the oldest read no active hold covers (0 when there is none).',
  );
  const retentionDays = gauge('alpr_retention_days', 'Configured retention of reads, in days.');
  const healthy = gauge('alpr_purge_retention_ok', '1 when no unheld read is older than retention + 1 hour.');
  const lastRows = gauge('alpr_purge_last_rows_deleted', 'Reads deleted by the last completed purge run.');
  const lastFiles = gauge(
    'alpr_purge_last_files_deleted',
    'Crop files deleted by the last completed purge run.',
  );
  const lastHeld = gauge(
    'alpr_purge_last_held_skipped',
    'Expired reads kept under a hold at the last purge.',
  );
  const activeHolds = gauge('alpr_holds_active', 'Evidentiary holds not yet released.');
  const redisUp = gauge('alpr_purge_redis_connected', '1 when the worker is connected to Redis.');
  const runs = new Gauge({
    name: 'alpr_purge_runs_started',
    help: 'Purge runs started by this worker process, by trigger.',
    labelNames: ['trigger'],
    registers: [registry],
  });

  return {
    '/health': () => {
      const health = readWorkerHealth(deps);
      return jsonResponse(health.status === 'ok' ? 200 : 503, health);
    },
    '/metrics': async () => {
      const health = readWorkerHealth(deps);
      const last = deps.purge.lastCompleted();
      lastSuccess.set(last ? Date.parse(last.finishedAt) / 1000 : 0);
      oldestAge.set(health.oldestUnheldReadAgeS ?? 0);
      retentionDays.set(deps.retention.days);
      healthy.set(health.status === 'ok' ? 1 : 0);
      lastRows.set(last?.rowsDeleted ?? 0);
      lastFiles.set(last?.filesDeleted ?? 0);
      lastHeld.set(last?.heldSkipped ?? 0);
      activeHolds.set(health.activeHolds);
      const status = deps.worker?.status();
      redisUp.set(status?.redisConnected ? 1 : 0);
      for (const [trigger, n] of Object.entries(status?.runs ?? {})) runs.set({ trigger }, n);
      return { status: 200, contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
