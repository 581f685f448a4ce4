// The ingest part of `npm run bench:hub`: N simulated edges each storing R reads/s and forwarding them as
// the forwarder does (a signed batch every forward.everyMs, resent until acknowledged), for S seconds,
// against an `alpr hub` process. Measures accepted reads/s, request latency, and, from the database at
// the end, reads lost and duplicated.
import http from 'node:http';
import os from 'node:os';
import { signRequest } from '../../shared/forward/request-signature.js';
import { INGEST_PATHS, type ReadsAnswer, type WireRead } from '../../shared/forward/wire.js';
import type { BenchEdge, HubTarget } from './hub-target.js';

export interface IngestBenchOptions {
  readsPerSecond: number;
  seconds: number;
  everyMs: number;
  /** how long to keep resending after the window before counting what is missing */
  drainS: number;
  log: (line: string) => void;
}

export interface IngestFigures {
  engine: string;
  edges: number;
  readsPerSecondPerEdge: number;
  seconds: number;
  requests: number;
  failedRequests: Record<string, number>;
  generated: number;
  offeredPerSecond: number;
  acceptedInWindow: number;
  /** accepted reads/s over whole forwarding intervals from 10 s into the window (ramp-up and tail left out) */
  acceptedPerSecond: number;
  /** reads generated but not yet acknowledged when the window closed */
  backlogAtEnd: number;
  /** share of one core the hub process used during the window, and the load generator */
  hubCpu: number;
  generatorCpu: number;
  /** share of one core the PostgreSQL backends of the hub used (connections open the whole window) */
  databaseCpu: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  serverP99Ms: string;
  dbRows: number;
  lost: number;
  duplicated: number;
  loadAverage: number[];
  cpus: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

function post(
  url: URL,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

const PLATE = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
function plate(n: number): string {
  let x = (n + 7) * 2654435761;
  let out = '';
  for (let k = 0; k < 7; k++) {
    x = Math.imul(x ^ (x >>> 13), 1274126177);
    out += PLATE[Math.abs(x) % PLATE.length];
  }
  return out;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** The upper bound of the histogram bucket holding the 99th percentile of the hub's reads requests. */
function serverP99(metrics: string): string {
  const buckets = [
    ...metrics.matchAll(
      /alpr_hub_http_request_duration_seconds_bucket\{le="([^"]+)",method="POST",route="\/api\/v1\/ingest\/reads",status="200"\} (\d+)/g,
    ),
  ].map((m) => ({ le: m[1]!, n: Number(m[2]) }));
  const total = buckets.find((b) => b.le === '+Inf')?.n ?? 0;
  if (total === 0) return 'n/a';
  const hit = buckets.find((b) => b.n >= total * 0.99);
  return hit ? (hit.le === '+Inf' ? '> 5000' : `<= ${Number(hit.le) * 1000}`) : 'n/a';
}

class SimulatedEdge {
  private nextId = 1;
  private pending: WireRead[] = [];
  private inflight = false;
  generated = 0;

  constructor(
    private readonly edge: BenchEdge,
    private readonly target: URL,
    private readonly stats: {
      latencies: number[];
      failed: Record<string, number>;
      accepted: (n: number) => void;
      requests: number;
    },
  ) {}

  store(n: number, now: number): void {
    for (let i = 0; i < n; i++) {
      const id = this.nextId++;
      this.pending.push({
        edgeReadId: id,
        cameraId: this.edge.cameraId,
        edgeVerdictId: this.edge.edgeVerdictId,
        capturedAt: now - 200 + i,
        plate: plate(id * 7919 + this.edge.id.length),
        rawText: 'bench',
        confidence: 0.9,
        box: { x: 100, y: 100, w: 120, h: 60 },
        modelId: 'bench',
        cropSha256: null,
      });
    }
    this.generated += n;
  }

  get waiting(): number {
    return this.pending.length;
  }

  async send(): Promise<void> {
    if (this.inflight || this.pending.length === 0) return;
    this.inflight = true;
    const batch = this.pending.slice(0, 500);
    const body = Buffer.from(
      JSON.stringify({
        reads: batch,
        status: { backlogReads: this.pending.length - batch.length, oldestUnforwardedAt: null },
      }),
    );
    const headers = signRequest(this.edge.secret, {
      method: 'POST',
      path: INGEST_PATHS.reads,
      edgeId: this.edge.id,
      timestamp: Date.now(),
      body,
    });
    const started = performance.now();
    this.stats.requests += 1;
    try {
      const res = await post(this.target, body, headers);
      this.stats.latencies.push(performance.now() - started);
      if (res.status === 200) {
        const answer = JSON.parse(res.text) as ReadsAnswer;
        this.stats.accepted(answer.accepted.length);
        this.pending = this.pending.filter((r) => r.edgeReadId > answer.cursor);
      } else {
        this.stats.failed[String(res.status)] = (this.stats.failed[String(res.status)] ?? 0) + 1;
      }
    } catch (error) {
      this.stats.latencies.push(performance.now() - started);
      const key = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      this.stats.failed[key] = (this.stats.failed[key] ?? 0) + 1;
    } finally {
      this.inflight = false;
    }
  }
}

export async function runIngestBench(target: HubTarget, options: IngestBenchOptions): Promise<IngestFigures> {
  const { log } = options;
  const url = new URL(INGEST_PATHS.reads, target.url);
  const windowEnd = { at: Number.POSITIVE_INFINITY };
  const steady = { from: Number.POSITIVE_INFINITY, to: 0, accepted: 0 };
  let acceptedInWindow = 0;
  const stats = {
    latencies: [] as number[],
    failed: {} as Record<string, number>,
    requests: 0,
    accepted: (n: number) => {
      const now = Date.now();
      if (now <= windowEnd.at) acceptedInWindow += n;
      if (now >= steady.from && now < steady.to) steady.accepted += n;
    },
  };
  const edges = target.edges.map((e) => new SimulatedEdge(e, url, stats));
  const perTick = (options.readsPerSecond * options.everyMs) / 1000;
  const started = Date.now();
  windowEnd.at = started + options.seconds * 1000;
  // A whole number of forwarding intervals, after the ramp-up and before the tail: every edge that keeps up
  // sends exactly that many batches in it, so batching adds no rounding to the rate.
  steady.from = started + Math.min(10, options.seconds / 4) * 1000;
  const intervals = Math.max(1, Math.floor((windowEnd.at - 5000 - steady.from) / options.everyMs));
  steady.to = steady.from + intervals * options.everyMs;
  const hubCpu0 = target.cpuSeconds();
  // Sampled 5 s in, once the pool has opened its connections.
  let dbCpu0 = Number.NaN;
  const dbSample = setTimeout(() => {
    void target.databaseCpuSeconds().then((v) => {
      dbCpu0 = v;
    });
  }, 5000);
  const genCpu0 = process.cpuUsage();
  log(
    `  ${edges.length} edges × ${options.readsPerSecond} reads/s, a batch every ${options.everyMs} ms, for ${options.seconds} s…`,
  );

  const timers: NodeJS.Timeout[] = [];
  const carry = new Map<SimulatedEdge, number>();
  for (const edge of edges) {
    // Each edge on its own clock, spread over one interval, as boxes are in a city.
    const offset = Math.random() * options.everyMs;
    const tick = () => {
      const now = Date.now();
      if (now < windowEnd.at) {
        const due = (carry.get(edge) ?? 0) + perTick;
        const n = Math.floor(due);
        carry.set(edge, due - n);
        edge.store(n, now);
      }
      void edge.send();
    };
    timers.push(
      setTimeout(() => {
        tick();
        timers.push(setInterval(tick, options.everyMs));
      }, offset),
    );
  }
  const progress = setInterval(() => {
    const s = Math.round((Date.now() - started) / 1000);
    log(
      `  ${s} s: ${stats.requests} requests, ${acceptedInWindow} reads accepted, load ${os.loadavg()[0]!.toFixed(2)}`,
    );
  }, 10_000);
  await new Promise((r) => setTimeout(r, options.seconds * 1000));
  const backlogAtEnd = edges.reduce((n, e) => n + e.waiting, 0);
  const hubCpu = (target.cpuSeconds() - hubCpu0) / options.seconds;
  clearTimeout(dbSample);
  const databaseCpu = ((await target.databaseCpuSeconds()) - dbCpu0) / (options.seconds - 5);
  const gen = process.cpuUsage(genCpu0);
  const generatorCpu = (gen.user + gen.system) / 1e6 / options.seconds;
  const drainUntil = Date.now() + options.drainS * 1000;
  while (edges.some((e) => e.waiting > 0) && Date.now() < drainUntil)
    await new Promise((r) => setTimeout(r, 200));
  for (const t of timers) clearInterval(t);
  clearInterval(progress);
  const loadAverage = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const metrics = await (await fetch(new URL('/metrics', target.url))).text();
  await target.stop();

  const generated = edges.reduce((n, e) => n + e.generated, 0);
  const dbRows = await target.count('SELECT count(*) AS n FROM reads');
  const distinct = await target.count(
    'SELECT count(*) AS n FROM (SELECT DISTINCT edge_id, edge_read_id FROM reads) d',
  );
  const sorted = [...stats.latencies].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    engine: target.engine,
    edges: edges.length,
    readsPerSecondPerEdge: options.readsPerSecond,
    seconds: options.seconds,
    requests: stats.requests,
    failedRequests: stats.failed,
    generated,
    offeredPerSecond: edges.length * options.readsPerSecond,
    acceptedInWindow,
    acceptedPerSecond: Math.round(steady.accepted / ((steady.to - steady.from) / 1000)),
    backlogAtEnd,
    hubCpu: Math.round(hubCpu * 100) / 100,
    generatorCpu: Math.round(generatorCpu * 100) / 100,
    databaseCpu: Math.round(databaseCpu * 100) / 100,
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.at(-1) ?? Number.NaN),
    },
    serverP99Ms: serverP99(metrics),
    dbRows,
    lost: generated - distinct,
    duplicated: dbRows - distinct,
    loadAverage,
    cpus: os.cpus().length,
  };
}
