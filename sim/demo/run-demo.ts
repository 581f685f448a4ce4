// `alpr demo`: the whole system on one machine in under a minute. It renders a synthetic traffic clip,
// serves it as a camera (real RTSP when GStreamer's server is installed, else the file through the same
// frame source), starts a hub in this process (embedded PGlite), runs two cameras through recognition, the
// geofence gate and the store, forwarding to the hub; then a governed search at the hub, holds at edge and
// hub, purges with the clock 31 days ahead at both, the quarterly report and the transparency portal.
// Every step uses the product's own code paths.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import YAML from 'yaml';
import { createForwarder } from '../../edge/forward/forward-from-config.js';
import { locateFfmpeg } from '../../edge/ingest/ffmpeg-locator.js';
import { createAnchorer } from '../../shared/audit/anchorer.js';
import { loadConfig } from '../../shared/config/load-config.js';
import { createLogger } from '../../shared/logging/logger.js';
import { DAY_MS, manualClock } from '../../shared/runtime/clock.js';
import { openStore } from '../../shared/store/store.js';
import { PurgeService, purgeSettingsFrom } from '../../worker/purge.service.js';
import { RtspClipServer, rtspServerUnavailable } from '../camera/rtsp-clip-server.js';
import { renderTrafficClip } from '../camera/traffic-clip.js';
import { runDemoEdge } from './demo-edge.js';
import { DEMO_AGENCY, DEMO_EDGE_ID, type DemoHub, startDemoHub } from './demo-hub.js';
import {
  forwardedReads,
  holdAtHub,
  purgeAtHub,
  reportAtHub,
  savePortal,
  searchAtHub,
} from './demo-hub-steps.js';
import { ensureDemoModels } from './demo-models.js';
import { DEMO_CAMERAS, DEMO_CLIP, DEMO_VEHICLES, demoConfig, demoSitesGeoJson } from './demo-scenario.js';
import { type DemoSummary, describeViolation, summarise, type Violation } from './demo-summary.js';
import { type DemoCli, prepareDir, runAlpr } from './demo-util.js';

const STEPS = 10;

export interface DemoOptions {
  /** Working directory for the clip, config, registry and database (emptied first). */
  dir: string;
  /** 'auto': real RTSP when the GStreamer server is available; 'off': the clip file directly. */
  rtsp: 'auto' | 'off';
  /** A directory holding model files, when they are not in place yet and there is no internet. */
  modelsFrom?: string;
  log: (line: string) => void;
  /** Runs one `alpr` command in this process (the CLI's main(), passed in so sim/ and cli/ form no cycle). */
  cli: DemoCli;
  /** --serve: called once the steps are done, with the hub still running; the hub stops when it resolves. */
  serve?: (summary: DemoSummary, hub: DemoHub) => Promise<void>;
}

