// `npm run bench:purge`: purge N expired reads (default 1,000,000) while another process inserts reads at a
// steady rate; prints purge rows/s and the inserter's p50/p99 insert latency during the purge.
// Targets: >= 100,000 rows/s and insert p99 < 50 ms. Figures are noisy on a shared machine: re-run quietly.
import { fork } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../shared/config/load-config.js';
import { createLogger } from '../shared/logging/logger.js';
import { DAY_MS, systemClock } from '../shared/runtime/clock.js';
import { PROJECT_ROOT } from '../shared/runtime/paths.js';
import { openStore } from '../shared/store/store.js';
import { PurgeService } from '../worker/purge.service.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    rate: { type: 'string', default: '200' },
    chunk: { type: 'string' },
    pause: { type: 'string' },
    lock: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'seed-cache': { type: 'string' },
    // Diagnostic only (not the product schema): add a plate index to show what it costs a purge.
    'with-plate-index': { type: 'boolean', default: false },
  },
});
const defaults = parseConfig({}, process.cwd());
if (!defaults.ok) throw new Error('default config invalid');
const rows = Number(values.rows);
const rate = Number(values.rate);
const chunkSize = Number(values.chunk ?? defaults.value.config.retention.chunkSize);
const chunkPauseMs = Number(values.pause ?? defaults.value.config.retention.chunkPauseMs);
const chunkMaxLockMs = Number(values.lock ?? defaults.value.config.retention.chunkMaxLockMs);

// Real plates arrive in no particular order (what a plate-ordered index would be touched by).
const randomPlate = (n: number) => {
  let x = (n + 1) * 2654435761;
  let out = '';
  for (let k = 0; k < 7; k++) {
    x = (x ^ (x >>> 13)) * 1274126177;
    out += 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'[Math.abs(x) % 33];
  }
  return out;
};
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(2)} ms`;

const dir = mkdtempSync(path.join(os.tmpdir(), 'alpr-bench-purge-'));
const file = path.join(dir, 'alpr.db');
const log = (line: string) => process.stdout.write(`${line}\n`);

/** N reads captured 31 days ago and earlier, random plates, one camera. */
function seed(dbFile: string, n: number): void {
  const store = openStore(dbFile, { retentionDays: 30 });
  const now = Date.now();
  store.cameras.upsert({ id: 'cam-1', configHash: 'h', config: '{}' }, now);
  const verdictId = store.verdicts.insert({
    cameraId: 'cam-1',
    cameraHash: 'h',
    registryVersion: 'bench',
    compliant: true,
    violations: [],
    evaluatedAt: now,
  });
  const batch = 20_000;
  const expiredFrom = now - 31 * DAY_MS - n;
  for (let i = 0; i < n; i += batch) {
    store.reads.insertMany(
      Array.from({ length: Math.min(batch, n - i) }, (_, j) => {
        const plate = randomPlate(i + j);
        return {
          cameraId: 'cam-1',
          plate,
          rawText: plate,
          confidence: 0.9,
          charConfidences: Array.from(plate, () => 0.9),
          capturedAt: expiredFrom + i + j,
          box: { x: 10, y: 20, width: 120, height: 60 },
          modelId: 'bench',
          verdictId,
          evidence: { frames: 3, reads: [plate, plate] },
        };
      }),
      now,
    );
  }
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
}

async function main() {
  log(
    `bench:purge  rows=${rows} insertRate=${rate}/s chunkSize=${chunkSize} chunkMaxLockMs=${chunkMaxLockMs} chunkPauseMs=${chunkPauseMs} cpus=${os.cpus().length} load=${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(',')}`,
  );
  const seedStart = performance.now();
  const cache = values['seed-cache'];
  if (cache && existsSync(cache)) copyFileSync(cache, file);
  else seed(file, rows);
  if (cache && !existsSync(cache)) {
    mkdirSync(path.dirname(path.resolve(cache)), { recursive: true });
    copyFileSync(file, cache);
  }
  const store = openStore(file, { retentionDays: 30 });
  if (values['with-plate-index']) {
    store.db.exec('CREATE INDEX IF NOT EXISTS bench_reads_plate ON reads (plate)');
    log('DIAGNOSTIC: plate index added (not the product schema)');
  }
  const verdictId = store.verdicts.latestFor('cam-1')!.id;
  const now = Date.now();
  log(
    `seeded ${store.reads.countAll()} expired reads in ${((performance.now() - seedStart) / 1000).toFixed(1)} s (${(statSync(file).size / 1e6).toFixed(0)} MB)${cache ? ` via ${cache}` : ''}`,
  );

  const child = fork(
    path.join(PROJECT_ROOT, 'bench', 'purge-inserter.ts'),
    [file, String(rate), String(verdictId)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const messages: unknown[] = [];
  const waitFor = (pred: (m: unknown) => boolean) =>
    new Promise<unknown>((resolve, reject) => {
      const found = messages.find(pred);
      if (found) return resolve(found);
      child.on('message', (m) => pred(m) && resolve(m));
      child.once('exit', (code) => reject(new Error(`inserter exited (${code})`)));
    });
  child.on('message', (m) => messages.push(m));
  await waitFor((m) => m === 'ready');

  // Baseline: the same inserter with no purge running, to show what this machine does at rest.
  const report = async () => {
    messages.length = 0;
    child.send('report');
    const m = (await waitFor((x) => typeof x === 'object' && x !== null && 'latencies' in x)) as {
      latencies: number[];
    };
    return [...m.latencies].sort((a, b) => a - b);
  };
  child.send('start');
  await new Promise((r) => setTimeout(r, 3000));
  const baseline = await report();
  log(
    `inserter at rest: ${baseline.length} inserts, p50 ${ms(percentile(baseline, 50))}, p99 ${ms(percentile(baseline, 99))}`,
  );

  const service = new PurgeService({
    store,
    nodeId: 'bench',
    chunkSize,
    chunkMaxLockMs,
    chunkPauseMs,
    cropsDir: path.join(dir, 'crops'),
    clock: systemClock,
    logger: createLogger({ level: 'warn' }),
  });
  await report(); // drop anything measured between the baseline and the purge
  const t0 = performance.now();
  const outcome = await service.run({ runId: `bench:${now}`, trigger: 'manual' });
  const seconds = (performance.now() - t0) / 1000;
  const sorted = await report();
  child.send('stop');
  if (outcome.kind !== 'completed') throw new Error(`purge did not complete: ${outcome.kind}`);
  const rowsPerS = outcome.receipt.rowsDeleted / seconds;
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  log(
    `purge: ${outcome.receipt.rowsDeleted} rows in ${seconds.toFixed(2)} s = ${Math.round(rowsPerS)} rows/s  (target >= 100000: ${rowsPerS >= 100_000 ? 'met' : 'NOT met'})`,
  );
  log(
    `inserter during purge: ${sorted.length} inserts, p50 ${ms(p50)}, p99 ${ms(p99)}, max ${ms(sorted[sorted.length - 1] ?? Number.NaN)}  (target p99 < 50 ms: ${p99 < 50 ? 'met' : 'NOT met'})`,
  );
  const integrity = store.db.pragma('integrity_check', { simple: true });
  log(
    `receipt: retentionMet=${outcome.receipt.retentionMet} walTruncated=${outcome.receipt.walTruncated} chunks=${outcome.receipt.chunks} (mean ${Math.round(outcome.receipt.rowsDeleted / Math.max(1, outcome.receipt.chunks))} rows); integrity_check=${String(integrity)}; remaining reads=${store.reads.countAll()}`,
  );
  store.close();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  else log(`kept ${dir}`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exitCode = 1;
});
