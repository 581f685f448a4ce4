import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildFfmpegArgs,
  type FrameSourceSpec,
  frameBytes,
  sourceKind,
} from '../../../edge/ingest/ffmpeg-args.js';

const spec = (overrides: Partial<FrameSourceSpec> = {}): FrameSourceSpec => ({
  url: 'rtsp://viewer:pw@10.0.0.5:554/stream1',
  sampleFps: 5,
  width: 1280,
  height: 720,
  rtspTransport: 'tcp',
  ...overrides,
});

const valueAfter = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('buildFfmpegArgs', () => {
  it('pulls RTSP over TCP and decodes to raw RGB24 at the configured rate and size on stdout', () => {
    const args = buildFfmpegArgs(spec());
    expect(valueAfter(args, '-rtsp_transport')).toBe('tcp');
    expect(args.indexOf('-rtsp_transport')).toBeLessThan(args.indexOf('-i')); // an input option
    expect(valueAfter(args, '-i')).toBe('rtsp://viewer:pw@10.0.0.5:554/stream1');
    expect(valueAfter(args, '-vf')).toBe('fps=5,scale=1280:720:flags=bilinear');
    expect(valueAfter(args, '-pix_fmt')).toBe('rgb24');
    expect(valueAfter(args, '-f')).toBe('rawvideo');
    expect(args.at(-1)).toBe('pipe:1');
    expect(args).toContain('-an');
  });

  it('uses UDP when the camera is configured for it', () => {
    expect(valueAfter(buildFfmpegArgs(spec({ rtspTransport: 'udp' })), '-rtsp_transport')).toBe('udp');
  });

  it('reads a file:// clip at native rate, looping only when asked, with no RTSP flags', () => {
    const once = buildFfmpegArgs(spec({ url: 'file:///clips/demo%20clip.mp4' }));
    expect(once).toContain('-re');
    expect(once).not.toContain('-stream_loop');
    expect(once).not.toContain('-rtsp_transport');
    expect(valueAfter(once, '-i')).toBe('/clips/demo clip.mp4');
    const looped = buildFfmpegArgs(spec({ url: 'file:///clips/a.mp4', loopFile: true }));
    expect(valueAfter(looped, '-stream_loop')).toBe('-1');
    expect(looped.indexOf('-stream_loop')).toBeLessThan(looped.indexOf('-i'));
  });

  it('writes fractional rates exactly', () => {
    expect(valueAfter(buildFfmpegArgs(spec({ sampleFps: 2.5 })), '-vf')).toMatch(/^fps=2500\/1000,/);
  });

  it('keeps stdin free for the "q" that stops ffmpeg (no -nostdin)', () => {
    expect(buildFfmpegArgs(spec())).not.toContain('-nostdin');
  });

  it('rejects unsupported schemes and impossible sizes', () => {
    expect(() => buildFfmpegArgs(spec({ url: 'http://cam/stream' }))).toThrow(
      /unsupported stream URL scheme/,
    );
    expect(() => buildFfmpegArgs(spec({ width: 0 }))).toThrow(/frame size/);
    expect(() => buildFfmpegArgs(spec({ sampleFps: 0 }))).toThrow(/sampleFps/);
  });

  it('always ends with the frame size and rate it was given (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 64, max: 4096 }),
        fc.integer({ min: 64, max: 4096 }),
        fc.integer({ min: 1, max: 30 }),
        (width, height, fps) => {
          const args = buildFfmpegArgs(spec({ width, height, sampleFps: fps }));
          expect(valueAfter(args, '-vf')).toBe(`fps=${fps},scale=${width}:${height}:flags=bilinear`);
        },
      ),
    );
  });
});

describe('sourceKind and frameBytes', () => {
  it('tells RTSP from files and sizes RGB24 frames', () => {
    expect(sourceKind('rtsps://cam/s')).toBe('rtsp');
    expect(sourceKind('file:///x.mp4')).toBe('file');
    expect(frameBytes(1280, 720)).toBe(2_764_800);
  });
});
