// Finds the ffmpeg binary: the configured path, else the system's on PATH, else the npm-shipped one
// (optional dependency @ffmpeg-installer/ffmpeg). Says clearly what it tried when none is there.
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface FfmpegLocation {
  path: string;
  origin: 'config' | 'system' | 'npm';
}

export class FfmpegNotFoundError extends Error {
  constructor(readonly tried: string[]) {
    super(
      `ffmpeg not found (tried ${tried.join('; ')}): install the system package "ffmpeg", ` +
        'or the optional npm dependency @ffmpeg-installer/ffmpeg, or set ingest.ffmpegPath',
    );
    this.name = 'FfmpegNotFoundError';
  }
}

const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** First executable `name` on a PATH string, or undefined. */
export function findOnPath(name: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The npm-shipped ffmpeg, if the optional dependency is installed for this platform. */
export function npmFfmpegPath(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const found = (require('@ffmpeg-installer/ffmpeg') as { path?: string }).path;
    return found && isExecutable(found) ? found : undefined;
  } catch {
    // Not installed, or no binary for this platform: the caller reports what it tried.
    return undefined;
  }
}

/** Resolve ffmpeg once at start; throws FfmpegNotFoundError naming every place it looked. */
export function locateFfmpeg(
  configured: string | undefined,
  env: { PATH?: string } = process.env,
  npmPath: () => string | undefined = npmFfmpegPath,
): FfmpegLocation {
  const tried: string[] = [];
  if (configured) {
    if (isExecutable(configured)) return { path: configured, origin: 'config' };
    // An explicit setting that is wrong is an error, not a reason to silently use another binary.
    throw new FfmpegNotFoundError([`ingest.ffmpegPath ${configured} (not an executable file)`]);
  }
  const system = findOnPath('ffmpeg', env.PATH);
  if (system) return { path: system, origin: 'system' };
  tried.push('ffmpeg on PATH');
  const shipped = npmPath();
  if (shipped) return { path: shipped, origin: 'npm' };
  tried.push('@ffmpeg-installer/ffmpeg');
  throw new FfmpegNotFoundError(tried);
}
