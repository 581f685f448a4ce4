// Retention benchmark: with the data set loaded, hold 100 reads of the oldest day, then run hub retention
// (the real service: lease, drop of the expired day with its held reads copied to evidence, trim of the
// boundary day) while ingest writes batches of reads into today's partition at 500 edges x 5 reads/s.
// Targets: the day's drop < 2 s; ingest p99 during the run < 500 ms. Ingest here is the database write of
// a batch (multi-row INSERT through the verdict trigger), the part a drop could block; the HTTP ingest
// benchmark (issue 11 ingest part) measures the endpoint around it.
import { setTimeout as sleep } from 'node:timers/promises';
import { HubAuditLog } from '../../hub/audit/hub-audit-log.js';
import type { HubDb } from '../../hub/db/hub-db.js';
import { HubHoldService } from '../../hub/holds/hub-hold.service.js';
import { type DayDropReceipt, RetentionKind } from '../../hub/retention/day-drop.js';
import { HubRetentionService } from '../../hub/retention/retention.service.js';
import { ensureReadPartition } from '../../hub/store/read-partitions.js';
import { createLogger } from '../../shared/logging/logger.js';
import { DAY_MS, HOUR_MS } from '../../shared/runtime/clock.js';
import { type BenchData, fmt, loadAvg, summarise } from './bench-data.js';

const log = (line: string) => process.stdout.write(`${line}\n`);

interface Batch {
  start: number;
  end: number;
}

