// The planner and registry commands as a user runs them: `alpr sites import|list`, `alpr site check`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { booleanIntersects } from '@turf/boolean-intersects';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AuditKind } from '../../shared/audit/audit-log.js';
import { openStore } from '../../shared/store/store.js';
import { runCli, spawnCli } from '../support/cli.js';
import {
  at,
  circleSite,
  entrance,
  featureCollection,
  ORIGIN,
  polygonSite,
  square,
} from '../support/geofence-factories.js';
import { tempDir } from '../support/temp-dir.js';

const clinic = () =>
  polygonSite([square(0, 60, 10)], { id: 'rh-1', category: 'reproductive_health', name: 'Secret Clinic' });
const chapel = () => circleSite(-200, 0, 15, { id: 'ro-1', name: 'Hidden Chapel' });

/** A working directory with a config pointing the registry and store into it. */
function workspace() {
  const dir = tempDir();
  const config = path.join(dir, 'alpr.json');
  writeFileSync(
    config,
    JSON.stringify({ store: { path: 'alpr.db' }, sites: { registryPath: 'data/sites.geojson' } }),
  );
  const write = (name: string, value: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  };
  const cli = (...args: string[]) => runCli([...args, '-c', config], { cwd: dir });
  return {
    dir,
    config,
    write,
    cli,
    registry: path.join(dir, 'data', 'sites.geojson'),
    db: path.join(dir, 'alpr.db'),
  };
}

const check = (lng: number, lat: number, bearing: number, ...more: string[]) => [
  'site',
  'check',
  '--lng',
  String(lng),
  '--lat',
  String(lat),
  '--bearing',
  String(bearing),
  '--fov',
  '40',
  '--range',
  '40',
  ...more,
];

