import { describe, expect, it } from 'vitest';
import { classifyFfmpegExit, redactText, urlSecrets } from '../../../edge/ingest/ffmpeg-failure.js';

const exit = (stderr: string[], code: number | null = 1) => ({ code, signal: null, stderr });

describe('classifyFfmpegExit', () => {
  it('names the failures a technician can fix', () => {
    expect(classifyFfmpegExit(exit(['[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized']))).toBe(
      'auth_failed',
    );
    expect(classifyFfmpegExit(exit(['rtsp://***:***@h/x: Server returned 404 Not Found']))).toBe('not_found');
    expect(classifyFfmpegExit(exit(['Connection to tcp://10.0.0.5:554 failed: Connection refused']))).toBe(
      'unreachable',
    );
    expect(classifyFfmpegExit(exit(['Connection to tcp://10.0.0.5:554 failed: No route to host']))).toBe(
      'unreachable',
    );
    expect(classifyFfmpegExit(exit(['rtsp://cam/s: Invalid data found when processing input']))).toBe(
      'bad_stream',
    );
  });

  it('reads the most recent line first', () => {
    expect(classifyFfmpegExit(exit(['Connection refused', '401 Unauthorized']))).toBe('auth_failed');
  });

  it('calls a clean exit without an error an ended stream, and anything else a failure', () => {
    expect(classifyFfmpegExit(exit([], 0))).toBe('stream_ended');
    expect(classifyFfmpegExit(exit(['something odd'], 1))).toBe('ffmpeg_failed');
    expect(classifyFfmpegExit({ ...exit([], null), spawnError: 'spawn ffmpeg ENOENT' })).toBe(
      'ffmpeg_missing',
    );
  });
});

describe('redactText', () => {
  it('removes URL credentials and known secrets from ffmpeg messages', () => {
    expect(redactText("Input #0, rtsp, from 'rtsp://admin:hunter22@10.0.0.5/s1':")).toBe(
      "Input #0, rtsp, from 'rtsp://***:***@10.0.0.5/s1':",
    );
    expect(redactText('auth as admin with hunter22 failed', ['hunter22'])).toBe(
      'auth as admin with *** failed',
    );
  });

  it('finds the secrets of a URL, decoded and raw', () => {
    expect(urlSecrets('rtsp://ad%40min:p%3Ass@cam/s')).toEqual(
      expect.arrayContaining(['p%3Ass', 'p:ss', 'ad@min']),
    );
    expect(urlSecrets('rtsp://cam/s')).toEqual([]);
  });
});
