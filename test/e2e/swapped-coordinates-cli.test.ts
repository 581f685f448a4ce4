// Swapped coordinates as a planner or installer meets them (issue 10, item 9): a New York registry with
// every pair written [lat, lng] is valid GeoJSON, and would make every camera look compliant; `alpr
// sites import`, `alpr config check` and `alpr edge` refuse it (exit 2) naming what to fix, as they
// refuse a site hundreds of kilometres from every camera and a camera outside node.serviceArea.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { makeCameraConfig } from '../support/factories.js';
import { tempDir } from '../support/temp-dir.js';

/** [lng, lat] x metres east and y metres north of lower Manhattan. */
const ny = (x: number, y: number): [number, number] => [-74.006 + x / 84_400, 40.7128 + y / 111_000];
const swap = ([a, b]: [number, number]): [number, number] => [b, a];

function site(id: string, x: number, y: number, swapped = false) {
  const p = (dx: number, dy: number) => (swapped ? swap(ny(x + dx, y + dy)) : ny(x + dx, y + dy));
  return {
    type: 'Feature',
    properties: { id, category: 'religious_observance' },
    geometry: { type: 'Polygon', coordinates: [[p(0, 0), p(20, 0), p(20, 20), p(0, 20), p(0, 0)]] },
  };
}
const registry = (swapped: boolean) => ({
  type: 'FeatureCollection',
  features: [
    site('ny-1', 400, 300, swapped),
    site('ny-2', -900, 500, swapped),
    site('ny-3', 250, -700, swapped),
  ],
});

function workspace(options: { serviceArea?: unknown; cameraAt?: { lng: number; lat: number } } = {}) {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'data'));
  const [lng, lat] = ny(0, 0);
  const config = path.join(dir, 'alpr.json');
  writeFileSync(
    config,
    JSON.stringify({
      node: { id: 'edge-ny', ...(options.serviceArea ? { serviceArea: options.serviceArea } : {}) },
      store: { path: 'alpr.db' },
      sites: { registryPath: 'data/sites.geojson' },
      cameras: [
        makeCameraConfig({ id: 'cam-ny', position: options.cameraAt ?? { lng, lat }, bearingDeg: 90 }),
      ],
    }),
  );
  const write = (name: string, value: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };
  return { dir, config, write, registryPath: path.join(dir, 'data', 'sites.geojson') };
}

describe('swapped coordinates', () => {
  it('`alpr sites import` refuses a registry whose swapped reading sits among the cameras, and imports the right one', async () => {
    const ws = workspace();
    const bad = await runCli(
      ['sites', 'import', ws.write('swapped.geojson', registry(true)), '-c', ws.config],
      { cwd: ws.dir },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/implausibly far apart/);
    expect(bad.stderr).toMatch(
      /\(file\): the registry's coordinates look swapped: as given its sites lie a median \d+ km from this node's cameras, read as \[latitude, longitude\] a median 1 km/,
    );
    expect(existsSync(ws.registryPath)).toBe(false);

    const good = await runCli(
      ['sites', 'import', ws.write('good.geojson', registry(false)), '-c', ws.config],
      { cwd: ws.dir },
    );
    expect(good.code).toBe(0);
    expect(existsSync(ws.registryPath)).toBe(true);
  });

  it('`alpr sites import` names a site hundreds of kilometres from every camera', async () => {
    const ws = workspace();
    const far = registry(false);
    far.features.push(site('far-away', 0, 300_000)); // 300 km north, in the Adirondacks
    const run = await runCli(['sites', 'import', ws.write('far.geojson', far), '-c', ws.config], {
      cwd: ws.dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /features\[3\]: site "far-away" lies 30\d km from the nearest camera of this node \(more than 200 km, sites.maxSiteCameraDistanceKm\)/,
    );
  });

  it('`alpr config check` and `alpr edge` refuse a swapped registry already in place, before any camera opens', async () => {
    const ws = workspace();
    writeFileSync(ws.registryPath, JSON.stringify(registry(true)));
    const check = await runCli(['config', 'check', ws.config], { cwd: ws.dir });
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(/coordinates look swapped/);
    const edge = await runCli(['edge', '-c', ws.config, '--http-port', '0'], { cwd: ws.dir });
    expect(edge.code).toBe(2);
    expect(edge.stderr).toMatch(/coordinates look swapped/);
    expect(existsSync(path.join(ws.dir, 'alpr.db'))).toBe(false); // stopped before the store opened

    writeFileSync(ws.registryPath, JSON.stringify(registry(false)));
    const fixed = await runCli(['config', 'check', ws.config], { cwd: ws.dir });
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/cameras plausible against 3 site\(s\)/);
  });

  it('`alpr config check` refuses a camera outside node.serviceArea, and says when swapping its numbers would put it inside', async () => {
    const [lng, lat] = ny(0, 0);
    const area = { bbox: [-74.3, 40.5, -73.7, 40.9] };
    const swapped = workspace({ serviceArea: area, cameraAt: { lng: lat, lat: lng } });
    const run = await runCli(['config', 'check', swapped.config], { cwd: swapped.dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(
      /^cameras\[0\]\.position: camera "cam-ny" at lng 40\.7128, lat -74\.006 lies outside node\.serviceArea \(bbox \[-74\.3, 40\.5, -73\.7, 40\.9\]\); with latitude and longitude swapped it lies inside: check their order$/m,
    );
    const inside = workspace({ serviceArea: area });
    expect((await runCli(['config', 'check', inside.config], { cwd: inside.dir })).code).toBe(0);
    const polygon = workspace({
      serviceArea: {
        polygon: [
          [-74.3, 40.5],
          [-73.7, 40.5],
          [-73.7, 40.9],
          [-74.3, 40.9],
        ],
      },
    });
    expect((await runCli(['config', 'check', polygon.config], { cwd: polygon.dir })).code).toBe(0);
  });
});
