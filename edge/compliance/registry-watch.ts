// File-system events for the registry file. Watches the directory, not the file: an atomic replace
// (write temporary + rename) gives the path a new inode, which a watch on the old file would miss.
// Events only speed things up; the gate's periodic re-check runs regardless.
import { watch } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../shared/logging/logger.js';

/** Call `onChange` when something happens to `file`; returns a close function. Never throws. */
export function watchRegistryFile(file: string, onChange: () => void, logger?: Logger): () => void {
  const dir = path.dirname(file);
  const base = path.basename(file);
  try {
    const watcher = watch(dir, { persistent: false }, (_event, name) => {
      if (!name || name === base) onChange();
    });
    watcher.on('error', (error) => {
      logger?.warn({ err: error }, 'registry watch failed; relying on the periodic re-check');
      watcher.close();
    });
    return () => watcher.close();
  } catch (error) {
    logger?.warn(
      { err: error, dir },
      'cannot watch the registry directory; relying on the periodic re-check',
    );
    return () => undefined; // nothing to close
  }
}
