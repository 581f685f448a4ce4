// `npm run bench:edge [-- --cameras 1,2,4 --seconds 45 --fps 5]`: N cameras, each a real dev clip
// (made from the shared dev photos) served over RTSP by the GStreamer server, through the whole edge
// (`startEdge`: ffmpeg, slot, recognition workers, tracker, gate, store) for S seconds. Prints per
// camera the frames the sample rate called for, analysed and lost (every frame lost, wherever), and
// for the box CPU (node + ffmpeg), RSS, per-stage latency and reads stored. A run "holds" when no
// camera lost more than 1%. Not a test: figures depend on the machine and whatever else runs on it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEdge } from '../edge/edge-runtime.js';
import type { CameraRecognizer } from '../edge/recognition/camera-recognizer.js';
import { parseConfig } from '../shared/config/load-config.js';
import { createLogger } from '../shared/logging/logger.js';
import { RtspClipServer, rtspServerUnavailable } from '../sim/camera/rtsp-clip-server.js';
import { DEV_CLIPS, ensureDevClip } from './dev-clips.js';

const { values: opts } = parseArgs({
  options: {
    cameras: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '45' },
    fps: { type: 'string', default: '5' },
    workers: { type: 'string', default: '0' },
    json: { type: 'boolean', default: false },
  },
});
const COUNTS = opts.cameras.split(',').map(Number);
const SECONDS = Number(opts.seconds);
const FPS = Number(opts.fps);
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}
function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
const total = async (edge: Awaited<ReturnType<typeof startEdge>>, name: string, camera: string) =>
  (await edge.metrics.registry.getSingleMetric(name)?.get())?.values.find((v) => v.labels.camera === camera)
    ?.value ?? 0;

async function runOnce(n: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'alpr-bench-edge-'));
  const servers: RtspClipServer[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const server = new RtspClipServer({
        file: ensureDevClip(DEV_CLIPS[i % DEV_CLIPS.length]!),
        path: `/cam${i}`,
      });
      await server.start();
      servers.push(server);
    }
    writeFileSync(
      path.join(dir, 'sites.geojson'),
      JSON.stringify({ type: 'FeatureCollection', features: [] }),
    );
    const parsed = parseConfig(
      {
        store: { path: path.join(dir, 'alpr.db') },
        sites: { registryPath: path.join(dir, 'sites.geojson') },
        http: { enabled: false },
        log: { level: 'warn' },
        recognition: { workers: Number(opts.workers) },
        cameraDefaults: { sampleFps: FPS, frame: { width: 1280, height: 720 } },
        cameras: servers.map((s, i) => ({
          id: `cam-${i}`,
          url: s.url(),
          position: { lng: -122.41 + i * 0.001, lat: 37.77 },
          bearingDeg: 90,
        })),
      },
      dir,
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const edge = await startEdge(parsed.value, { logger: createLogger({ level: 'warn' }) });
    // Warm-up: every camera online and a few seconds in, then measure S seconds.
    const online = Date.now() + 30_000;
    while (edge.service.statuses().some((s) => s.state !== 'online') && Date.now() < online) {
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 3000));
    const ids = servers.map((_, i) => `cam-${i}`);
    const snapshot = async () => ({
      at: Date.now(),
      cpuNode: process.cpuUsage(),
      ffmpeg: edge.service.statuses().map((s) => ({ pid: s.pid, cpu: s.pid ? cpuSeconds(s.pid) : 0 })),
      cams: await Promise.all(
        ids.map(async (id) => ({
          expected: await total(edge, 'alpr_camera_frames_expected_total', id),
          analysed: await total(edge, 'alpr_camera_frames_analysed_total', id),
          dropped: await total(edge, 'alpr_camera_frames_dropped_total', id),
          stored: await total(edge, 'alpr_reads_stored_total', id),
        })),
      ),
    });
    const a = await snapshot();
    let rssPeak = 0;
    const end = Date.now() + SECONDS * 1000;
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, 1000));
      const ff = edge.service.statuses().reduce((s, c) => s + (c.pid ? rssMiB(c.pid) : 0), 0);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss / 2 ** 20 + ff);
    }
    const b = await snapshot();
    const wall = (b.at - a.at) / 1000;
    const node = process.cpuUsage(a.cpuNode);
    const ffCpu = b.ffmpeg.reduce(
      (s, f, i) => s + (f.pid && f.pid === a.ffmpeg[i]?.pid ? f.cpu - a.ffmpeg[i]!.cpu : 0),
      0,
    );
    const cams = ids.map((id, i) => {
      const expected = b.cams[i]!.expected - a.cams[i]!.expected;
      const analysed = b.cams[i]!.analysed - a.cams[i]!.analysed;
      const lost = Math.max(0, expected - analysed);
      return {
        camera: id,
        expected,
        analysed,
        lost,
        lostShare: expected ? lost / expected : 1,
        droppedInSlot: b.cams[i]!.dropped - a.cams[i]!.dropped,
        stored: b.cams[i]!.stored - a.cams[i]!.stored,
      };
    });
    const recognizer = edge.stages.recognizer as Partial<CameraRecognizer>;
    const result = {
      cameras: n,
      seconds: Math.round(wall),
      fps: FPS,
      holds: cams.every((c) => c.lostShare <= 0.01),
      perCamera: cams,
      cpu: {
        nodePct: Math.round(((node.user + node.system) / 1e6 / wall) * 100),
        ffmpegPct: Math.round((ffCpu / wall) * 100),
      },
      rssPeakMiB: Math.round(rssPeak),
      stages: recognizer.stageTimings?.(),
      loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
    };
    await edge.shutdown.run('bench done');
    return result;
  } finally {
    for (const s of servers) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const unavailable = await rtspServerUnavailable();
if (unavailable) {
  process.stderr.write(`bench:edge: ${unavailable}\n`);
  process.exit(1);
}
for (const clip of DEV_CLIPS) ensureDevClip(clip, (l) => process.stderr.write(`bench:edge: ${l}\n`));
const results = [];
for (const n of COUNTS) {
  process.stderr.write(
    `bench:edge: ${n} camera(s) at ${FPS} fps for ${SECONDS} s (load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})\n`,
  );
  const r = await runOnce(n);
  results.push(r);
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  console.log(
    `${n} camera(s), ${r.seconds} s at ${FPS} fps: ${r.holds ? 'HOLDS' : 'does not hold'} (≤1% lost per camera)`,
  );
  for (const c of r.perCamera) {
    console.log(
      `  ${c.camera}: expected ${c.expected}  analysed ${c.analysed}  lost ${c.lost} (${pct(c.lostShare)}; ${c.droppedInSlot} replaced in the slot)  reads stored ${c.stored}`,
    );
  }
  console.log(
    `  cpu: node ${r.cpu.nodePct}% + ffmpeg ${r.cpu.ffmpegPct}% of one core; peak RSS ${r.rssPeakMiB} MiB (node + workers + ffmpeg); load ${r.loadavg.join(' ')}`,
  );
  if (r.stages) {
    console.log(
      `  per frame (median / p95): read ${r.stages.totalMs.join(' / ')} ms, detect ${r.stages.detectMs.join(' / ')} ms, crops ${r.stages.readMs.join(' / ')} ms`,
    );
  }
}
const held = results.filter((r) => r.holds).map((r) => r.cameras);
console.log(
  `largest N that held: ${held.length ? Math.max(...held) : 'none'} of ${COUNTS.join(', ')}; cpus ${os.cpus().length}`,
);
if (opts.json) console.log(JSON.stringify(results));
