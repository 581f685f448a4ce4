// `alpr hub hotlists import|list` as an administrator runs them: an allowlisted list imports with its
// refused lines named (file:line: field: code), an immigration source or a source not on the allowlist
// exits 2 and changes nothing, and `list` shows the refresh time.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addAgency } from '../../hub/agencies/agencies.service.js';
import { HubAuditLog } from '../../hub/audit/hub-audit-log.js';
import { migrateHub } from '../../hub/db/hub-migrations.js';
import { openPgliteDb } from '../../hub/db/pglite-db.js';
import { loadHubKeys } from '../../hub/hub-keys.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';

describe('alpr hub hotlists', () => {
  it('imports an allowlisted list naming refused lines, refuses immigration and unlisted sources, lists', async () => {
    const dir = tempDir('alpr-hub-hotlists-');
    const keys = loadHubKeys(path.join(dir, 'hub', 'keys'));
    const db = await openPgliteDb(path.join(dir, 'hub', 'pg'));
    await migrateHub(db);
    await addAgency(
      { db, audit: new HubAuditLog(), keys, clock: () => Date.now() },
      { ori: 'CA0430100', name: 'San José Police Department', type: 'local_le', home: true },
      'test',
    );
    await db.close();
    const config = path.join(dir, 'alpr.yaml');
    writeFileSync(config, JSON.stringify({ hub: { dataDir: './hub' } }));
    const expiry = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const file = path.join(dir, 'stolen.csv');
    writeFileSync(
      file,
      [
        'plate,reason,case_number,source,expiry',
        `7ABC123,stolen in a carjacking,26-000123,ncic_stolen_vehicle,${expiry}`,
        `8XYZ999,immigration status check,26-000124,ncic_stolen_vehicle,${expiry}`,
        '',
      ].join('\n'),
    );
    const ok = await runCli([
      'hub',
      'hotlists',
      'import',
      file,
      '--source',
      'ncic_stolen_vehicle',
      '--agency',
      'CA0430100',
      '-c',
      config,
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/imported 1 entry into ncic_stolen_vehicle of CA0430100/);
    expect(ok.stderr).toMatch(/stolen\.csv:3: reason: prohibited_purpose/);

    const ivf = await runCli([
      'hub',
      'hotlists',
      'import',
      file,
      '--source',
      'ncic_immigration_violator_file',
      '--agency',
      'CA0430100',
      '-c',
      config,
    ]);
    expect(ivf.code).toBe(2);
    expect(ivf.stderr).toMatch(/immigration list/);
    const unlisted = await runCli([
      'hub',
      'hotlists',
      'import',
      file,
      '--source',
      'dmv_registration_holds',
      '--agency',
      'CA0430100',
      '-c',
      config,
    ]);
    expect(unlisted.code).toBe(2);
    expect(unlisted.stderr).toMatch(/not an allowlisted hotlist source \(access\.hotlist\.sources/);

    const list = await runCli(['hub', 'hotlists', 'list', '--agency', 'CA0430100', '-c', config, '--json']);
    expect(list.code).toBe(0);
    expect(list.json()).toMatchObject({ source: 'ncic_stolen_vehicle', stale: false, activeEntries: 1 });
  });
});
