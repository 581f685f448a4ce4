// `alpr demo`: the whole system on one machine in under a minute. It renders a synthetic traffic clip,
// serves it as a camera (real RTSP when GStreamer's server is installed, else the file through the same
// frame source), runs two cameras through recognition, the geofence gate and the store, then places a
// hold and purges with the clock 31 days ahead. Every step uses the product's own code paths.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { CliEnv } from '../../cli/context.js';
import { startEdge } from '../../edge/edge-runtime.js';
import { locateFfmpeg } from '../../edge/ingest/ffmpeg-locator.js';
import { createAnchorer } from '../../shared/audit/anchorer.js';
import { loadConfig } from '../../shared/config/load-config.js';
import { createLogger } from '../../shared/logging/logger.js';
import { DAY_MS, manualClock } from '../../shared/runtime/clock.js';
import { openStore } from '../../shared/store/store.js';
import { PurgeService, purgeSettingsFrom } from '../../worker/purge.service.js';
import { RtspClipServer, rtspServerUnavailable } from '../camera/rtsp-clip-server.js';
import { renderTrafficClip } from '../camera/traffic-clip.js';
import { ensureDemoModels } from './demo-models.js';
import { DEMO_CAMERAS, DEMO_CLIP, DEMO_VEHICLES, demoConfig, demoSitesGeoJson } from './demo-scenario.js';
import { type DemoSummary, describeViolation, summarise, type Violation } from './demo-summary.js';

const MARKER = '.alpr-demo';

export interface DemoOptions {
  /** Working directory for the clip, config, registry and database (emptied first). */
  dir: string;
  /** 'auto': real RTSP when the GStreamer server is available; 'off': the clip file directly. */
  rtsp: 'auto' | 'off';
  /** A directory holding model files, when they are not in place yet and there is no internet. */
  modelsFrom?: string;
  log: (line: string) => void;
  /** Runs one `alpr` command in this process (the CLI's main(), passed in so sim/ and cli/ form no cycle). */
  cli: (argv: string[], env: CliEnv) => Promise<number>;
}

