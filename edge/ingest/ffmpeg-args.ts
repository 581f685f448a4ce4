// Builds the ffmpeg command line that turns one camera stream into raw RGB24 frames on stdout.
// Pure: no process, no file system, so every flag can be checked by a unit test.
import { fileURLToPath } from 'node:url';

export interface FrameSourceSpec {
  /** rtsp://, rtsps:// or file:// URL (credentials allowed; they only go to ffmpeg's argv). */
  url: string;
  /** Frames per second to emit (ffmpeg drops or repeats decoded frames to hit it). */
  sampleFps: number;
  width: number;
  height: number;
  rtspTransport: 'tcp' | 'udp';
  /** file:// only: start again from the beginning at end of file. */
  loopFile?: boolean;
  /**
   * file:// only: read at the clip's native rate like a live camera (default). Off, ffmpeg decodes as
   * fast as its reader takes frames (`alpr eval --video --pace all`: every sampled frame is read).
   */
  realtime?: boolean;
  /** ffmpeg log level for stderr; 'error' keeps one line per failure. */
  logLevel?: 'error' | 'warning' | 'info';
}

export type SourceKind = 'rtsp' | 'file';

/** rtsp for rtsp:// and rtsps://, file for file://; throws for anything else. */
export function sourceKind(url: string): SourceKind {
  if (/^rtsps?:\/\//i.test(url)) return 'rtsp';
  if (/^file:\/\//i.test(url)) return 'file';
  throw new Error(`unsupported stream URL scheme (want rtsp://, rtsps:// or file://): ${url.split(':')[0]}`);
}

/** Bytes in one packed RGB24 frame. */
export function frameBytes(width: number, height: number): number {
  return width * height * 3;
}

/**
 * ffmpeg arguments (without the binary) that decode `spec.url` to RGB24 frames of the configured size
 * at the configured rate on stdout.
 * @example buildFfmpegArgs({ url: 'rtsp://cam/s1', sampleFps: 5, width: 1280, height: 720, rtspTransport: 'tcp' })
 */
export function buildFfmpegArgs(spec: FrameSourceSpec): string[] {
  if (!(spec.sampleFps > 0)) throw new Error(`sampleFps must be > 0, got ${spec.sampleFps}`);
  if (!Number.isInteger(spec.width) || !Number.isInteger(spec.height) || spec.width < 1 || spec.height < 1) {
    throw new Error(`frame size must be positive integers, got ${spec.width}x${spec.height}`);
  }
  const input: string[] = [];
  if (sourceKind(spec.url) === 'rtsp') {
    // TCP interleaving survives lossy links and NAT; UDP only when the camera cannot do TCP.
    input.push('-rtsp_transport', spec.rtspTransport);
    input.push('-i', spec.url);
  } else {
    // -re reads a file at its native rate, so a file behaves like a live camera (demo, tests).
    if (spec.realtime ?? true) input.push('-re');
    if (spec.loopFile) input.push('-stream_loop', '-1');
    input.push('-i', fileURLToPath(spec.url));
  }
  return [
    '-hide_banner',
    '-nostats',
    '-loglevel',
    spec.logLevel ?? 'error',
    // No socket timeout flags: their names and units differ between ffmpeg versions (4.x `-timeout`
    // on RTSP means "listen"); the camera supervisor's watchdog restarts a stalled ffmpeg instead.
    ...input,
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-dn',
    '-vf',
    `fps=${formatRate(spec.sampleFps)},scale=${spec.width}:${spec.height}:flags=bilinear`,
    '-pix_fmt',
    'rgb24',
    '-f',
    'rawvideo',
    'pipe:1',
  ];
}

/** A rate ffmpeg's fps filter accepts exactly: integers as is, fractions as N/1000. */
function formatRate(fps: number): string {
  if (Number.isInteger(fps)) return String(fps);
  return `${Math.round(fps * 1000)}/1000`;
}