describe('alpr sites import', () => {
  it('validates, replaces the registry atomically and audits the import without site names', async () => {
    const ws = workspace();
    const file = ws.write('new.geojson', featureCollection([clinic(), chapel(), entrance('rh-1', [0, 45])]));
    const run = spawnCli(['sites', 'import', file, '-c', ws.config], { cwd: ws.dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^imported 2 site\(s\) \(1 reproductive_health, 1 religious_observance\) and 1 entrance\(s\): version [0-9a-f]{12}… \(was none\) → /,
    );
    expect(JSON.parse(readFileSync(ws.registry, 'utf8')).type).toBe('FeatureCollection');
    const store = openStore(ws.db, { retentionDays: 30 });
    const [event] = store.audit.list({ kind: AuditKind.sitesImported });
    expect(JSON.parse(event!.payload)).toMatchObject({
      sites: 2,
      counts: { reproductive_health: 1, religious_observance: 1 },
      entrances: 1,
      previousVersion: null,
    });
    expect(event!.payload).not.toMatch(/Secret|Hidden/);
    store.close();
    expect((await ws.cli('audit', 'verify', '--db', ws.db)).code).toBe(0);
    const again = await ws.cli('sites', 'import', file);
    expect(again.stdout).toContain('already the registry in use (nothing changed)');
  });

  it('stores a registry without names under --strip-names, with the same version', async () => {
    const ws = workspace();
    const file = ws.write('new.geojson', featureCollection([clinic(), chapel()]));
    const stripped = await ws.cli('sites', 'import', file, '--strip-names', '--json');
    expect(stripped.json()).toMatchObject({ changed: true, namesStored: false });
    expect(readFileSync(ws.registry, 'utf8')).not.toMatch(/Secret|Hidden/);
    const withNames = await ws.cli('sites', 'import', file, '--json');
    const version = stripped.json<{ registryVersion: string }>().registryVersion;
    expect(withNames.json()).toMatchObject({
      changed: true,
      namesStored: true,
      registryVersion: version,
      previousVersion: version,
    });
    expect(readFileSync(ws.registry, 'utf8')).toContain('Secret Clinic');
  });

  const badCases: Array<[string, () => unknown, RegExp]> = [
    ['not JSON', () => '{"type": "FeatureCollection", "features": [', /^\(file\): not valid JSON: /m],
    [
      'not a FeatureCollection',
      () => ({ type: 'Feature' }),
      /^type: expected "FeatureCollection", got "Feature"$/m,
    ],
    [
      'out-of-range coordinates',
      () => {
        const site = clinic();
        (site.geometry as { coordinates: number[][][] }).coordinates[0]![1] = [ORIGIN[0], 137.2];
        return featureCollection([chapel(), site]);
      },
      /^features\[1\]\.geometry\.coordinates\[0\]\[1\]: latitude 137\.2 is outside \[-90, 90\]/m,
    ],
    [
      'swapped coordinates',
      () => {
        const [lng, lat] = at(0, 0);
        return featureCollection([
          {
            type: 'Feature',
            properties: { id: 'p', category: 'religious_observance', radiusM: 10 },
            geometry: { type: 'Point', coordinates: [lat, lng] },
          },
        ]);
      },
      /^features\[0\]\.geometry\.coordinates: latitude -121\.8863 is outside \[-90, 90\]; the coordinates look swapped: GeoJSON order is \[longitude, latitude\]$/m,
    ],
    [
      'unclosed ring',
      () => {
        const site = clinic();
        (site.geometry as { coordinates: number[][][] }).coordinates[0]!.pop();
        return featureCollection([site]);
      },
      /^features\[0\]\.geometry\.coordinates\[0\]: ring is not closed/m,
    ],
    [
      'self-intersecting ring',
      () =>
        featureCollection([
          chapel(),
          polygonSite(
            [
              [
                [0, 0],
                [10, 10],
                [10, 0],
                [0, 10],
                [0, 0],
              ],
            ],
            { id: 'bow' },
          ),
        ]),
      /^features\[1\]\.geometry\.coordinates\[0\]: ring intersects itself/m,
    ],
    [
      'unknown category',
      () =>
        featureCollection([polygonSite([square(0, 0, 5)], { id: 'x', properties: { category: 'mosque' } })]),
      /^features\[0\]\.properties\.category: unknown category "mosque" \(expected one of: reproductive_health, religious_observance\)$/m,
    ],
    [
      'duplicate id',
      () => featureCollection([clinic(), chapel(), polygonSite([square(500, 0, 5)], { id: 'rh-1' })]),
      /^features\[2\]\.properties\.id: duplicate id "rh-1" \(already used by features\[0\]\)$/m,
    ],
  ];

  for (const [name, make, message] of badCases) {
    it(`refuses ${name} with its own message and exit 2, leaving the registry in use unchanged`, async () => {
      const ws = workspace();
      expect(
        (await ws.cli('sites', 'import', ws.write('good.geojson', featureCollection([chapel()])))).code,
      ).toBe(0);
      const before = readFileSync(ws.registry);
      const value = make();
      const run = await ws.cli(
        'sites',
        'import',
        ws.write('bad.geojson', typeof value === 'string' ? value : JSON.stringify(value)),
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/^alpr: .*bad\.geojson: \d+ problem\(s\)$/m);
      expect(readFileSync(ws.registry).equals(before)).toBe(true);
      const store = openStore(ws.db, { retentionDays: 30 });
      expect(store.audit.list({ kind: AuditKind.sitesImported })).toHaveLength(1);
      store.close();
    });
  }
});

describe('alpr sites list', () => {
  it('lists sites with names, and without them under --public', async () => {
    const ws = workspace();
    await ws.cli('sites', 'import', ws.write('s.geojson', featureCollection([clinic(), chapel()])));
    const listed = await ws.cli('sites', 'list');
    expect(listed.stdout).toContain('Secret Clinic');
    expect(listed.stdout).toMatch(/^rh-1 +reproductive_health +polygon +0 /m);
    const pub = await ws.cli('sites', 'list', '--public', '--json');
    expect(pub.stdout).not.toMatch(/Secret|Hidden/);
    expect(pub.json()).toMatchObject({
      counts: { reproductive_health: 1, religious_observance: 1 },
      sites: [{ id: 'rh-1' }, { id: 'ro-1' }],
    });
  });

  it('explains a missing registry', async () => {
    const run = await workspace().cli('sites', 'list');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /no site registry at .*sites\.geojson: import one with `alpr sites import FILE`/,
    );
  });
});

