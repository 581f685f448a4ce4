// `alpr live`: one camera as MPEG-1 over WebSocket (node-rtsp-stream runs ffmpeg and relays its output)
// plus a local page that plays it with JSMpeg. Everything listens on the configured host (localhost by
// default); ffmpeg's messages are redacted before they are logged; ffmpeg is restarted if the camera drops.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ResolvedCamera } from '../../shared/config/camera.schema.js';
import { type Logger, redactUrl } from '../../shared/logging/logger.js';
import { type BackoffPolicy, backoffDelay } from '../ingest/backoff.js';
import { redactText, urlSecrets } from '../ingest/ffmpeg-failure.js';
import { stopChild, trackChild } from '../ingest/stop-child.js';
import { renderLivePage } from './live-page.js';
import { liveViewEncoding } from './live-view-options.js';

const require = createRequire(import.meta.url);
const VideoStream = require('node-rtsp-stream') as typeof import('node-rtsp-stream');

interface WsClient {
  readyState: number;
  send(data: Buffer, options?: { binary: boolean }): void;
  terminate(): void;
}
interface WsServer {
  clients: Set<WsClient>;
  on(event: 'connection', fn: (socket: WsClient) => void): void;
  on(event: 'listening', fn: () => void): void;
  on(event: 'error', fn: (error: Error) => void): void;
  address(): AddressInfo;
  close(cb?: () => void): void;
}
// The same ws that node-rtsp-stream depends on, resolved from its own location.
const { Server: WebSocketServer } = createRequire(require.resolve('node-rtsp-stream'))('ws') as {
  Server: new (options: { host: string; port: number }) => WsServer;
};

export function jsmpegScriptPath(): string {
  return path.join(path.dirname(require.resolve('@cycjimmy/jsmpeg-player')), 'jsmpeg-player.umd.min.js');
}

export interface LiveViewOptions {
  camera: ResolvedCamera;
  ffmpegPath: string;
  host: string;
  httpPort: number;
  wsPort: number;
  stopGraceMs: number;
  logger: Logger;
  backoff?: BackoffPolicy;
}

export interface LiveView {
  pageUrl: string;
  wsUrl: string;
  /** The ffmpeg currently running for the stream (tests check it is gone after close). */
  readonly ffmpegPid: number | undefined;
  /** Stops ffmpeg (q, SIGTERM, SIGKILL), the WebSocket and the page server. Idempotent. */
  close(): Promise<void>;
}

const STREAM_MAGIC = 'jsmp';

export async function startLiveView(options: LiveViewOptions): Promise<LiveView> {
  const { camera, host, logger } = options;
  const log = logger.child({ component: 'live-view', camera: camera.id });
  const encoding = liveViewEncoding(camera);
  const secrets = urlSecrets(camera.url);
  const backoff = options.backoff ?? { initialMs: 1000, maxMs: 15_000, jitter: 0.2 };
  const script = readFileSync(jsmpegScriptPath());

  const page = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') res.writeHead(405).end();
    else if (url === '/' || url === '/index.html') {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(renderLivePage(camera, wsPort));
    } else if (url === '/jsmpeg.min.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    } else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await listen(page, host, options.httpPort);
  const httpPort = (page.address() as AddressInfo).port;

  let wsPort = options.wsPort;
  let stopping = false;
  let child: ChildProcess | undefined;
  let attempts = 0;
  let restartTimer: NodeJS.Timeout | undefined;

  class LocalVideoStream extends VideoStream {
    override startMpeg1Stream(): this {
      super.startMpeg1Stream();
      const muxer = this.mpeg1Muxer;
      // node-rtsp-stream echoes ffmpeg's stderr (which repeats the URL, password included) to the console.
      muxer.removeAllListeners('ffmpegStderr');
      muxer.on('ffmpegStderr', (data: Buffer) => {
        for (const line of data.toString().split(/\r?\n/)) {
          if (line.trim()) log.warn({ ffmpeg: redactText(line.trim(), secrets) }, 'live view ffmpeg');
        }
      });
      muxer.once('mpeg1data', () => {
        attempts = 0;
        log.info('live view streaming');
      });
      const running = this.stream;
      // Its own exit handler only prints "RTSP stream exited with error" to the console; ours logs and restarts.
      running.removeAllListeners('exit');
      child = running;
      trackChild(running);
      running.once('exit', (code, signal) => {
        if (stopping) return;
        attempts += 1;
        const delay = backoffDelay(attempts, backoff, Math.random);
        log.warn({ code, signal, retryInMs: delay }, 'live view stream ended; reconnecting');
        restartTimer = setTimeout(() => {
          if (!stopping) this.startMpeg1Stream();
        }, delay);
      });
      return this;
    }

    override pipeStreamToSocketServer(): this {
      // Replaces node-rtsp-stream's server, which listens on every interface: this one binds to `host`.
      const server = new WebSocketServer({ host, port: options.wsPort });
      this.wsServer = server;
      server.on('connection', (socket) => this.onSocketConnect(socket));
      this.on('camdata', (data: Buffer) => {
        for (const client of server.clients) if (client.readyState === 1) client.send(data);
      });
      return this;
    }

    override onSocketConnect(socket: unknown): void {
      // The 8-byte header node-rtsp-stream sends: magic, then width and height (JSMpeg skips it).
      const header = Buffer.alloc(8);
      header.write(STREAM_MAGIC);
      header.writeUInt16BE(encoding.width, 4);
      header.writeUInt16BE(encoding.height, 6);
      (socket as WsClient).send(header, { binary: true });
      log.info({ viewers: (this.wsServer as WsServer).clients.size }, 'live view viewer connected');
    }
  }

  log.info({ stream: redactUrl(camera.url) }, 'live view starting');
  const stream = new LocalVideoStream({
    name: camera.id,
    streamUrl: encoding.input,
    wsPort: options.wsPort,
    width: encoding.width,
    height: encoding.height,
    ffmpegPath: options.ffmpegPath,
    ffmpegOptions: encoding.ffmpegOptions,
  });
  const ws = stream.wsServer as WsServer;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      stopping = true;
      clearTimeout(restartTimer);
      if (child) await stopChild(child, options.stopGraceMs);
      for (const client of ws.clients) client.terminate();
      await new Promise<void>((resolve) => ws.close(() => resolve()));
      await new Promise<void>((resolve) => {
        page.close(() => resolve());
        page.closeAllConnections();
      });
      log.info('live view stopped');
    })();
    return closing;
  };

  try {
    await new Promise<void>((resolve, reject) => {
      ws.on('listening', resolve);
      ws.on('error', reject);
    });
  } catch (error) {
    await close();
    throw new Error(
      `cannot listen for the live view WebSocket on ${host}:${options.wsPort}: ${(error as Error).message}`,
    );
  }
  wsPort = ws.address().port;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  return {
    pageUrl: `http://${hostForUrl}:${httpPort}/`,
    wsUrl: `ws://${hostForUrl}:${wsPort}/`,
    get ffmpegPid() {
      return child?.pid;
    },
    close,
  };
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) =>
      reject(new Error(`cannot serve the live view page on ${host}:${port}: ${error.message}`)),
    );
    server.listen(port, host, () => resolve());
  });
}
