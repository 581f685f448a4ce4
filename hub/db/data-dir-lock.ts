// One process at a time on an embedded (PGlite) hub database: PGlite has no locking of its own, and two
// processes writing one data directory corrupt it. A lock file beside the directory names its holder; a
// holder that is gone (same host, process not running) is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import { pidAlive } from '../../shared/runtime/processes.js';
import { HubDbUnavailableError } from './hub-db.js';

interface Holder {
  pid: number;
  host: string;
  since: string;
}

/** Take the lock of `dataDir` (the file `<dataDir>.lock`); returns the function that lets it go. */
export function lockDataDir(dataDir: string): () => void {
  const file = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder && (holder.host !== os.hostname() || pidAlive(holder.pid))) {
        throw new HubDbUnavailableError(
          `the embedded hub database ${dataDir} is in use by process ${holder.pid} on ${holder.host} since ${holder.since} ` +
            `(a running alpr hub?): stop it first, or run the hub on PostgreSQL (hub.databaseUrl) so commands can share it; ` +
            `if no such process is an alpr hub, remove ${file}`,
        );
      }
      unlinkQuietly(file); // left by a process that is gone (or half-written): take it over
      continue;
    }
    try {
      const holder: Holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
      writeSync(fd, `${JSON.stringify(holder)}\n`);
    } finally {
      closeSync(fd);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      unlinkQuietly(file);
    };
  }
  throw new HubDbUnavailableError(`could not take the lock ${file}`);
}

function readHolder(file: string): Holder | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof value.pid === 'number' && typeof value.host === 'string'
      ? { pid: value.pid, host: value.host, since: String(value.since ?? 'unknown') }
      : undefined;
  } catch {
    return undefined; // unreadable or being written: treated as stale
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
