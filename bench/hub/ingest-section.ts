// The ingest section of `npm run bench:hub`: 500 simulated edges sending signed batches to a real
// `alpr hub` (PostgreSQL and/or PGlite). Targets (issue 11): on PostgreSQL >= 2,500 reads/s accepted,
// p99 request latency < 200 ms, 0 lost, 0 duplicated. Figures on a shared 2-core machine are noisy: the
// load average is printed with them.
import { type BenchEngine, startHubTarget } from './hub-target.js';
import { type IngestFigures, runIngestBench } from './ingest.js';

export interface IngestSectionOptions {
  engine: string;
  edges: string;
  rate: string;
  seconds: string;
  'every-ms': string;
  'pool-size': string;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

function report(f: IngestFigures): void {
  const meets = (ok: boolean) => (ok ? 'met' : 'NOT MET');
  log(
    `ingest on ${f.engine}: ${f.edges} edges × ${f.readsPerSecondPerEdge} reads/s for ${f.seconds} s (${f.cpus} CPUs, load average ${f.loadAverage.join(' ')})`,
  );
  log(
    `  accepted      ${f.acceptedPerSecond} reads/s sustained (${f.acceptedInWindow} in the window; target >= 2500: ${meets(f.acceptedPerSecond >= 2500)})`,
  );
  log(
    `  latency       p50 ${f.latencyMs.p50} ms, p95 ${f.latencyMs.p95} ms, p99 ${f.latencyMs.p99} ms, max ${f.latencyMs.max} ms (client; target p99 < 200 ms: ${meets(f.latencyMs.p99 < 200)}); hub histogram p99 ${f.serverP99Ms} ms`,
  );
  log(
    `  requests      ${f.requests}, failed ${JSON.stringify(f.failedRequests)}; CPU (share of one core): hub process ${f.hubCpu}, its PostgreSQL backends ${f.databaseCpu}, load generator ${f.generatorCpu}`,
  );
  log(
    `  exactly once  generated ${f.generated}, in the hub ${f.dbRows}: lost ${f.lost}, duplicated ${f.duplicated} (target 0 and 0: ${meets(f.lost === 0 && f.duplicated === 0)})`,
  );
}

/** Run the ingest benchmark on each engine asked for, printing its figures. */
export async function runIngestSection(values: IngestSectionOptions): Promise<void> {
  const engines: BenchEngine[] =
    values.engine === 'both' ? ['postgres', 'pglite'] : [values.engine as BenchEngine];
  for (const engine of engines) {
    log(`hub ingest benchmark on ${engine}`);
    const target = await startHubTarget({
      engine,
      edges: Number(values.edges),
      poolSize: Number(values['pool-size']),
      log,
    });
    try {
      report(
        await runIngestBench(target, {
          readsPerSecond: Number(values.rate),
          seconds: Number(values.seconds),
          everyMs: Number(values['every-ms']),
          drainS: 60,
          log,
        }),
      );
    } finally {
      await target.destroy();
    }
  }
}
