// `npm run bench:ingest`: N simulated 1080p cameras served by the local GStreamer RTSP server, each pulled by
// the real frame source (ffmpeg) under a camera supervisor into a latest-frame slot, for S seconds.
// Prints decode CPU % (ffmpeg), frames/s in and analysed per camera, drops, and RSS (node and ffmpeg).
// Not a test: figures depend on the machine and on whatever else runs on it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CameraSupervisor } from '../edge/ingest/camera-supervisor.js';
import { startFfmpegFrameSource } from '../edge/ingest/ffmpeg-frame-source.js';
import { locateFfmpeg } from '../edge/ingest/ffmpeg-locator.js';
import { LatestFrameSlot } from '../edge/ingest/latest-frame-slot.js';
import type { Frame } from '../edge/pipeline/stages.js';
import { createLogger } from '../shared/logging/logger.js';
import { systemClock } from '../shared/runtime/clock.js';
import { makeClip, RtspClipServer, rtspServerUnavailable } from '../test/support/rtsp-server.js';

const { values: opts } = parseArgs({
  options: {
    cameras: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '60' },
    fps: { type: 'string', default: '5' },
    'source-fps': { type: 'string', default: '15' },
    width: { type: 'string', default: '1920' },
    height: { type: 'string', default: '1080' },
    'analyse-ms': { type: 'string', default: '0' },
  },
});
const N = Number(opts.cameras);
const SECONDS = Number(opts.seconds);
const SAMPLE_FPS = Number(opts.fps);
const SOURCE_FPS = Number(opts['source-fps']);
const WIDTH = Number(opts.width);
const HEIGHT = Number(opts.height);
const ANALYSE_MS = Number(opts['analyse-ms']);

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds (user + system) a process has used so far, or undefined once it is gone. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime
  } catch {
    return undefined;
  }
}

function rssMiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Stand-in for recognition: touch every byte (a checksum), plus optional simulated model time. */
async function analyse(frame: Frame): Promise<number> {
  let sum = 0;
  for (let i = 0; i < frame.data.length; i += 64) sum = (sum + frame.data[i]!) | 0;
  if (ANALYSE_MS > 0) await new Promise((r) => setTimeout(r, ANALYSE_MS));
  return sum;
}

