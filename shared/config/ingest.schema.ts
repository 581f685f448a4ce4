// Ingest section (edge): frame sources, watchdog, health/metrics endpoint and the technicians' live view.
import { z } from 'zod';

export const ingestSchema = z
  .strictObject({
    ffmpegPath: z
      .string()
      .optional()
      .describe('ffmpeg binary; default: the system ffmpeg on PATH, else an npm-shipped one.'),
    staleAfterS: z
      .number()
      .gt(0)
      .max(600)
      .default(10)
      .describe('Restart a camera whose last frame is older than this many seconds.'),
    backoffInitialMs: z
      .number()
      .int()
      .min(50)
      .max(60_000)
      .default(1000)
      .describe('First reconnect delay; doubles on each failure.'),
    backoffMaxMs: z
      .number()
      .int()
      .min(100)
      .max(600_000)
      .default(30_000)
      .describe('Cap on the reconnect delay.'),
    backoffJitter: z
      .number()
      .min(0)
      .max(1)
      .default(0.2)
      .describe(
        'Random fraction added to or removed from each delay, so cameras do not reconnect in lockstep.',
      ),
    firstConnectAttempts: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(5)
      .describe(
        'Until a camera has delivered its first frame, this many failed connects are retried after firstConnectRetryMs instead of the growing backoff (a server or switch still starting).',
      ),
    firstConnectRetryMs: z
      .number()
      .int()
      .min(50)
      .max(10_000)
      .default(250)
      .describe('Delay between those first connection attempts.'),
    offlineAfterS: z
      .number()
      .gt(0)
      .max(86_400)
      .default(60)
      .describe('A camera that has not delivered a frame for this long is reported offline.'),
    stopGraceMs: z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(3000)
      .describe('How long ffmpeg gets after "q" and again after SIGTERM before the next signal.'),
    loopFiles: z
      .boolean()
      .default(true)
      .describe('file:// camera URLs (demo, tests) start again from the beginning at the end of the file.'),
    maxClockSkewS: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .default(120)
      .describe(
        "Largest disagreement tolerated between this node's clocks: a read captured more than this ahead of its store time is refused, and a purge whose clock is more than this behind the newest store time or receipt runs on the latest trustworthy time and reports the skew.",
      ),
  })
  .describe('How the edge pulls frames from cameras.');

export const httpSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Serve /health and /metrics.'),
    host: z.string().min(1).default('127.0.0.1').describe('Listen address; localhost unless you expose it.'),
    port: z.number().int().min(0).max(65535).default(9464).describe('Listen port for /health and /metrics.'),
    unhealthyAfterOfflineS: z
      .number()
      .gt(0)
      .max(86_400)
      .default(300)
      .describe('/health answers 503 when a camera has been offline longer than this.'),
  })
  .describe('Health and metrics endpoint.');

export const liveViewSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe('Allow `alpr live`; off by default (it shows identifiable video).'),
    host: z.string().min(1).default('127.0.0.1').describe('Listen address for the live page and WebSocket.'),
    httpPort: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(8088)
      .describe('Port of the local page that plays the stream.'),
    wsPort: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(9999)
      .describe('WebSocket port carrying MPEG-1 video.'),
  })
  .describe('Live view for technicians aiming a camera.');
