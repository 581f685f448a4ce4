import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FfmpegNotFoundError, locateFfmpeg } from '../../../edge/ingest/ffmpeg-locator.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function fakeBin(name: string): string {
  dir ??= mkdtempSync(path.join(os.tmpdir(), 'alpr-bin-'));
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

describe('locateFfmpeg', () => {
  it('prefers the configured path, then the system ffmpeg on PATH, then the npm-shipped one', () => {
    const system = fakeBin('ffmpeg');
    const configured = fakeBin('my-ffmpeg');
    expect(locateFfmpeg(configured, { PATH: '' }, () => '/npm/ffmpeg')).toEqual({
      path: configured,
      origin: 'config',
    });
    expect(locateFfmpeg(undefined, { PATH: path.dirname(system) }, () => '/npm/ffmpeg')).toEqual({
      path: system,
      origin: 'system',
    });
    expect(locateFfmpeg(undefined, { PATH: '/nonexistent' }, () => '/npm/ffmpeg')).toEqual({
      path: '/npm/ffmpeg',
      origin: 'npm',
    });
  });

  it('says what it tried when there is no ffmpeg at all', () => {
    expect(() => locateFfmpeg(undefined, { PATH: '/nonexistent' }, () => undefined)).toThrow(
      FfmpegNotFoundError,
    );
    expect(() => locateFfmpeg(undefined, { PATH: '/nonexistent' }, () => undefined)).toThrow(
      /ffmpeg on PATH; @ffmpeg-installer\/ffmpeg/,
    );
  });

  it('does not fall back silently when the configured path is wrong', () => {
    expect(() => locateFfmpeg('/nope/ffmpeg', { PATH: '/usr/bin' }, () => '/npm/ffmpeg')).toThrow(
      /ingest.ffmpegPath \/nope\/ffmpeg/,
    );
  });
});
