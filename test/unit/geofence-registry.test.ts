import { describe, expect, it } from 'vitest';
import {
  parseSiteRegistry,
  registryToGeoJson,
  validateSiteRegistry,
} from '../../shared/geofence/site-registry.js';
import {
  at,
  circleSite,
  entrance,
  featureCollection,
  multiPolygonSite,
  polygonSite,
  registryOf,
  square,
} from '../support/geofence-factories.js';

/** The problems of an invalid collection as `path: message` lines. */
function problemsOf(features: unknown[]): string[] {
  const result = validateSiteRegistry(featureCollection(features));
  if (result.ok) throw new Error('expected the registry to be invalid');
  return result.problems.map((p) => `${p.path}: ${p.message}`);
}

const church = () => polygonSite([square(0, 0, 20)], { id: 'ro-1', name: 'St Example' });
const clinic = () =>
  circleSite(300, 0, 25, { id: 'rh-1', category: 'reproductive_health', name: 'Example Clinic' });

describe('site registry: validation', () => {
  it('accepts polygons, multipolygons, circles and entrances, counting each category', () => {
    const registry = registryOf([
      church(),
      clinic(),
      multiPolygonSite([[square(600, 0, 10)], [square(650, 0, 10)]], { id: 'ro-2' }),
      entrance('rh-1', [300, 30]),
      entrance('ro-1', [
        [0, 20],
        [0, 40],
      ]),
    ]);
    expect(registry.sites.map((s) => s.id)).toEqual(['rh-1', 'ro-1', 'ro-2']);
    expect(registry.counts).toEqual({ reproductive_health: 1, religious_observance: 2 });
    expect(registry.entranceCount).toBe(2);
    expect(registry.version).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names out-of-range coordinates and suggests a swap when latitude holds a longitude', () => {
    const bad = polygonSite([square(0, 0, 10)], { id: 'x' });
    (bad.geometry as { coordinates: number[][][] }).coordinates[0]![2] = [37.34, -121.88];
    expect(problemsOf([church(), bad])).toEqual([
      'features[1].geometry.coordinates[0][2]: latitude -121.88 is outside [-90, 90]; the coordinates look swapped: GeoJSON order is [longitude, latitude]',
    ]);
    const far = polygonSite([square(0, 0, 10)], { id: 'y' });
    (far.geometry as { coordinates: number[][][] }).coordinates[0]![1] = [200, 10];
    expect(problemsOf([far])[0]).toBe(
      'features[0].geometry.coordinates[0][1]: longitude 200 is outside [-180, 180] (GeoJSON order is [longitude, latitude], decimal degrees)',
    );
  });

  it('names a site whose coordinates are swapped but still in range, by where the other sites are', () => {
    // Berlin, where both numbers of a swapped position are still valid coordinates.
    const site = (id: string, coordinates: number[]) => ({
      type: 'Feature',
      properties: { id, category: 'religious_observance', radiusM: 20 },
      geometry: { type: 'Point', coordinates },
    });
    const problems = problemsOf([
      site('a', [13.401, 52.52]),
      site('b', [13.405, 52.518]),
      site('c', [13.39, 52.51]),
      site('swapped', [52.515, 13.398]),
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^features\[3\]\.geometry\.coordinates: coordinates look swapped: the site lies \d+ km from the other sites/,
    );
  });

  it('refuses an unclosed ring', () => {
    const open = polygonSite([square(0, 0, 10)], { id: 'open' });
    (open.geometry as { coordinates: number[][][] }).coordinates[0]!.pop();
    expect(problemsOf([open])[0]).toMatch(
      /^features\[0\]\.geometry\.coordinates\[0\]: ring is not closed: the first position \[.+\] differs from the last \[.+\] \(repeat the first position at the end\)$/,
    );
  });

  it('refuses a self-intersecting (bow-tie) ring and names the crossing edges', () => {
    const bowTie = polygonSite([
      [
        [0, 0],
        [10, 10],
        [10, 0],
        [0, 10],
        [0, 0],
      ],
    ]);
    expect(problemsOf([bowTie])[0]).toMatch(
      /^features\[0\]\.geometry\.coordinates\[0\]: ring intersects itself: edge \[.+\]→\[.+\] meets edge \[.+\]→\[.+\]$/,
    );
    const spike = polygonSite([
      [
        [0, 0],
        [10, 0],
        [10, 10],
        [10, 5],
        [0, 10],
        [0, 0],
      ],
    ]);
    expect(problemsOf([spike])[0]).toContain('ring intersects itself');
  });

  it('refuses rings with too few positions and holes outside their polygon', () => {
    const tiny = polygonSite([square(0, 0, 10)]);
    (tiny.geometry as { coordinates: unknown[][] }).coordinates[0] = [at(0, 0), at(1, 0), at(0, 0)];
    expect(problemsOf([tiny])[0]).toContain('a ring needs at least 4 positions');
    const holeOutside = polygonSite([square(0, 0, 10), square(100, 0, 5)]);
    expect(problemsOf([holeOutside])).toEqual([
      'features[0].geometry.coordinates[1]: hole lies outside the outer ring (a hole must be inside its polygon)',
    ]);
  });

  it('refuses an unknown category, naming the allowed ones', () => {
    const temple = polygonSite([square(0, 0, 10)], { properties: { category: 'church' } });
    expect(problemsOf([temple])).toEqual([
      'features[0].properties.category: unknown category "church" (expected one of: reproductive_health, religious_observance)',
    ]);
  });

  it('refuses a duplicate id, naming the first use', () => {
    expect(problemsOf([church(), clinic(), polygonSite([square(50, 50, 5)], { id: 'ro-1' })])).toEqual([
      'features[2].properties.id: duplicate id "ro-1" (already used by features[0])',
    ]);
  });

  it('refuses a Point without radius, other geometry types, and entrances without a site', () => {
    const point = circleSite(0, 0, 10, { id: 'p' });
    delete (point.properties as Record<string, unknown>).radiusM;
    const line = {
      type: 'Feature',
      properties: { id: 'l', category: 'religious_observance' },
      geometry: { type: 'LineString', coordinates: [at(0, 0), at(1, 1)] },
    };
    const orphan = entrance('nowhere', [0, 0]);
    const problems = problemsOf([point, line, church(), orphan]);
    expect(problems).toEqual([
      'features[0].properties.radiusM: a Point site needs radiusM, the parcel radius in metres (0 < radiusM <= 5000)',
      'features[1].geometry.type: unsupported site geometry "LineString" (use Polygon, MultiPolygon, or Point with radiusM; entrances need "role": "entrance")',
      'features[3].properties.siteId: no site with id "nowhere" in this file',
    ]);
  });

  it('refuses an entrance far from its site and a parcel too large to be real', () => {
    expect(problemsOf([church(), entrance('ro-1', [5000, 0])])[0]).toMatch(
      /^features\[1\]\.geometry: entrance lies 4980 m from the parcel of site "ro-1"/,
    );
    expect(problemsOf([polygonSite([square(0, 0, 15_000)])])[0]).toMatch(
      /^features\[0\]\.geometry: the parcel spans 30\.0 km/,
    );
  });

  it('reports every problem of a file, not only the first', () => {
    const noCategory = polygonSite([square(0, 0, 10)], { id: 'a', properties: { category: undefined } });
    const notFeature = { type: 'Polygon', coordinates: [] };
    expect(problemsOf([noCategory, notFeature, church(), church()]).map((p) => p.split(':')[0])).toEqual([
      'features[0].properties.category',
      'features[1]',
      'features[3].properties.id',
    ]);
  });

  it('explains a file that is not JSON or not a FeatureCollection', () => {
    const notJson = parseSiteRegistry('{"type": "FeatureCollection", features: [}');
    expect(notJson.ok ? [] : notJson.problems[0]!.message).toMatch(/^not valid JSON: /);
    const feature = validateSiteRegistry({ type: 'Feature' });
    expect(feature.ok ? [] : feature.problems).toEqual([
      { path: 'type', message: 'expected "FeatureCollection", got "Feature"' },
    ]);
  });
});

describe('site registry: normalised version', () => {
  const base = () => [church(), clinic(), entrance('rh-1', [300, 30])];

  it('does not depend on feature order, ring start, winding, Polygon-vs-MultiPolygon or extra properties', () => {
    const version = registryOf(base()).version;
    const reordered = base().reverse();
    expect(registryOf(reordered).version).toBe(version);
    const [c, ...rest] = base();
    const ring = (c!.geometry as { coordinates: number[][][] }).coordinates[0]!;
    const rotated = [...ring.slice(2, -1), ...ring.slice(0, 2), ring[2]!];
    const variants = [
      { ...c, geometry: { type: 'Polygon', coordinates: [rotated] } },
      { ...c, geometry: { type: 'Polygon', coordinates: [ring.slice().reverse()] } },
      { ...c, geometry: { type: 'MultiPolygon', coordinates: [[ring]] } },
      { ...c, properties: { ...(c!.properties as object), colour: 'blue' } },
    ];
    for (const v of variants) expect(registryOf([v, ...rest]).version).toBe(version);
  });

  it('changes when a corner moves, a category changes or an entrance is added', () => {
    const version = registryOf(base()).version;
    expect(
      registryOf([polygonSite([square(0, 0, 20.01)], { id: 'ro-1', name: 'St Example' }), ...base().slice(1)])
        .version,
    ).not.toBe(version);
    expect(
      registryOf([
        polygonSite([square(0, 0, 20)], { id: 'ro-1', name: 'St Example', category: 'reproductive_health' }),
        ...base().slice(1),
      ]).version,
    ).not.toBe(version);
    expect(registryOf([...base(), entrance('ro-1', [0, 25])]).version).not.toBe(version);
  });

  it('leaves names out of the version, so a copy without names has the same version', () => {
    const version = registryOf(base()).version;
    const renamed = [
      polygonSite([square(0, 0, 20)], { id: 'ro-1', name: 'Another Name' }),
      ...base().slice(1),
    ];
    expect(registryOf(renamed).version).toBe(version);
    const stripped = validateSiteRegistry(registryToGeoJson(registryOf(base()), { names: false }));
    expect(stripped.ok && stripped.registry.sites.map((s) => s.name)).toEqual([undefined, undefined]);
    expect(stripped.ok && stripped.registry.version).toBe(version);
  });

  it('writes GeoJSON that reads back to the same version', () => {
    const registry = registryOf([
      ...base(),
      multiPolygonSite([[square(600, 0, 30), square(600, 0, 10)], [square(700, 0, 5)]], { id: 'ro-2' }),
    ]);
    const again = validateSiteRegistry(JSON.parse(JSON.stringify(registryToGeoJson(registry))));
    expect(again.ok && again.registry.version).toBe(registry.version);
  });
});
