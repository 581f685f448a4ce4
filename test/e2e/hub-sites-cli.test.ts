// `alpr hub sites import|list|history` as a planner runs them: the same validation as `alpr sites import`
// (exit 2 naming each feature's problem, the hub untouched), a signed version per change, no names in
// public listings.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateHub } from '../../hub/db/hub-migrations.js';
import { openPgliteDb } from '../../hub/db/pglite-db.js';
import { loadHubKeys } from '../../hub/hub-keys.js';
import { spawnCli } from '../support/cli.js';
import {
  circleSite,
  entrance,
  featureCollection,
  polygonSite,
  square,
} from '../support/geofence-factories.js';
import { tempDir } from '../support/temp-dir.js';

async function hubDir() {
  const dir = tempDir('alpr-hub-sites-');
  const db = await openPgliteDb(path.join(dir, 'hub', 'pg'));
  await migrateHub(db);
  await db.close();
  loadHubKeys(path.join(dir, 'hub', 'keys'));
  const config = path.join(dir, 'alpr.yaml');
  writeFileSync(config, JSON.stringify({ hub: { dataDir: './hub' } }));
  const file = (name: string, features: unknown[]) => {
    const p = path.join(dir, name);
    writeFileSync(p, JSON.stringify(featureCollection(features)));
    return p;
  };
  return { dir, config, file };
}

describe('alpr hub sites', () => {
  it('imports, re-imports nothing, lists without names in public, and keeps the history', async () => {
    const { config, file } = await hubDir();
    const bad = file('bad.geojson', [
      {
        type: 'Feature',
        properties: { id: 'c1', category: 'casino' },
        geometry: { type: 'Point', coordinates: [0, 0] },
      },
    ]);
    const refused = spawnCli(['hub', 'sites', 'import', bad, '--config', config]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/features\[0\]\.properties\.category/);

    const sites = file('sites.geojson', [
      polygonSite([square(100, 100, 20)], {
        id: 'clinic-1',
        category: 'reproductive_health',
        name: 'Clinic A',
      }),
      entrance('clinic-1', [100, 80]),
    ]);
    const imported = spawnCli([
      'hub',
      'sites',
      'import',
      sites,
      '--config',
      config,
      '--by',
      'planner.kim',
      '--json',
    ]);
    expect(imported.code).toBe(0);
    expect(imported.json()).toMatchObject({
      changed: true,
      seq: 1,
      sites: 1,
      entrances: 1,
      namesStored: true,
      previousVersion: null,
    });
    const again = spawnCli(['hub', 'sites', 'import', sites, '--config', config]);
    expect(again.stdout).toMatch(/already the city registry/);

    const more = file('more.geojson', [
      polygonSite([square(100, 100, 20)], {
        id: 'clinic-1',
        category: 'reproductive_health',
        name: 'Clinic A',
      }),
      entrance('clinic-1', [100, 80]),
      circleSite(-300, 0, 20, { id: 'temple-1', name: 'Temple B' }),
    ]);
    expect(spawnCli(['hub', 'sites', 'import', more, '--config', config]).stdout).toMatch(
      /imported 2 site\(s\)/,
    );

    const listed = spawnCli(['hub', 'sites', 'list', '--config', config, '--public']);
    expect(listed.stdout).toMatch(/clinic-1\s+reproductive_health/);
    expect(listed.stdout).not.toMatch(/Clinic A|Temple B/);
    expect(spawnCli(['hub', 'sites', 'list', '--config', config]).stdout).toMatch(/Temple B/);
    const history = spawnCli(['hub', 'sites', 'history', '--config', config, '--json']);
    expect(history.json<{ versions: Array<{ seq: number; importedBy: string }> }>().versions).toEqual([
      expect.objectContaining({ seq: 2 }),
      expect.objectContaining({ seq: 1, importedBy: 'planner.kim' }),
    ]);
  });
});
