// One process at a time on an embedded PGlite data directory. PGlite takes no lock of its own, and two
// processes writing one directory corrupt it; so whoever opens it (the hub, or an `alpr hub …` command)
// first creates <dir>.lock holding its PID and the process's start time, exclusively. A lock whose process
// is gone is taken over; so is one whose PID now belongs to another process (a container restarted with
// the hub as PID 1 again).
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { pidAlive } from '../../shared/runtime/processes.js';
import { HubDbUnavailableError } from './hub-db.js';

/** A HubDbUnavailableError: to this process, the database is not available. */
export class DataDirLockedError extends HubDbUnavailableError {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded hub database ${dir} is in use by process ${pid} (a running alpr hub?): stop it first, or run the hub on PostgreSQL (hub.databaseUrl) to administer it while it runs`,
    );
    this.name = 'DataDirLockedError';
  }
}

/** Start time of a process (clock ticks since boot, Linux), to tell a recycled PID from the holder. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'; starttime is 22nd.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Take the lock of `dir`; returns its release. Throws DataDirLockedError while another live process holds it. */
export function lockDataDir(dir: string): () => void {
  const file = `${dir}.lock`;
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, `${process.pid} ${startTimeOf(process.pid) ?? '-'}\n`);
      } finally {
        closeSync(fd);
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(file, 'utf8').split(' ')[0] === String(process.pid)) unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder = Number.NaN;
    let started: string | undefined;
    try {
      const [pid, start] = readFileSync(file, 'utf8').trim().split(' ');
      holder = Number.parseInt(pid ?? '', 10);
      started = start === '-' ? undefined : start;
    } catch {
      continue; // removed meanwhile: try again
    }
    if (Number.isInteger(holder) && holder > 0 && pidAlive(holder)) {
      const now = startTimeOf(holder);
      if (started === undefined || now === undefined || now === started)
        throw new DataDirLockedError(dir, holder);
    }
    // Stale (its process died, e.g. SIGKILL) or unreadable: take it over.
    try {
      unlinkSync(file);
    } catch {
      // someone else took it over first; the next attempt sees theirs
    }
  }
  throw new Error(`cannot take the lock ${file}`);
}