describe('alpr site check', () => {
  const [lng, lat] = at(0, 0);

  it('prints the verdict JSON as the last line, exits 1 when not compliant and 0 when compliant', async () => {
    const ws = workspace();
    const sites = ws.write('s.geojson', featureCollection([clinic(), chapel()]));
    const bad = spawnCli([...check(lng, lat, 0, '--sites', sites, '--json'), '-c', ws.config], {
      cwd: ws.dir,
    });
    expect(bad.code).toBe(1);
    const verdict = bad.json<Record<string, unknown>>();
    expect(verdict).toMatchObject({
      compliant: false,
      violations: [
        {
          siteId: 'rh-1',
          category: 'reproductive_health',
          distanceM: 10,
          overlapM2: 0,
          name: 'Secret Clinic',
        },
      ],
      registryVersion: expect.stringMatching(/^[0-9a-f]{64}$/),
      cameraHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const good = await ws.cli(...check(lng, lat, 180, '--sites', sites, '--json'));
    expect(good.code).toBe(0);
    expect(good.json()).toMatchObject({ compliant: true, violations: [], nearestSite: { siteId: 'rh-1' } });
    expect(good.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('keeps every confidential name out of --public output', async () => {
    const ws = workspace();
    const sites = ws.write('s.geojson', featureCollection([clinic(), chapel()]));
    const run = await ws.cli(
      ...check(lng, lat, 0, '--sites', sites, '--public', '--suggest', '--map', path.join(ws.dir, 'map.svg')),
    );
    expect(run.stdout).toContain('NOT COMPLIANT');
    expect(`${run.stdout}${run.stderr}${readFileSync(path.join(ws.dir, 'map.svg'), 'utf8')}`).not.toMatch(
      /Secret|Hidden/,
    );
  });

  it('suggests compliant bearings and the largest compliant range at the bearing', async () => {
    const ws = workspace();
    const sites = ws.write('s.geojson', featureCollection([clinic()]));
    const run = await ws.cli(...check(lng, lat, 0, '--sites', sites, '--suggest', '--json'));
    const { suggestion } = run.json<{
      suggestion: {
        compliantBearings: Array<{ fromDeg: number; toDeg: number }>;
        maxCompliantRangeM: number;
      };
    }>();
    // The clinic starts 50 m north; with a 30 m buffer the view may reach 20 m at bearing 0.
    expect(suggestion.maxCompliantRangeM).toBe(19.9);
    expect(suggestion.compliantBearings).toHaveLength(1);
    expect(suggestion.compliantBearings[0]!.fromDeg).toBeGreaterThan(20);
    expect(suggestion.compliantBearings[0]!.toDeg).toBeLessThan(340);
    const text = await ws.cli(...check(lng, lat, 0, '--sites', sites, '--suggest'));
    expect(text.stdout).toMatch(/compliant bearings with FOV 40° and range 40\.0 m: \d+\.\d°–\d+\.\d°/);
    expect(text.stdout).toContain('at bearing 0°: largest compliant range 19.9 m');
  });

  it('writes the sector, nearby sites, their buffers and the verdict as GeoJSON for GIS tools', async () => {
    const ws = workspace();
    const sites = ws.write('s.geojson', featureCollection([clinic(), entrance('rh-1', [0, 45])]));
    const out = path.join(ws.dir, 'check.geojson');
    type Fc = {
      type: string;
      features: Array<{ properties: Record<string, unknown>; geometry: { type: string } }>;
    };
    const read = () => JSON.parse(readFileSync(out, 'utf8')) as Fc;
    const role = (fc: Fc, r: string) => fc.features.filter((f) => f.properties.role === r);

    const bad = spawnCli(
      [...check(lng, lat, 0, '--sites', sites, '--geojson', out, '--json'), '-c', ws.config],
      {
        cwd: ws.dir,
      },
    );
    expect(bad.code).toBe(1);
    expect(bad.json()).toMatchObject({ compliant: false, geojson: { file: out, sites: 1 } });
    const facing = read();
    expect(facing.type).toBe('FeatureCollection');
    const [sectorFeature] = role(facing, 'sector');
    expect(sectorFeature).toMatchObject({
      properties: { compliant: false, violations: 1 },
      geometry: { type: 'Polygon' },
    });
    const [site] = role(facing, 'site');
    expect(site!.properties).toMatchObject({
      id: 'rh-1',
      name: 'Secret Clinic',
      bufferM: 30,
      violation: { distanceM: 5, nearest: 'entrance' },
    });
    const [buffered] = role(facing, 'buffer');
    expect(buffered!.properties).toMatchObject({ siteId: 'rh-1', bufferM: 30 });
    expect(role(facing, 'entrance')).toHaveLength(1);
    expect(role(facing, 'entrance-buffer')).toHaveLength(1);
    // The drawn shapes agree with the exact verdict: the sector reaches the clinic's buffer.
    expect(booleanIntersects(sectorFeature as never, buffered as never)).toBe(true);

    const good = await ws.cli(...check(lng, lat, 90, '--sites', sites, '--geojson', out, '--public'));
    expect(good.code).toBe(0);
    const away = read();
    expect(role(away, 'sector')[0]!.properties).toMatchObject({ compliant: true, violations: 0 });
    expect(booleanIntersects(role(away, 'sector')[0] as never, role(away, 'buffer')[0] as never)).toBe(false);
    expect(role(away, 'site')[0]!.properties).toMatchObject({ id: 'rh-1', violation: null });
    expect(readFileSync(out, 'utf8')).not.toMatch(/Secret/);
  });

  it('draws a to-scale PNG map', async () => {
    const ws = workspace();
    const sites = ws.write('s.geojson', featureCollection([clinic(), chapel(), entrance('rh-1', [0, 45])]));
    const out = path.join(ws.dir, 'site.png');
    const run = await ws.cli(...check(lng, lat, 10, '--sites', sites, '--map', out, '--json'));
    expect(run.json()).toMatchObject({ map: { file: out, format: 'png', sitesDrawn: 1 } });
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1200, 900]);
    const stats = await sharp(out).stats();
    expect(stats.channels[0]!.stdev).toBeGreaterThan(10); // not a blank image
  });

  it('checks a batch of proposed cameras from CSV (table) and GeoJSON (JSON lines)', async () => {
    const ws = workspace();
    const sites = ws.write('s.geojson', featureCollection([clinic(), chapel()]));
    const [l2, b2] = at(0, -500);
    const csv = ws.write(
      'cams.csv',
      `id,lng,lat,bearing,fov,range\nnorth,${lng},${lat},0,40,40\nsouth,${l2},${b2},180,40,40\n`,
    );
    const table = await ws.cli('site', 'check', '--batch', csv, '--sites', sites);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/^north +NOT COMPLIANT +40\.0 m +rh-1 /m);
    expect(table.stdout).toMatch(/^south +compliant +40\.0 m +- /m);
    expect(table.stdout).toContain('2 camera(s): 1 compliant, 1 not compliant');
    const geo = ws.write(
      'cams.geojson',
      featureCollection([
        {
          type: 'Feature',
          properties: { id: 'south', bearingDeg: 180, fovDeg: 40, rangeM: 40 },
          geometry: { type: 'Point', coordinates: [l2, b2] },
        },
      ]),
    );
    const lines = await ws.cli('site', 'check', '--batch', geo, '--sites', sites, '--json');
    expect(lines.code).toBe(0);
    expect(lines.json()).toMatchObject({ id: 'south', compliant: true });
  });

  it('names bad batch rows and bad options with exit 2', async () => {
    const ws = workspace();
    const sites = ws.write('s.geojson', featureCollection([chapel()]));
    const csv = ws.write('cams.csv', 'id,lng,lat,bearing\na,-121.88,95,10\nb,-121.88,37.3,east\n');
    const run = await ws.cli('site', 'check', '--batch', csv, '--sites', sites);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('line 2: lat must be a number from -90 to 90, got "95"');
    expect(run.stderr).toContain('line 3: bearing must be a number from -360 to 720, got "east"');
    const opt = await ws.cli(...check(lng, 123, 0, '--sites', sites));
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain('--lat: expected a number from -90 to 90, got "123"');
    expect(existsSync(ws.registry)).toBe(false);
  });
});