/** Run the demo end to end; resolves with what happened. Leaves no process running. */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  const { log } = options;
  const dir = path.resolve(options.dir);
  const step = (n: number, text: string) => log(`[${n}/${STEPS}] ${text}`);
  const alpr = (args: string[], okCodes?: number[]) => runAlpr(options.cli, args, okCodes);
  const logger = createLogger({ level: 'error' });

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

  step(3, 'starting the hub (embedded PGlite): home agency, the edge enrolled, three demo accounts');
  const hub = await startDemoHub(dir, logger);
  const unavailable = options.rtsp === 'off' ? 'disabled with --no-rtsp' : await rtspServerUnavailable();
  let server: RtspClipServer | undefined;
  try {
    const a = hub.accounts;
    log(`      hub at ${hub.runtime.url}; agency ${DEMO_AGENCY.ori}; edge ${DEMO_EDGE_ID} enrolled`);
    log(
      `      accounts: ${a.investigator.username} (investigator, approved + trained), ${a.supervisor.username} (supervisor), ${a.auditor.username} (auditor)`,
    );
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

    step(4, 'importing the sensitive-site registry and checking both cameras as a planner would');
    const configFile = path.join(dir, 'alpr.yaml');
    const sitesFile = path.join(dir, 'demo-sites.geojson');
    const forward = { hubUrl: hub.runtime.url, edgeKeyPath: hub.edgeKeyFile };
    writeFileSync(
      configFile,
      YAML.stringify(demoConfig({ dataDir: dir, cameraUrl, ffmpegPath: ffmpeg.path, forward })),
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
      5,
      `running the edge: 2 cameras → recognition → geofence gate → store → hub (${DEMO_CLIP.seconds} s of video)`,
    );
    const loaded = loadConfig(configFile);
    const { refused, seen } = await runDemoEdge(loaded, logger, log).finally(async () => {
      await server?.stop();
      server = undefined;
    });

    const store = openStore(loaded.config.store.path, { retentionDays: loaded.config.retention.days });
    try {
      const now = Date.now();
      const stored = store.reads.search({ limit: 1000 }, now).reverse();
      for (const read of stored.filter((r) => !seen.has(r.id))) {
        log(
          `      stored  ${read.cameraId}  ${read.plate}  confidence ${read.confidence.toFixed(2)} (pass ended at shutdown)`,
        );
      }
      const forwarded = await forwardedReads(hub);
      log(`      forwarded to the hub: ${forwarded} of ${stored.length} stored read(s)`);
      const held = stored.find((r) => r.cameraId === DEMO_CAMERAS[0]!.id);

      step(
        6,
        held
          ? `governed search at the hub for ${held.plate}, as ${a.investigator.username}`
          : 'no read to search for',
      );
      const search = held ? await searchAtHub(hub, held.plate, started - 10 * 60_000) : undefined;
      if (search) {
        const o = search.outcome;
        log(
          `      signed in with password + TOTP, notice accepted; search ${o.searchId}: ${o.readsFound} read(s), ${held!.plate} ${o.found ? 'found' : 'NOT found'}`,
        );
        log(
          `      same search "to locate the driver for deportation": ${o.blocked.status} ${o.blocked.error} (${o.blocked.category})`,
        );
      }

      step(
        7,
        held
          ? `placing evidentiary holds on read ${held.id} (${held.plate}) at the edge and at the hub`
          : 'no read to hold',
      );
      let holdId: number | undefined;
      let hubHold: Awaited<ReturnType<typeof holdAtHub>> | undefined;
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
        log(`      edge: hold ${holdId} (alpr hold add)`);
        if (search) {
          hubHold = await holdAtHub(hub, search.investigator, search.outcome.searchId, held.id);
          log(
            `      hub: request ${hubHold.requestId} by ${a.investigator.username}, approved by ${hubHold.approvedBy}: hold ${hubHold.holdId}`,
          );
        }
      }

      step(8, 'purging with the clock 31 days ahead (retention is 30 days), at the edge and at the hub');
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
      // The edge's purge receipt and signed head reach the hub as on any forwarding cycle.
      await createForwarder(loaded.config, store, {
        registry: new Registry(),
        logger,
        clock: Date.now,
      })?.runOnce();
      const hubPurge = held ? await purgeAtHub(hub, logger, now, held.id) : undefined;
      log(
        `      edge: ${outcome.receipt.rowsDeleted} read(s) deleted, ${outcome.receipt.heldSkipped} kept under hold`,
      );
      if (hubPurge)
        log(
          `      hub: ${hubPurge.readsDropped} read(s) dropped, ${hubPurge.heldKept} kept under hold; held read ${hubPurge.heldReadSurvives ? 'still there' : 'GONE'}`,
        );

      step(9, 'verifying the audit chain');
      const audit = await alpr(['audit', 'verify', '-c', configFile, '--json']);

      step(10, 'writing the quarterly report, verifying its signature, saving the transparency portal');
      const report = await reportAtHub(hub, logger, now, dir);
      const portal = await savePortal(hub, dir);
      log(
        `      report ${report.result}, signature ${report.verified ? 'verified' : `NOT verified (${report.verifyReason})`}; portal ${portal.status}`,
      );
      const summary = summarise({
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
        hub: {
          url: hub.runtime.url,
          configFile: hub.configFile,
          forwarded,
          search: search?.outcome,
          hold: hubHold,
          purge: hubPurge,
          report,
          portal,
        },
        seconds: (Date.now() - started) / 1000,
      });
      store.close();
      if (options.serve) await options.serve(summary, hub);
      return summary;
    } finally {
      store.close();
    }
  } finally {
    await server?.stop();
    await hub.runtime.shutdown.run('demo finished');
  }
}
