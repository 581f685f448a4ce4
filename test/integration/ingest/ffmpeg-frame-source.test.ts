import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FrameSourceOptions,
  type SourceExit,
  startFfmpegFrameSource,
} from '../../../edge/ingest/ffmpeg-frame-source.js';
import { npmFfmpegPath } from '../../../edge/ingest/ffmpeg-locator.js';
import type { Frame } from '../../../edge/pipeline/stages.js';
import { systemClock } from '../../../shared/runtime/clock.js';
import { isAlive } from '../../support/processes.js';
import {
  type ClipServerFixture,
  freePort,
  type RtspClipServer,
  rtspServerSkipReason,
  startClipServer,
} from '../../support/rtsp-server.js';
import { ALLOW_SKIP } from '../../support/services.js';

const skip = await rtspServerSkipReason(ALLOW_SKIP);
let clipDir: string;
let clip: string;
let server: RtspClipServer;
let fixture: ClipServerFixture | undefined;

function options(overrides: Partial<FrameSourceOptions> = {}): FrameSourceOptions {
  return {
    cameraId: 'cam-1',
    url: server.url(),
    sampleFps: 5,
    width: 160,
    height: 120,
    rtspTransport: 'tcp',
    ffmpegPath: 'ffmpeg',
    stopGraceMs: 2000,
    clock: systemClock,
    ...overrides,
  };
}

/** Run a source until `done` says stop (or it exits by itself); returns frames and how it ended. */
async function collect(
  opts: FrameSourceOptions,
  done: (frames: Frame[]) => boolean,
  timeoutMs = 20_000,
): Promise<{ frames: Frame[]; exit: SourceExit; pid: number | undefined; stopOutcome?: string }> {
  const frames: Frame[] = [];
  let stopOutcome: string | undefined;
  let resolveExit!: (exit: SourceExit) => void;
  const exited = new Promise<SourceExit>((r) => {
    resolveExit = r;
  });
  const run = startFfmpegFrameSource(opts, {
    onFrame: (f) => {
      frames.push(f);
      if (done(frames)) {
        void run.stop().then((outcome) => {
          stopOutcome = outcome;
        });
      }
    },
    onExit: resolveExit,
  });
  const timer = setTimeout(() => void run.stop(), timeoutMs);
  const exit = await exited;
  clearTimeout(timer);
  await run.stop();
  return { frames, exit, pid: run.pid, stopOutcome };
}

describe.skipIf(skip)('startFfmpegFrameSource (real ffmpeg, real GStreamer RTSP server)', () => {
  beforeAll(async () => {
    fixture = await startClipServer(
      'alpr-clip-',
      { user: 'viewer', password: 'pa55-word' },
      { fps: 10, seconds: 120 },
    );
    ({ dir: clipDir, clip, server } = fixture);
  });
  afterAll(() => fixture?.close());

  it('delivers whole RGB24 frames of the configured size at the configured rate, then quits on q', async () => {
    const { frames, exit, pid, stopOutcome } = await collect(options(), (f) => f.length >= 25);
    expect(stopOutcome).toBe('quit'); // ffmpeg honoured "q"; no signal was needed
    expect(frames).toHaveLength(25);
    for (const [i, f] of frames.entries()) {
      expect(f.data.length).toBe(160 * 120 * 3);
      expect([f.width, f.height, f.seq, f.cameraId]).toEqual([160, 120, i + 1, 'cam-1']);
    }
    // Rate over the steady part: ffmpeg decodes what it buffered while probing the stream in a burst.
    const steady = frames.slice(-10);
    const fps = ((steady.length - 1) * 1000) / (steady.at(-1)!.capturedAt - steady[0]!.capturedAt);
    expect(fps).toBeGreaterThan(3.5);
    expect(fps).toBeLessThan(7);
    expect(exit.requested).toBe(true);
    expect(exit.tornBytes).toBe(0);
    expect(isAlive(pid!)).toBe(false);
  });

  it('reports wrong credentials as auth_failed without echoing the password', async () => {
    const { frames, exit } = await collect(
      options({ url: server.url({ user: 'viewer', password: 'wrong-secret' }) }),
      () => false,
    );
    expect(frames).toHaveLength(0);
    expect(exit.reason).toBe('auth_failed');
    expect(exit.requested).toBe(false);
    expect(exit.detail).toMatch(/401/);
    expect(exit.detail).not.toContain('wrong-secret');
  });

  it('reports a wrong stream path as not_found and a closed port as unreachable', async () => {
    const missing = await collect(options({ url: server.url().replace('/stream', '/nope') }), () => false);
    expect(missing.exit.reason).toBe('not_found');
    const port = await freePort();
    const closed = await collect(options({ url: `rtsp://127.0.0.1:${port}/stream` }), () => false);
    expect(closed.exit.reason).toBe('unreachable');
  });

  it('discards a frame cut off mid-way when the stream stops, never emitting a torn frame', async () => {
    // Real ffmpeg whose output pipe is cut after 2.5 frames: the stream stops in the middle of a frame.
    const frameSize = 160 * 120 * 3;
    const wrapper = path.join(clipDir, 'ffmpeg-cut.sh');
    writeFileSync(wrapper, `#!/bin/sh\nffmpeg "$@" | head -c ${Math.floor(frameSize * 2.5)}\n`);
    chmodSync(wrapper, 0o755);
    const { frames, exit } = await collect(options({ ffmpegPath: wrapper }), () => false);
    expect(frames).toHaveLength(2);
    expect(frames.every((f) => f.data.length === frameSize)).toBe(true);
    expect(exit.tornBytes).toBe(frameSize / 2);
    expect(exit.requested).toBe(false);
  });

  it('plays a file:// clip at its native rate (the demo path)', async () => {
    const url = pathToFileURL(clip).href;
    const { frames } = await collect(options({ url, sampleFps: 10 }), (f) => f.length >= 12);
    expect(frames).toHaveLength(12);
    const span = frames.at(-1)!.capturedAt - frames[1]!.capturedAt;
    expect(span).toBeGreaterThan(700); // 10 intervals at 10 fps with -re: about 1 s, not a burst
  });

  it.skipIf(!npmFfmpegPath())('decodes with the npm-shipped ffmpeg as well (the fallback)', async () => {
    const { frames } = await collect(options({ ffmpegPath: npmFfmpegPath()! }), (f) => f.length >= 3);
    expect(frames).toHaveLength(3);
    expect(frames[0]!.data.length).toBe(160 * 120 * 3);
  });
});
