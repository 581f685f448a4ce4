// Test helpers around the simulated RTSP camera: a testsrc2 clip made with the real ffmpeg, and the
// CI rule that a missing RTSP server fails a test file unless ALPR_TEST_ALLOW_SKIP=1.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  RtspClipServer,
  type RtspServerOptions,
  rtspServerUnavailable,
} from '../../sim/camera/rtsp-clip-server.js';

export {
  freePort,
  RtspClipServer,
  rtspServerUnavailable,
} from '../../sim/camera/rtsp-clip-server.js';

const execFileAsync = promisify(execFile);

export interface ClipOptions {
  width?: number;
  height?: number;
  fps?: number;
  seconds?: number;
  /** Keyframe interval in frames; short, so a reconnecting client gets a picture quickly. */
  gop?: number;
}

/** Render a testsrc2 clip as H.264 in MP4 with the real ffmpeg. */
export async function makeClip(file: string, options: ClipOptions = {}): Promise<string> {
  const { width = 320, height = 240, fps = 10, seconds = 60 } = options;
  const gop = options.gop ?? fps;
  await execFileAsync(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${width}x${height}:rate=${fps}`,
      '-t',
      String(seconds),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-tune',
      'zerolatency',
      '-g',
      String(gop),
      '-pix_fmt',
      'yuv420p',
      '-movflags',
      '+faststart',
      file,
    ],
    { maxBuffer: 1 << 20 },
  );
  return file;
}

/**
 * For test files: undefined when the RTSP server can run; when it cannot, throws (CI) or, with
 * ALPR_TEST_ALLOW_SKIP=1, returns the reason so the file can skip.
 */
export async function rtspServerSkipReason(allowSkip: boolean): Promise<string | undefined> {
  const reason = await rtspServerUnavailable();
  if (reason && !allowSkip) throw new Error(`${reason} (set ALPR_TEST_ALLOW_SKIP=1 to skip locally)`);
  return reason;
}

export interface ClipServerFixture {
  /** Temporary directory holding the clip; tests may put their own files in it. */
  dir: string;
  clip: string;
  server: RtspClipServer;
  /** Stop the server and remove the directory. */
  close(): Promise<void>;
}

/**
 * A temp directory, a testsrc2 clip in it, and an RTSP server serving it (started) — the set-up every
 * test file with a camera shares. Call from beforeAll; `close()` from afterAll.
 * @example const f = await startClipServer('alpr-sup-', { user: 'tech', password: 'pw' }, { seconds: 300 });
 */
export async function startClipServer(
  prefix: string,
  server: Omit<RtspServerOptions, 'file'> = {},
  clipOptions: ClipOptions = {},
): Promise<ClipServerFixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const clip = await makeClip(path.join(dir, 'clip.mp4'), { width: 320, height: 240, ...clipOptions });
  const rtsp = new RtspClipServer({ ...server, file: clip });
  await rtsp.start();
  return {
    dir,
    clip,
    server: rtsp,
    async close() {
      await rtsp.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
