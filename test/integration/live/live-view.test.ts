import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveView, startLiveView } from '../../../edge/live/live-view.js';
import { resolveCamera } from '../../../shared/config/camera.schema.js';
import { configSchema } from '../../../shared/config/schema.js';
import { makeCameraConfig } from '../../support/factories.js';
import { captureLogs } from '../../support/log-capture.js';
import { isAlive } from '../../support/processes.js';
import {
  type ClipServerFixture,
  type RtspClipServer,
  rtspServerSkipReason,
  startClipServer,
} from '../../support/rtsp-server.js';
import { ALLOW_SKIP } from '../../support/services.js';

const skip = await rtspServerSkipReason(ALLOW_SKIP);
const require = createRequire(import.meta.url);
const WebSocket = createRequire(require.resolve('node-rtsp-stream'))('ws') as new (
  url: string,
) => { on(event: string, fn: (...args: never[]) => void): void; close(): void };

let server: RtspClipServer;
let fixture: ClipServerFixture | undefined;

function camera(url: string) {
  const config = configSchema.parse({ cameras: [makeCameraConfig({ id: 'gate-cam', url })] });
  return resolveCamera(config.cameras[0]!, config.cameraDefaults);
}

/** Collect WebSocket messages until `bytes` have arrived (or the timeout). */
function receive(url: string, bytes: number, timeoutMs = 20_000): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const messages: Buffer[] = [];
    let total = 0;
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`only ${total} bytes in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('message', (data: Buffer) => {
      messages.push(Buffer.from(data));
      total += data.length;
      if (total >= bytes) {
        clearTimeout(timer);
        socket.close();
        resolve(messages);
      }
    });
    socket.on('error', (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

describe.skipIf(skip)('startLiveView (node-rtsp-stream + real ffmpeg + real RTSP server)', () => {
  beforeAll(async () => {
    fixture = await startClipServer('alpr-live-', { user: 'tech', password: 'aim-s3cret' }, { seconds: 120 });
    ({ server } = fixture);
  });
  afterAll(() => fixture?.close());

  it('relays MPEG-TS with MPEG-1 video over a localhost WebSocket, serves the page, and redacts the password', async () => {
    const logs = captureLogs();
    let view: LiveView | undefined;
    try {
      view = await startLiveView({
        camera: camera(server.url()),
        ffmpegPath: 'ffmpeg',
        host: '127.0.0.1',
        httpPort: 0,
        wsPort: 0,
        stopGraceMs: 2000,
        logger: logs.logger,
      });
      expect(view.pageUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(view.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/$/);

      const messages = await receive(view.wsUrl, 64 * 1024);
      // node-rtsp-stream's header: "jsmp", width, height.
      expect(messages[0]!.subarray(0, 4).toString()).toBe('jsmp');
      expect([messages[0]!.readUInt16BE(4), messages[0]!.readUInt16BE(6)]).toEqual([960, 540]); // 1280x720 scaled to 960 wide
      const ts = Buffer.concat(messages.slice(1));
      // MPEG-TS: 188-byte packets, each starting with the sync byte 0x47.
      expect(ts.length).toBeGreaterThan(188 * 10);
      for (let i = 0; i + 188 <= ts.length; i += 188) expect(ts[i]).toBe(0x47);
      // MPEG-1 video sequence header start code inside the payload.
      expect(ts.includes(Buffer.from([0x00, 0x00, 0x01, 0xb3]))).toBe(true);

      const page = await fetch(view.pageUrl);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<script src="/jsmpeg.min.js"></script>');
      expect(html).toContain('gate-cam');
      expect(html).not.toContain('aim-s3cret');
      const script = await fetch(new URL('/jsmpeg.min.js', view.pageUrl));
      expect(script.status).toBe(200);
      expect(await script.text()).toContain('JSMpeg');
    } finally {
      const pid = view?.ffmpegPid;
      await view?.close();
      if (pid) expect(isAlive(pid)).toBe(false);
    }
    expect(logs.text()).not.toContain('aim-s3cret');
    expect(logs.text()).toContain('rtsp://***:***@127.0.0.1');
  });

  it('logs ffmpeg errors without the password when the credentials are wrong', async () => {
    const logs = captureLogs();
    const view = await startLiveView({
      camera: camera(server.url({ user: 'tech', password: 'not-the-one' })),
      ffmpegPath: 'ffmpeg',
      host: '127.0.0.1',
      httpPort: 0,
      wsPort: 0,
      stopGraceMs: 1000,
      logger: logs.logger,
      backoff: { initialMs: 5000, maxMs: 5000, jitter: 0 },
    });
    try {
      const deadline = Date.now() + 10_000;
      while (!logs.text().includes('401') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(logs.text()).toContain('401');
      expect(logs.text()).not.toContain('not-the-one');
    } finally {
      await view.close();
    }
  });
});