async function main(): Promise<void> {
  const unavailable = await rtspServerUnavailable();
  if (unavailable) throw new Error(unavailable);
  const ffmpeg = locateFfmpeg(undefined);
  const clipDir = path.join(os.tmpdir(), 'alpr-bench-clips');
  mkdirSync(clipDir, { recursive: true });
  const clipSeconds = SECONDS + 60; // the shared stream must outlast warm-up and the measured window
  const clip = path.join(clipDir, `testsrc2-1080p-${SOURCE_FPS}fps-${clipSeconds}s.mp4`);
  if (!existsSync(clip)) {
    process.stderr.write(
      `rendering ${clipSeconds} s 1080p clip at ${SOURCE_FPS} fps (cached in ${clipDir})…\n`,
    );
    await makeClip(clip, {
      width: 1920,
      height: 1080,
      fps: SOURCE_FPS,
      seconds: clipSeconds,
      gop: SOURCE_FPS * 2,
    });
  }
  const server = new RtspClipServer({ file: clip });
  await server.start();
  const logger = createLogger({ level: 'warn' });

  const cams = Array.from({ length: N }, (_, i) => {
    const id = `bench-${i + 1}`;
    const slot = new LatestFrameSlot<Frame>();
    let analysed = 0;
    const supervisor = new CameraSupervisor({
      cameraId: id,
      url: server.url(),
      startSource: (handlers) =>
        startFfmpegFrameSource(
          {
            cameraId: id,
            url: server.url(),
            sampleFps: SAMPLE_FPS,
            width: WIDTH,
            height: HEIGHT,
            rtspTransport: 'tcp',
            ffmpegPath: ffmpeg.path,
            stopGraceMs: 2000,
            clock: systemClock,
          },
          handlers,
        ),
      onFrame: (frame) => slot.put(frame),
      staleAfterMs: 15_000,
      offlineAfterMs: 60_000,
      backoff: { initialMs: 1000, maxMs: 10_000, jitter: 0.2 },
      clock: systemClock,
      logger,
    });
    const loop = (async () => {
      for (let f = await slot.take(); f; f = await slot.take()) {
        await analyse(f);
        analysed += 1;
      }
    })();
    return { id, slot, supervisor, loop, analysed: () => analysed };
  });

  process.stderr.write(
    `starting ${N} camera(s): ${WIDTH}x${HEIGHT} RGB at ${SAMPLE_FPS} fps from a ${SOURCE_FPS} fps 1080p H.264 stream (${ffmpeg.origin} ffmpeg)…\n`,
  );
  for (const c of cams) c.supervisor.start();
  const warmupEnd = Date.now() + 30_000;
  while (cams.some((c) => c.supervisor.status().framesIn < SAMPLE_FPS * 2) && Date.now() < warmupEnd) {
    await new Promise((r) => setTimeout(r, 250));
  }
  // ffmpeg decodes what it buffered while probing in a burst; let that pass before measuring.
  await new Promise((r) => setTimeout(r, 5000));

  const snapshot = () =>
    cams.map((c) => {
      const s = c.supervisor.status();
      return {
        framesIn: s.framesIn,
        analysed: c.analysed(),
        dropped: c.slot.stats().dropped,
        pid: s.pid,
        cpu: s.pid ? cpuSeconds(s.pid) : undefined,
        reconnects: s.reconnects,
      };
    });
  const t0 = Date.now();
  const before = snapshot();
  const nodeCpu0 = process.cpuUsage();
  const rss = { nodeStart: process.memoryUsage().rss / 2 ** 20, nodeMax: 0, ffmpegMax: 0 };
  process.stderr.write(`measuring for ${SECONDS} s…\n`);
  while (Date.now() - t0 < SECONDS * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    rss.nodeMax = Math.max(rss.nodeMax, process.memoryUsage().rss / 2 ** 20);
    const ff = cams.reduce(
      (sum, c) => sum + (c.supervisor.status().pid ? rssMiB(c.supervisor.status().pid!) : 0),
      0,
    );
    rss.ffmpegMax = Math.max(rss.ffmpegMax, ff);
  }
  const after = snapshot();
  const wall = (Date.now() - t0) / 1000;
  const nodeCpu = process.cpuUsage(nodeCpu0);
  const nodeEnd = process.memoryUsage().rss / 2 ** 20;

  const rows = cams.map((c, i) => {
    const a = before[i]!;
    const b = after[i]!;
    const samePid = a.pid !== undefined && a.pid === b.pid && a.cpu !== undefined && b.cpu !== undefined;
    return {
      camera: c.id,
      decodeCpuPct: samePid ? Math.round(((b.cpu! - a.cpu!) / wall) * 1000) / 10 : null,
      fpsIn: Math.round(((b.framesIn - a.framesIn) / wall) * 100) / 100,
      fpsAnalysed: Math.round(((b.analysed - a.analysed) / wall) * 100) / 100,
      dropped: b.dropped - a.dropped,
      reconnects: b.reconnects - a.reconnects,
    };
  });
  for (const c of cams) {
    await c.supervisor.stop();
    c.slot.close();
    await c.loop;
  }
  await server.stop();

  const totalDecode = rows.reduce((s, r) => s + (r.decodeCpuPct ?? 0), 0);
  const result = {
    cameras: N,
    seconds: Math.round(wall),
    frame: `${WIDTH}x${HEIGHT}`,
    sampleFps: SAMPLE_FPS,
    sourceFps: SOURCE_FPS,
    analyseMs: ANALYSE_MS,
    cores: os.cpus().length,
    loadAvg1m: Math.round(os.loadavg()[0]! * 100) / 100,
    decodeCpuPctTotal: Math.round(totalDecode * 10) / 10,
    nodeCpuPct: Math.round(((nodeCpu.user + nodeCpu.system) / 1e6 / wall) * 1000) / 10,
    rssMiB: {
      nodeStart: Math.round(rss.nodeStart),
      nodeEnd: Math.round(nodeEnd),
      nodeMax: Math.round(rss.nodeMax),
      ffmpegTotalMax: Math.round(rss.ffmpegMax),
    },
    perCamera: rows,
  };
  console.log(
    `ingest benchmark: ${N} x ${WIDTH}x${HEIGHT} at ${SAMPLE_FPS} fps (source ${SOURCE_FPS} fps), ${result.seconds} s, ${result.cores} cores, load ${result.loadAvg1m}`,
  );
  console.log('camera      decode CPU %   fps in   fps analysed   dropped   reconnects');
  for (const r of rows) {
    console.log(
      `${r.camera.padEnd(12)}${String(r.decodeCpuPct ?? 'n/a').padStart(12)}${String(r.fpsIn).padStart(9)}${String(r.fpsAnalysed).padStart(15)}${String(r.dropped).padStart(10)}${String(r.reconnects).padStart(13)}`,
    );
  }
  console.log(
    `decode CPU total ${result.decodeCpuPctTotal} % (100 % = one core); node (split + hand-off + analysis stand-in) ${result.nodeCpuPct} %`,
  );
  console.log(
    `RSS node ${result.rssMiB.nodeStart} → ${result.rssMiB.nodeEnd} MiB (max ${result.rssMiB.nodeMax}); ffmpeg total max ${result.rssMiB.ffmpegTotalMax} MiB`,
  );
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(`bench:ingest failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
});
