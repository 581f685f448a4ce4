// Plausibility of sites against cameras, and the service area, as specifications.
import { describe, expect, it } from 'vitest';
import { inServiceArea, serviceAreaSchema } from '../../shared/config/node.schema.js';
import type { LngLat } from '../../shared/geofence/local-frame.js';
import { checkPlacement } from '../../shared/geofence/placement-check.js';

const ny = (x: number, y: number): LngLat => [-74.006 + x / 84_400, 40.7128 + y / 111_000];
const sites = (points: LngLat[]) => points.map((at, i) => ({ id: `s${i}`, at }));
const cameras = [
  { id: 'cam-1', at: ny(0, 0) },
  { id: 'cam-2', at: ny(2000, 1000) },
];
const MAX = 200_000;

describe('checkPlacement', () => {
  it('accepts sites and cameras of one city', () => {
    expect(
      checkPlacement({ sites: sites([ny(500, 500), ny(-3000, 200)]), cameras, maxDistanceM: MAX }),
    ).toEqual([]);
  });

  it('flags a registry whose every pair reads as [lat, lng] (one problem for the file, not one per site)', () => {
    const swapped = sites([ny(500, 500), ny(-3000, 200), ny(100, -800)].map(([a, b]) => [b, a] as LngLat));
    const problems = checkPlacement({ sites: swapped, cameras, maxDistanceM: MAX });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      path: '',
      message: expect.stringMatching(/^the registry's coordinates look swapped/),
    });
  });

  it('names a site far from every camera and a camera far from every site', () => {
    const problems = checkPlacement({
      sites: [
        { id: 'near', at: ny(0, 100) },
        { id: 'far', at: ny(0, 250_000), path: 'features[1]' },
      ],
      cameras: [...cameras, { id: 'cam-lost', at: ny(0, -400_000) }],
      maxDistanceM: MAX,
    });
    expect(problems.map((p) => p.path)).toEqual(['features[1]', 'camera "cam-lost"']);
    expect(problems[1]).toMatchObject({ cameraId: 'cam-lost' });
  });

  it('checks nothing when either side is empty or the check is off', () => {
    expect(checkPlacement({ sites: [], cameras, maxDistanceM: MAX })).toEqual([]);
    expect(checkPlacement({ sites: sites([ny(0, 900_000)]), cameras: [], maxDistanceM: MAX })).toEqual([]);
    expect(checkPlacement({ sites: sites([ny(0, 900_000)]), cameras, maxDistanceM: 0 })).toEqual([]);
  });
});

describe('node.serviceArea', () => {
  it('is a bounding box or a simple polygon, one of them', () => {
    expect(serviceAreaSchema.safeParse({ bbox: [-74.3, 40.5, -73.7, 40.9] }).success).toBe(true);
    expect(serviceAreaSchema.safeParse({ bbox: [-73.7, 40.5, -74.3, 40.9] }).success).toBe(false);
    expect(serviceAreaSchema.safeParse({}).success).toBe(false);
    expect(
      serviceAreaSchema.safeParse({
        bbox: [0, 0, 1, 1],
        polygon: [
          [0, 0],
          [1, 0],
          [1, 1],
        ],
      }).success,
    ).toBe(false);
    expect(
      serviceAreaSchema.safeParse({
        polygon: [
          [0, 0],
          [2, 2],
          [2, 0],
          [0, 2],
        ],
      }).success,
    ).toBe(false); // a bow tie
  });

  it('contains its boundary and interior only', () => {
    const box = { bbox: [-74.3, 40.5, -73.7, 40.9] as [number, number, number, number] };
    expect(inServiceArea(box, -74.0, 40.7)).toBe(true);
    expect(inServiceArea(box, -74.3, 40.5)).toBe(true);
    expect(inServiceArea(box, 40.7, -74.0)).toBe(false);
    const triangle = {
      polygon: [
        [0, 0],
        [4, 0],
        [0, 4],
      ] as Array<[number, number]>,
    };
    expect(inServiceArea(triangle, 1, 1)).toBe(true);
    expect(inServiceArea(triangle, 2, 2)).toBe(true); // on the hypotenuse
    expect(inServiceArea(triangle, 3, 3)).toBe(false);
  });
});