/** Insert batches of `batchSize` reads at `readsPerSecond` from `workers` loops until `stop` is set. */
function ingest(
  db: HubDb,
  options: { now: number; readsPerSecond: number; batchSize: number; workers: number },
) {
  const batches: Batch[] = [];
  const errors: string[] = [];
  let stop = false;
  let nextId = 1_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;
  const intervalMs = (1000 * options.batchSize * options.workers) / options.readsPerSecond;
  const loops = (cameras: Array<{ edge_id: string; camera_id: string; verdict_id: number }>) =>
    Array.from({ length: options.workers }, async (_, w) => {
      await sleep((intervalMs / options.workers) * w);
      while (!stop) {
        const due = performance.now() + intervalMs;
        const params: unknown[] = [];
        const values: string[] = [];
        for (let i = 0; i < options.batchSize; i++) {
          const c = cameras[(nextId + i) % cameras.length]!;
          const plate = `7BNC${String(nextId % 1000).padStart(3, '0')}`;
          const b = params.length;
          nextId += 1;
          params.push(c.edge_id, nextId, c.camera_id, new Date(options.now - 1000), plate, c.verdict_id);
          values.push(
            `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 5}, $${b + 5}, 0.93, 10, 10, 120, 60, 'cct-xs-v1-global', $${b + 6}, now())`,
          );
        }
        const start = performance.now();
        try {
          await db.query(
            `INSERT INTO reads (edge_id, edge_read_id, camera_id, captured_at, plate, plate_key, raw_text, confidence,
               box_x, box_y, box_w, box_h, model_id, verdict_id, received_at) VALUES ${values.join(', ')}`,
            params as never,
          );
          batches.push({ start, end: performance.now() });
        } catch (error) {
          errors.push((error as Error).message);
        }
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
    });
  return {
    batches,
    errors,
    async start() {
      const cameras = await db.query<{ edge_id: string; camera_id: string; verdict_id: number }>(
        'SELECT edge_id, camera_id, verdict_id FROM bench_cameras ORDER BY n',
      );
      return Promise.all(loops(cameras));
    },
    stop() {
      stop = true;
    },
  };
}

export async function runRetentionBench(
  db: HubDb,
  ingestDb: HubDb,
  data: BenchData,
  options: { retentionDays: number; lockTimeoutMs: number },
) {
  const { firstDay } = data;
  // The oldest day is wholly past the cutoff, the next one partly (its first hour).
  const now = firstDay + (options.retentionDays + 1) * DAY_MS + HOUR_MS;
  const audit = new HubAuditLog();
  log(
    `\nretention: drop ${new Date(firstDay).toISOString().slice(0, 10)} (100 held reads) while ingest runs; load average ${loadAvg()}`,
  );

  const ids = await db.query<{ id: number }>(
    `SELECT edge_read_id AS id FROM reads WHERE edge_id = 'edge-001' AND captured_at >= $1 AND captured_at < $2
      ORDER BY edge_read_id LIMIT 100`,
    [new Date(firstDay), new Date(firstDay + DAY_MS)],
  );
  const holds = new HubHoldService(db, audit, options.retentionDays, { maxCameraRangeHours: 24 });
  const hold = await holds.create(
    {
      edgeId: 'edge-001',
      caseNumber: 'BENCH-1',
      crimeType: 'PC211',
      reason: 'benchmark hold',
      requestedBy: 'bench.requester',
      approvedBy: 'bench.approver',
      readIds: ids.map((r) => String(r.id)),
    },
    firstDay + 29 * DAY_MS,
  );
  if (!hold.ok) throw new Error(`bench hold not created: ${JSON.stringify(hold.error)}`);
  log(`  held ${hold.value.matched} reads of the expired day (hold ${hold.value.hold.id})`);

  await ensureReadPartition(db, now);
  const writer = ingest(ingestDb, { now, readsPerSecond: 2500, batchSize: 50, workers: 8 });
  const writing = writer.start();
  await sleep(3000);
  const service = new HubRetentionService({
    db,
    audit,
    clock: () => now,
    logger: createLogger({ level: 'warn' }),
    retentionDays: options.retentionDays,
    partitionsAheadDays: 2,
    leaseMs: 300_000,
    lockTimeoutMs: options.lockTimeoutMs,
  });
  const runStart = performance.now();
  const outcome = await service.run(`bench:${Date.now()}`, 'manual');
  const runEnd = performance.now();
  await sleep(2000);
  writer.stop();
  await writing;
  if (outcome.kind !== 'completed') throw new Error('retention run was busy');
  const drops = await db.query<{ payload: string }>(
    'SELECT payload FROM audit_events WHERE kind = $1 ORDER BY seq DESC LIMIT 1',
    [RetentionKind.partitionDropped],
  );
  const drop = JSON.parse(drops[0]!.payload) as DayDropReceipt;
  const during = writer.batches
    .filter((b) => b.end >= runStart && b.start <= runEnd)
    .map((b) => b.end - b.start);
  const before = writer.batches.filter((b) => b.end < runStart).map((b) => b.end - b.start);
  const d = summarise(during);
  const b = summarise(before);
  const r = outcome.receipt;
  log(
    `  drop of ${drop.partition}: ${drop.rowsDropped.toLocaleString()} rows dropped, ${drop.rowsKeptUnderHold} kept under hold, ` +
      `${drop.durationMs} ms (receipt); target < 2000 ms: ${drop.durationMs < 2000 ? 'met' : 'NOT met'}`,
  );
  log(
    `  whole run: ${Math.round(runEnd - runStart)} ms (${r.daysDropped} day dropped, ${r.rowsTrimmed.toLocaleString()} rows of the boundary day trimmed, ` +
      `retention ${r.retentionMet ? 'met' : 'NOT met'}${r.errors.length ? `, errors: ${r.errors.join('; ')}` : ''})`,
  );
  log(`  ingest before the run: ${b.n} batches of 50, p50 ${fmt(b.p50)}, p99 ${fmt(b.p99)}`);
  log(
    `  ingest during the run: ${d.n} batches of 50, p50 ${fmt(d.p50)}, p99 ${fmt(d.p99)}, max ${fmt(d.max)}; ` +
      `target p99 < 500 ms: ${d.p99 < 500 ? 'met' : 'NOT met'}`,
  );
  if (writer.errors.length > 0) log(`  ingest errors: ${writer.errors.length} (${writer.errors[0]})`);
  // Leave the data set reusable: release the hold (its evidence goes with it).
  await holds.release(hold.value.hold.id, { releasedBy: 'bench.approver', reason: 'benchmark done' }, now);
  log(`  load average ${loadAvg()}`);
  return {
    dropMs: drop.durationMs,
    runMs: runEnd - runStart,
    ingestDuring: d,
    ingestBefore: b,
    errors: writer.errors.length,
  };
}
