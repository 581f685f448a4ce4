// Re-reads the edge's config file when it changes on disk, for the compliance gate. A valid file is
// handed over whole; an invalid one is reported with the cameras its edit touches (shared/config/
// config-diff.ts), so the gate closes exactly those until a valid file arrives. Logs each invalid
// version of the file once.
import { statSync } from 'node:fs';
import { type TouchedCameras, touchedCameras } from '../../shared/config/config-diff.js';
import { issuesToLines } from '../../shared/config/format-issues.js';
import { type LoadedConfig, loadConfigFile } from '../../shared/config/load-config.js';
import type { Logger } from '../../shared/logging/logger.js';

export type ConfigReload =
  | { kind: 'valid'; loaded: LoadedConfig }
  | { kind: 'invalid'; touched: TouchedCameras; lines: string[] };

export interface ConfigReloader {
  /** The file's new content when it changed since the last call, else undefined. */
  poll(runningIds: readonly string[]): ConfigReload | undefined;
}

/**
 * Watch `file` by its (inode, size, mtime) stamp; `baseline` is the raw document the edge started with.
 * @example const reloader = configFileReloader(loaded.source!, loaded.raw); reloader.poll(['cam-1'])
 */
export function configFileReloader(file: string, baseline: unknown, logger?: Logger): ConfigReloader {
  let lastStamp = stamp(file);
  let lastValidRaw = baseline;
  return {
    poll(runningIds) {
      const now = stamp(file);
      if (now === lastStamp) return undefined;
      lastStamp = now;
      const result = loadConfigFile(file);
      if (result.ok) {
        lastValidRaw = result.value.raw;
        logger?.info({ file }, 'config file changed and is valid; applying its camera geometry');
        return { kind: 'valid', loaded: result.value };
      }
      const lines = issuesToLines(result.issues);
      const touched = touchedCameras(lastValidRaw, result.raw, result.issues, runningIds);
      logger?.error(
        {
          file,
          issues: lines,
          refusing: touched.all ? 'all cameras' : touched.cameraIds,
          why: touched.all ? touched.why : undefined,
        },
        'config file changed but is invalid; the cameras it touches refuse their reads (config_invalid) until it is fixed',
      );
      return { kind: 'invalid', touched, lines };
    },
  };
}

function stamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}
