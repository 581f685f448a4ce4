// Done when: an `alpr edge` on a real RTSP camera (synthetic traffic, real recognition, the compliance
// gate, the store) forwarding to an `alpr hub` on embedded PGlite ends with the same reads in the hub as
// in its own store, under the same verdicts, with the camera's position at the hub.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHubDb } from '../../hub/db/open-hub-db.js';
import { loadConfig } from '../../shared/config/load-config.js';
import { openStore } from '../../shared/store/store.js';
import { renderTrafficClip } from '../../sim/camera/traffic-clip.js';
import { ALPR_BIN, spawnCli } from '../support/cli.js';
import { eventually } from '../support/eventually.js';
import { makeCameraConfig } from '../support/factories.js';
import { enrolWithCli, writeJson } from '../support/hub-e2e.js';
import { type HubProcess, startHubProcess } from '../support/hub-process.js';
import { RtspClipServer, rtspServerSkipReason } from '../support/rtsp-server.js';
import { ALLOW_SKIP } from '../support/services.js';
import { tempDir } from '../support/temp-dir.js';

const skip = await rtspServerSkipReason(ALLOW_SKIP);

describe.skipIf(skip)('alpr edge forwarding to alpr hub (real RTSP camera, real recognition)', () => {
  it('ends with the same reads in the hub as in the edge store', async () => {
    const dir = tempDir('alpr-e2e-edge-hub-');
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
    const camera = new RtspClipServer({ file: clip.file, path: '/traffic' });
    await camera.start();
    let hub: HubProcess | undefined;
    let edgeExit: Promise<number | null> | undefined;
    const edge: { kill?: (s: NodeJS.Signals) => void } = {};
    try {
      const hubConfig = writeJson(path.join(dir, 'hub.yaml'), { hub: { dataDir: './hub' } });
      const keyFile = path.join(dir, 'hub-edge.key');
      enrolWithCli(hubConfig, 'edge-main-st', keyFile);
      hub = await startHubProcess(hubConfig);

      writeJson(path.join(dir, 'sites.geojson'), { type: 'FeatureCollection', features: [] });
      const edgeConfig = writeJson(path.join(dir, 'edge.yaml'), {
        node: { id: 'edge-main-st' },
        store: { path: './edge.db' },
        sites: { registryPath: './sites.geojson' },
        cameraDefaults: { frame: { width: 640, height: 360 } },
        cameras: [makeCameraConfig({ id: 'cam-1', url: camera.url(), fovDeg: 60, rangeM: 30 })],
        forward: { enabled: true, hubUrl: hub.url, edgeKeyPath: keyFile, everyMs: 500 },
      });
      expect(
        spawnCli(['sites', 'import', path.join(dir, 'sites.geojson'), '--config', edgeConfig]).code,
      ).toBe(0);
      const child = spawn(process.execPath, [ALPR_BIN, 'edge', '--config', edgeConfig, '--http-port', '0'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      edge.kill = (s) => child.kill(s);
      edgeExit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const healthUrl = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout} ${stderr}`)), 90_000);
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          const match = /(http:\/\/127\.0\.0\.1:\d+\/health)/.exec(stdout);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
      });
      const edgeHealth = async () =>
        (await (await fetch(healthUrl)).json()) as {
          forward?: { backlogReads: number; lastSuccessAt: string | null };
        };
      const stored = async () => {
        const text = await (await fetch(healthUrl.replace('/health', '/metrics'))).text();
        return Number(/alpr_reads_stored_total\{camera="cam-1"\} (\d+)/.exec(text)?.[1] ?? 0);
      };
      await eventually('the edge to store both plates', async () => (await stored()) >= 2, {
        timeoutMs: 90_000,
      });
      await eventually(
        'the edge to forward them',
        async () => (await edgeHealth()).forward?.backlogReads === 0,
        { timeoutMs: 60_000 },
      );
      expect((await edgeHealth()).forward?.lastSuccessAt).not.toBeNull();
      child.kill('SIGTERM');
      expect(await edgeExit).toBe(0);
    } finally {
      edge.kill?.('SIGKILL');
      await edgeExit;
      await camera.stop();
      await hub?.stop();
    }

    const store = openStore(path.join(dir, 'edge.db'), { retentionDays: 30 });
    const edgeReads = store.reads.search({}, Date.now()).map((r) => ({
      id: r.id,
      camera: r.cameraId,
      plate: r.plate,
      capturedAt: r.capturedAt,
      verdictId: r.verdictId,
    }));
    store.close();
    expect(new Set(edgeReads.map((r) => r.plate))).toEqual(new Set(['7DMV482', '4KTR915']));
    const db = await openHubDb(loadConfig(path.join(dir, 'hub.yaml')).config.hub, { migrate: false });
    try {
      const rows = await db.query<{
        id: number;
        camera: string;
        plate: string;
        captured_at: Date;
        edge_verdict_id: number;
        edge_id: string;
      }>(
        `SELECT r.edge_read_id AS id, r.camera_id AS camera, r.plate, r.captured_at, v.edge_verdict_id, r.edge_id
           FROM reads r JOIN camera_verdicts v ON v.id = r.verdict_id ORDER BY r.edge_read_id`,
      );
      expect(
        rows.map((r) => ({
          id: r.id,
          camera: r.camera,
          plate: r.plate,
          capturedAt: r.captured_at.getTime(),
          verdictId: r.edge_verdict_id,
        })),
      ).toEqual([...edgeReads].sort((a, b) => a.id - b.id));
      expect(new Set(rows.map((r) => r.edge_id))).toEqual(new Set(['edge-main-st']));
      const cameras = await db.query('SELECT camera_id, lng, lat, bearing_deg, range_m FROM cameras');
      expect(cameras).toEqual([
        { camera_id: 'cam-1', lng: -121.89, lat: 37.33, bearing_deg: 90, range_m: 30 },
      ]);
    } finally {
      await db.close();
    }
  });
});
