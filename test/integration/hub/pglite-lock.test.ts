// One process at a time on an embedded PGlite directory: a second opener is refused naming the holder,
// a lock left by a dead process (SIGKILL) is taken over, and closing releases it.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HubDbUnavailableError } from '../../../hub/db/hub-db.js';
import { openHubDb } from '../../../hub/db/open-hub-db.js';
import { DataDirLockedError, lockDataDir } from '../../../hub/db/pglite-lock.js';
import { tempDir } from '../../support/temp-dir.js';

describe('PGlite data directory lock', () => {
  it('refuses a second opener while the first holds it, and frees it on close', async () => {
    const dataDir = path.join(tempDir(), 'not-yet', 'hub');
    const first = await openHubDb({ dataDir, poolSize: 1 });
    const second = await openHubDb({ dataDir, poolSize: 1 }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(DataDirLockedError);
    expect((second as Error).message).toMatch(new RegExp(`in use by process ${process.pid}`));
    await first.close();
    expect(existsSync(path.join(dataDir, 'pg.lock'))).toBe(false);
    const again = await openHubDb({ dataDir, poolSize: 1 });
    await again.close();
  });

  it('takes over a lock whose process is gone, and one whose PID was recycled by another process', async () => {
    const dir = path.join(tempDir(), 'pg');
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    await new Promise((r) => child.once('spawn', r));
    writeFileSync(`${dir}.lock`, `${child.pid} -\n`);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(HubDbUnavailableError);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    lockDataDir(dir)();
    // The PID of a live process, but recorded with another start time: not the holder.
    writeFileSync(`${dir}.lock`, `${process.pid} 1\n`);
    const release = lockDataDir(dir);
    release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });
});
