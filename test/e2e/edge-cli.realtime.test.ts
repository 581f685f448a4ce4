import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../shared/store/store.js';
import { renderTrafficClip } from '../../sim/camera/traffic-clip.js';
import { ALPR_BIN, spawnCli } from '../support/cli.js';
import { makeCameraConfig } from '../support/factories.js';
import {
  type ClipServerFixture,
  RtspClipServer,
  rtspServerSkipReason,
  startClipServer,
} from '../support/rtsp-server.js';
import { ALLOW_SKIP } from '../support/services.js';

const skip = await rtspServerSkipReason(ALLOW_SKIP);
let dir: string;
let server: RtspClipServer;
let fixture: ClipServerFixture | undefined;
const PASSWORD = 'cli-s3cret';

function writeConfig(name: string, value: Record<string, unknown>): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value, null, 2)); // JSON is valid YAML
  return file;
}

describe.skipIf(skip)('alpr edge and alpr live (the binary, real RTSP server)', () => {
  beforeAll(async () => {
    fixture = await startClipServer('alpr-e2e-edge-', { user: 'tech', password: PASSWORD }, { seconds: 120 });
    ({ dir: dir, server } = fixture);
  });
  afterAll(() => fixture?.close());

  it('alpr edge stores plates from an RTSP camera, stops storing once a new registry puts a site in view, stops on SIGTERM', async () => {
    const clip = await renderTrafficClip({
      file: path.join(dir, 'traffic.mp4'),
      ffmpegPath: 'ffmpeg',
      width: 640,
      height: 360,
      fps: 10,
      seconds: 8,
      vehicles: [
        { plate: '7DMV482', enterAtS: 0.2, crossingS: 3, laneY: 0.5, plateWidth: 0.2, direction: 'ltr' },
        { plate: '4KTR915', enterAtS: 4, crossingS: 3, laneY: 0.55, plateWidth: 0.2, direction: 'rtl' },
      ],
    });
    const traffic = new RtspClipServer({
      file: clip.file,
      path: '/traffic',
      user: 'tech',
      password: PASSWORD,
    });
    await traffic.start();
    const config = writeConfig('edge.yaml', {
      store: { path: './edge.db' },
      sites: { registryPath: './sites.geojson', reevaluateEveryS: 1 },
      cameraDefaults: { frame: { width: 640, height: 360 } },
      // Looking east from (-121.89, 37.33), 30 m deep.
      cameras: [makeCameraConfig({ id: 'cam-1', url: traffic.url(), fovDeg: 60, rangeM: 30 })],
    });
    const sites = writeConfig('no-sites.geojson', { type: 'FeatureCollection', features: [] });
    expect(spawnCli(['sites', 'import', sites, '--config', config]).code).toBe(0);

    const child = spawn(process.execPath, [ALPR_BIN, 'edge', '--config', config, '--http-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const healthUrl = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout} ${stderr}`)), 60_000);
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          const match = /(http:\/\/127\.0\.0\.1:\d+\/health)/.exec(stdout);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
      });
      const metric = async (pattern: RegExp) => {
        const text = await (await fetch(healthUrl.replace('/health', '/metrics'))).text();
        return Number(pattern.exec(text)?.[1] ?? 0);
      };
      const storedTotal = () => metric(/alpr_reads_stored_total\{camera="cam-1"\} (\d+)/);
      const refusedTotal = () =>
        metric(/alpr_reads_refused_total\{camera="cam-1",reason="non_compliant"\} (\d+)/);
      const waitUntil = async (check: () => Promise<boolean>, ms: number) => {
        const deadline = Date.now() + ms;
        while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      };
      await waitUntil(async () => (await storedTotal()) >= 2, 60_000);
      expect(await storedTotal()).toBeGreaterThanOrEqual(2);
      const health = await fetch(healthUrl);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        status: 'ok',
        cameras: [{ id: 'cam-1', state: 'online' }],
      });

      // The city adds a place of worship 10-20 m east of the camera: inside its view.
      const metresEast = (m: number) => -121.89 + m / (111_000 * Math.cos((37.33 * Math.PI) / 180));
      const corner = (east: number, north: number) => [metresEast(east), 37.33 + north / 111_000];
      const parcel = [corner(10, -5), corner(20, -5), corner(20, 5), corner(10, 5), corner(10, -5)];
      const inView = writeConfig('site-in-view.geojson', {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { id: 'chapel-1', category: 'religious_observance' },
            geometry: { type: 'Polygon', coordinates: [parcel] },
          },
        ],
      });
      const imported = spawnCli(['sites', 'import', inView, '--config', config]);
      expect(imported.code, imported.stdout + imported.stderr).toBe(0);
      // Within one evaluation the gate refuses; the clip replays after it ends, so more plates arrive.
      await waitUntil(async () => (await refusedTotal()) >= 1, 60_000);
      expect(await refusedTotal()).toBeGreaterThanOrEqual(1);
      const storedAtSwitch = await storedTotal();
      await waitUntil(async () => (await refusedTotal()) >= 3, 30_000);
      expect(await storedTotal()).toBe(storedAtSwitch);
    } finally {
      child.kill('SIGTERM');
      await traffic.stop();
    }
    expect(await exited).toBe(0);
    expect(stdout).toContain('edge stopped');
    expect(stdout + stderr).not.toContain(PASSWORD);
    const store = openStore(path.join(dir, 'edge.db'), { retentionDays: 30 });
    const reads = store.reads.search({ cameraId: 'cam-1' }, Date.now());
    const verdicts = new Set(reads.map((r) => r.verdictId));
    const latest = store.verdicts.latestFor('cam-1')!;
    const stateChanges = store.audit
      .list({ kind: 'compliance.gate_state' })
      .map((row) => JSON.parse(row.payload) as { changes: Array<{ cameraId: string; to: string }> });
    expect(store.audit.verify().ok).toBe(true);
    store.close();
    expect(new Set(reads.map((r) => r.plate))).toEqual(new Set(['7DMV482', '4KTR915']));
    // Every stored read references the compliant verdict it was stored under; the latest verdict refuses.
    expect(latest).toMatchObject({ compliant: false, violations: [{ siteId: 'chapel-1' }] });
    expect(verdicts.has(latest.id)).toBe(false);
    expect(stateChanges.flatMap((p) => p.changes.map((c) => c.to))).toEqual(
      expect.arrayContaining(['storing', 'refusing:non_compliant']),
    );
  });

  it('alpr edge exits 2 when no camera is enabled', () => {
    const run = spawnCli(['edge', '--config', writeConfig('empty.yaml', { cameras: [] })]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no enabled cameras');
  });

  it('alpr live refuses to run unless live.enabled or --enable', () => {
    const config = writeConfig('live-off.yaml', {
      cameras: [makeCameraConfig({ id: 'cam-1', url: server.url() })],
    });
    const run = spawnCli(['live', 'cam-1', '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the live view is off');
    const unknown = spawnCli(['live', 'nope', '--config', config, '--enable']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown camera "nope"; configured: cam-1');
  });

  it('alpr live --enable serves the page on localhost, prints no password, and stops on SIGINT', async () => {
    const config = writeConfig('live.yaml', {
      live: { httpPort: 0, wsPort: 0 },
      cameras: [makeCameraConfig({ id: 'cam-1', url: server.url() })],
    });
    const child = spawn(process.execPath, [ALPR_BIN, 'live', 'cam-1', '--config', config, '--enable'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const pageUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout} ${stderr}`)), 60_000);
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const match = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    const page = await fetch(pageUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('JSMpeg.Player');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toContain('live view of cam-1 (rtsp://***:***@127.0.0.1');
    expect(stdout + stderr).not.toContain(PASSWORD);
  });
});
