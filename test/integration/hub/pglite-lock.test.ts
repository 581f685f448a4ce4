// PGlite has no locking of its own and two processes on one data directory corrupt it: the hub locks the
// directory, refuses a second opener with a message naming the holder, and takes over a lock left by a
// process that is gone.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HubDbUnavailableError } from '../../../hub/db/hub-db.js';
import { openPgliteDb } from '../../../hub/db/pglite-db.js';
import { tempDir } from '../../support/temp-dir.js';

describe('embedded hub database lock', () => {
  it('refuses a second opener while the first has it, and frees it on close', async () => {
    const dir = path.join(tempDir('alpr-pglite-lock-'), 'pg');
    const first = await openPgliteDb(dir);
    const error = await openPgliteDb(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubDbUnavailableError);
    expect((error as Error).message).toMatch(new RegExp(`in use by process ${process.pid} on `));
    await first.close();
    const again = await openPgliteDb(dir);
    await again.close();
  });

  it('takes over a lock whose process is gone', async () => {
    const dir = path.join(tempDir('alpr-pglite-lock-'), 'pg');
    // A pid far beyond any running process on this host.
    writeFileSync(
      `${dir}.lock`,
      JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), since: 'earlier' }),
    );
    const db = await openPgliteDb(dir);
    expect((await db.query<{ n: number }>('SELECT 1 AS n'))[0]!.n).toBe(1);
    await db.close();
  });
});