/** Run the demo end to end; resolves with what happened. Leaves no process running. */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  const { log } = options;
  const dir = path.resolve(options.dir);
  const step = (n: number, text: string) => log(`[${n}/7] ${text}`);
  const alpr = (args: string[], okCodes?: number[]) => runAlpr(options.cli, args, okCodes);

  step(1, `preparing ${dir}`);
  prepareDir(dir);
  const models = await ensureDemoModels(options.modelsFrom, log);
  const ffmpeg = locateFfmpeg(undefined);
  log(`      models verified (${models}); ffmpeg: ${ffmpeg.origin}`);

  step(
    2,
    `rendering ${DEMO_CLIP.seconds} s of synthetic traffic (${DEMO_VEHICLES.length} cars, plates drawn by the project)`,
  );
  const clip = await renderTrafficClip({
    file: path.join(dir, 'traffic.mp4'),
    ffmpegPath: ffmpeg.path,
    ...DEMO_CLIP,
    vehicles: DEMO_VEHICLES,
  });

  const unavailable = options.rtsp === 'off' ? 'disabled with --no-rtsp' : await rtspServerUnavailable();
  let server: RtspClipServer | undefined;
  const cleanup = async () => {
    await server?.stop();
    server = undefined;
  };
  try {
    let cameraUrl = `file://${clip.file}`;
    if (unavailable === undefined) {
      server = new RtspClipServer({ file: clip.file, path: '/demo' });
      await server.start();
      // Listening is not serving yet: wait until the stream itself answers before any camera connects.
      await server.waitUntilServing(15_000);
      cameraUrl = server.url();
    }
    log(
      `      camera source: ${unavailable === undefined ? `RTSP ${cameraUrl} (GStreamer)` : `the clip file (${unavailable})`}`,
    );

    step(3, 'importing the sensitive-site registry and checking both cameras as a planner would');
    const configFile = path.join(dir, 'alpr.yaml');
    const sitesFile = path.join(dir, 'demo-sites.geojson');
    writeFileSync(
      configFile,
      YAML.stringify(demoConfig({ dataDir: dir, cameraUrl, ffmpegPath: ffmpeg.path })),
    );
    writeFileSync(sitesFile, `${JSON.stringify(demoSitesGeoJson(), null, 1)}\n`);
    await alpr(['sites', 'import', sitesFile, '-c', configFile, '--json']);
    const planner = [];
    for (const c of DEMO_CAMERAS) {
      const check = await alpr(
        ['site', 'check', '-c', configFile, '--json', '--public'].concat(
          [
            '--lng',
            c.lng,
            '--lat',
            c.lat,
            '--bearing',
            c.bearingDeg,
            '--fov',
            c.fovDeg,
            '--range',
            c.rangeM,
          ].map(String),
        ),
        [0, 1],
      );
      const verdict = check.json as { compliant: boolean; violations: Violation[] };
      planner.push({ cameraId: c.id, ...verdict });
      log(
        `      ${c.id}: ${verdict.compliant ? 'compliant' : `NOT compliant: ${verdict.violations.map(describeViolation).join('; ')}`}`,
      );
    }

    step(
      4,
      `running the edge: 2 cameras → recognition → geofence gate → store (${DEMO_CLIP.seconds} s of video)`,
    );
    const loaded = loadConfig(configFile);
    const logger = createLogger({ level: 'error' });
    const runtime = await startEdge(loaded, { logger });
    const refused = new Map<string, number>();
    const seen = new Set<number>();
    const printNewReads = () => {
      for (const read of runtime.store.reads.search({}, Date.now()).reverse()) {
        if (seen.has(read.id)) continue;
        seen.add(read.id);
        log(`      stored  ${read.cameraId}  ${read.plate}  confidence ${read.confidence.toFixed(2)}`);
      }
    };
    try {
      const online = () => runtime.service.statuses().filter((s) => s.state === 'online').length;
      await waitFor(
        () => online() === DEMO_CAMERAS.length,
        30_000,
        'both cameras online',
        () =>
          runtime.service
            .statuses()
            .filter((s) => s.state !== 'online')
            .map(
              (s) =>
                `${s.id} is ${s.state}${s.lastFailure ? ` (last error: ${s.lastFailure.reason}${s.lastFailure.detail ? `: ${s.lastFailure.detail}` : ''})` : ' (no error reported yet)'}, ${s.reconnects} reconnect(s)`,
            )
            .join('; '),
      );
      // The clip plays once: when its stream ends the cameras leave 'online' (and would replay it).
      const deadline = Date.now() + (DEMO_CLIP.seconds + 5) * 1000;
      while (online() === DEMO_CAMERAS.length && Date.now() < deadline) {
        await sleep(100);
        printNewReads();
      }
    } finally {
      // Stopping flushes the passes still open through the gate into the store.
      await runtime.shutdown.run('demo clip finished');
      for (const { labels, value } of (await runtime.metrics.readsRefused.get()).values) {
        refused.set(String(labels.camera), (refused.get(String(labels.camera)) ?? 0) + value);
      }
      await cleanup();
    }

    const store = openStore(loaded.config.store.path, { retentionDays: loaded.config.retention.days });
    try {
      const now = Date.now();
      const stored = store.reads.search({ limit: 1000 }, now).reverse();
      for (const read of stored.filter((r) => !seen.has(r.id))) {
        log(
          `      stored  ${read.cameraId}  ${read.plate}  confidence ${read.confidence.toFixed(2)} (pass ended at shutdown)`,
        );
      }
      const held = stored.find((r) => r.cameraId === DEMO_CAMERAS[0]!.id);
      step(5, held ? `placing an evidentiary hold on read ${held.id} (${held.plate})` : 'no read to hold');
      let holdId: number | undefined;
      if (held) {
        const hold = await alpr([
          ...['hold', 'add', '-c', configFile, '--json', '--read', String(held.id)],
          ...[
            '--case',
            'DEMO-2026-0001',
            '--crime-type',
            '10851 VC',
            '--by',
            'det.rivera',
            '--approved-by',
            'sgt.chen',
          ],
          ...['--reason', 'Demo: vehicle seen near a (fictional) reported theft'],
        ]);
        holdId = (hold.json as { hold: { id: number } }).hold.id;
      }

      step(6, 'purging with the clock 31 days ahead (retention is 30 days)');
      const anchorer = createAnchorer({
        audit: loaded.config.audit,
        nodeId: loaded.config.node.id,
        storeFile: store.file,
        db: store.db,
        auditLog: store.audit,
        clock: Date.now,
        logger,
      });
      const purge = new PurgeService({
        ...purgeSettingsFrom(loaded.config),
        store,
        clock: manualClock(now + 31 * DAY_MS),
        logger,
        afterReceipt: () => anchorer.anchor('purge receipt'),
      });
      const outcome = await purge.run({ runId: `demo:${now}`, trigger: 'cli' });
      if (outcome.kind !== 'completed') throw new Error(`demo purge did not run: ${outcome.kind}`);
      const remaining = store.reads.search({ limit: 1000 }, now + 31 * DAY_MS);

      step(7, 'verifying the audit chain');
      const audit = await alpr(['audit', 'verify', '-c', configFile, '--json']);
      return summarise({
        dir,
        configFile,
        dbFile: loaded.config.store.path,
        cameraSource: unavailable === undefined ? 'rtsp' : 'file',
        planner,
        stored,
        refused,
        verdicts: DEMO_CAMERAS.map((c) => store.verdicts.latestFor(c.id)),
        hold: held && holdId !== undefined ? { id: holdId, readId: held.id, plate: held.plate } : undefined,
        receipt: outcome.receipt,
        remaining,
        audit: audit.json as { ok: boolean; rows: number; anchors: { checked: number } },
        seconds: (Date.now() - started) / 1000,
      });
    } finally {
      store.close();
    }
  } finally {
    await cleanup();
  }
}

/** Run an `alpr` command in this process; its output is captured, its exit code checked. */
async function runAlpr(
  cli: DemoOptions['cli'],
  args: string[],
  okCodes = [0],
): Promise<{ json: unknown; stdout: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await cli(['node', 'alpr', ...args], {
    configPath: undefined,
    cwd: process.cwd(),
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
  });
  if (!okCodes.includes(code)) {
    throw new Error(`alpr ${args.slice(0, 2).join(' ')} failed (exit ${code}): ${stderr.join('\n')}`);
  }
  return { json: JSON.parse(stdout.at(-1) ?? 'null'), stdout };
}

/** Empty the demo directory; refuse to touch a non-empty directory the demo did not create. */
function prepareDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(path.join(dir, MARKER))) {
      throw new Error(`${dir} is not empty and was not made by the demo; choose another --dir`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, MARKER), 'made by `alpr demo`; deleted and re-created by each demo run\n');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  what: string,
  explain?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      const why = explain?.();
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${why ? `: ${why}` : ''}`);
    }
    await sleep(100);
  }
}
