import { describe, expect, it } from 'vitest';
import { type SearchCamera, screenSensitiveSearch } from '../../../shared/access/sensitive-search.js';
import { areaMeetsSite, sectorReachesArea } from '../../../shared/geofence/search-area.js';
import {
  at,
  circleSite,
  DEFAULT_BUFFERS,
  entrance,
  makeCamera,
  polygonSite,
  preparedOf,
  rect,
  square,
} from '../../support/geofence-factories.js';

// A church 200 m north of the origin, a clinic (circle) 400 m east; cameras around them.
const registry = preparedOf([
  polygonSite([square(0, 200, 20)], { id: 'ro-1', category: 'religious_observance' }),
  circleSite(400, 0, 15, { id: 'rh-1', category: 'reproductive_health' }),
  entrance('ro-1', [0, 178]),
]);
const camera = (id: string, x: number, y: number, bearingDeg = 0): SearchCamera => ({
  id,
  geometry: makeCamera({ x, y, bearingDeg, fovDeg: 40, rangeM: 50 }),
});
const cameras = [
  camera('near-church', 0, 90), // looks north: its sector ends at y=140, 38 m short of the entrance at y=178
  camera('downtown', -600, -600),
  camera('near-clinic', 330, 0, 90), // looks east toward the clinic
];
const QUERY_BUFFERS = { reproductive_health: 100, religious_observance: 100 };
const areaRing = (minX: number, minY: number, maxX: number, maxY: number) => [
  rect(minX, minY, maxX, maxY).map(([x, y]) => at(x, y)),
];

describe('screenSensitiveSearch (Q-06)', () => {
  it('allows a search on cameras far from every site', () => {
    expect(
      screenSensitiveSearch({
        cameraIds: ['downtown'],
        area: null,
        cameras,
        registry,
        buffersM: QUERY_BUFFERS,
      }),
    ).toEqual({
      decision: 'allow',
      cameraIds: ['downtown'],
      registryVersion: registry.registry.version,
    });
  });

  it('needs command approval for a camera whose sector comes within the query buffer of a site', () => {
    const result = screenSensitiveSearch({
      cameraIds: ['near-church', 'downtown'],
      area: null,
      cameras,
      registry,
      buffersM: QUERY_BUFFERS,
    });
    expect(result).toMatchObject({
      decision: 'needs_command_approval',
      cameraIds: ['near-church', 'downtown'],
      sites: [{ siteId: 'ro-1', category: 'religious_observance', via: 'camera', cameraId: 'near-church' }],
    });
  });

  it('uses the buffers it is given: the same camera passes with the installation buffer of 30 m', () => {
    expect(
      screenSensitiveSearch({
        cameraIds: ['near-church'],
        area: null,
        cameras,
        registry,
        buffersM: DEFAULT_BUFFERS,
      }).decision,
    ).toBe('allow');
  });

  it('screens every camera in scope when the search names none', () => {
    const result = screenSensitiveSearch({
      cameraIds: null,
      area: null,
      cameras,
      registry,
      buffersM: QUERY_BUFFERS,
    });
    expect(result).toMatchObject({
      decision: 'needs_command_approval',
      cameraIds: ['near-church', 'downtown', 'near-clinic'],
    });
    if (result.decision === 'needs_command_approval')
      expect(result.sites.map((s) => s.siteId).sort()).toEqual(['rh-1', 'ro-1']);
  });

  it('limits an area search to cameras whose sectors reach the area, and flags an area over a site', () => {
    const southwest = areaRing(-700, -700, -500, -500);
    expect(
      screenSensitiveSearch({ cameraIds: null, area: southwest, cameras, registry, buffersM: QUERY_BUFFERS }),
    ).toEqual({
      decision: 'allow',
      cameraIds: ['downtown'],
      registryVersion: registry.registry.version,
    });
    const overClinic = areaRing(370, -50, 500, 50);
    const result = screenSensitiveSearch({
      cameraIds: null,
      area: overClinic,
      cameras,
      registry,
      buffersM: DEFAULT_BUFFERS,
    });
    expect(result).toMatchObject({ decision: 'needs_command_approval', cameraIds: ['near-clinic'] });
    if (result.decision === 'needs_command_approval') {
      expect(result.sites).toContainEqual({ siteId: 'rh-1', category: 'reproductive_health', via: 'area' });
    }
  });

  it('fails closed: no registry, or a camera it cannot place, refuses the search', () => {
    expect(
      screenSensitiveSearch({
        cameraIds: ['downtown'],
        area: null,
        cameras,
        registry: null,
        buffersM: QUERY_BUFFERS,
      }),
    ).toMatchObject({
      decision: 'refuse',
      reason: 'registry_unavailable',
    });
    expect(
      screenSensitiveSearch({ cameraIds: ['ghost'], area: null, cameras, registry, buffersM: QUERY_BUFFERS }),
    ).toMatchObject({
      decision: 'refuse',
      reason: 'unknown_camera',
    });
  });
});

describe('search-area geometry (reused geofence measures)', () => {
  const site = (features: unknown[]) => preparedOf(features).registry.sites[0]!;

  it('sees a sector reaching into an area, touching included', () => {
    const cam = makeCamera({ x: 0, y: 0, bearingDeg: 0, fovDeg: 40, rangeM: 50 });
    expect(sectorReachesArea(cam, areaRing(-10, 40, 10, 60))).toBe(true);
    expect(sectorReachesArea(cam, areaRing(-10, 60, 10, 80))).toBe(false);
    expect(sectorReachesArea(cam, areaRing(-5, -5, 5, 5))).toBe(true); // the camera stands in the area
  });

  it('meets a polygon parcel by overlap, containment either way, or crossing edges', () => {
    const parcel = site([polygonSite([rect(0, 0, 100, 20)], { id: 'p' })]);
    expect(areaMeetsSite(areaRing(50, 10, 150, 30), parcel)).toBe(true); // corner overlap
    expect(areaMeetsSite(areaRing(10, 5, 20, 15), parcel)).toBe(true); // area inside parcel
    expect(areaMeetsSite(areaRing(-10, -10, 110, 30), parcel)).toBe(true); // parcel inside area
    expect(areaMeetsSite(areaRing(40, -30, 60, 50), parcel)).toBe(true); // a cross: no vertex inside the other
    expect(areaMeetsSite(areaRing(0, 30, 100, 40), parcel)).toBe(false);
  });

  it('meets a circle parcel by distance from its centre, and an entrance outside the parcel', () => {
    const circle = site([circleSite(0, 0, 20, { id: 'c' })]);
    expect(areaMeetsSite(areaRing(15, -5, 40, 5), circle)).toBe(true);
    expect(areaMeetsSite(areaRing(25, -5, 40, 5), circle)).toBe(false);
    const withDriveway = site([
      polygonSite([rect(0, 0, 10, 10)], { id: 'd' }),
      entrance('d', [
        [5, 0],
        [5, -40],
      ]),
    ]);
    expect(areaMeetsSite(areaRing(-10, -30, 20, -20), withDriveway)).toBe(true);
  });
});
