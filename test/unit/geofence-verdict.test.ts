import { describe, expect, it } from 'vitest';
import { evaluateCamera } from '../../shared/geofence/verdict.js';
import {
  circleSite,
  DEFAULT_BUFFERS,
  entrance,
  makeCamera,
  multiPolygonSite,
  polygonSite,
  preparedOf,
  rect,
  square,
  ZERO_BUFFERS,
} from '../support/geofence-factories.js';

const polar = (bearing: number, r: number): [number, number] => {
  const a = (bearing * Math.PI) / 180;
  return [r * Math.sin(a), r * Math.cos(a)];
};

describe('evaluateCamera: geometry cases', () => {
  it('sees across north: bearing 350° with 40° FOV covers a site at 5° and misses one at 20°', () => {
    const camera = makeCamera({ bearingDeg: 350, fovDeg: 40, rangeM: 50 });
    const east = preparedOf([circleSite(...polar(5, 40), 2, { id: 'east-of-north' })]);
    expect(evaluateCamera(camera, east, ZERO_BUFFERS)).toMatchObject({
      compliant: false,
      violations: [{ siteId: 'east-of-north', distanceM: 0, nearest: 'parcel' }],
    });
    // 10° past the right edge (at 10°), 40 m out: sin(10°) * 40 - 2 = 4.95 m from the edge.
    const beyond = preparedOf([circleSite(...polar(20, 40), 2, { id: 'beyond-edge' })]);
    expect(evaluateCamera(camera, beyond, ZERO_BUFFERS).compliant).toBe(true);
    const v = evaluateCamera(camera, beyond, { ...ZERO_BUFFERS, religious_observance: 5 });
    expect(v.violations[0]!.distanceM).toBeCloseTo(40 * Math.sin((10 * Math.PI) / 180) - 2, 2);
  });

  it('with 360° FOV sees a site behind the camera, and measures one beyond range', () => {
    const camera = makeCamera({ bearingDeg: 90, fovDeg: 360, rangeM: 50 });
    const behind = preparedOf([polygonSite([square(0, -40, 3)], { id: 'behind' })]);
    expect(evaluateCamera(camera, behind, ZERO_BUFFERS).violations[0]).toMatchObject({
      siteId: 'behind',
      distanceM: 0,
    });
    expect(evaluateCamera(camera, behind, ZERO_BUFFERS).violations[0]!.overlapM2).toBeCloseTo(36, 1);
    const far = preparedOf([polygonSite([square(0, -63, 3)], { id: 'south' })]);
    expect(evaluateCamera(camera, far, ZERO_BUFFERS).compliant).toBe(true);
    const v = evaluateCamera(camera, far, { ...ZERO_BUFFERS, religious_observance: 10 });
    expect(v.violations).toEqual([
      expect.objectContaining({ siteId: 'south', distanceM: 10, overlapM2: 0, bufferM: 10 }),
    ]);
  });

  it('flags a camera mounted inside a parcel, whatever way it looks, with the whole sector as overlap', () => {
    const prepared = preparedOf([
      polygonSite([square(0, 0, 100)], { id: 'campus', category: 'reproductive_health' }),
    ]);
    for (const bearingDeg of [0, 135, 270]) {
      const v = evaluateCamera(makeCamera({ bearingDeg, fovDeg: 10, rangeM: 5 }), prepared, ZERO_BUFFERS);
      expect(v.compliant).toBe(false);
      expect(v.violations[0]).toMatchObject({
        siteId: 'campus',
        distanceM: 0,
        category: 'reproductive_health',
      });
      expect(v.violations[0]!.overlapM2).toBeCloseTo((Math.PI * 25 * 10) / 360, 1);
    }
  });

  it('counts a boundary that just touches the arc or a straight edge (distance 0, no area)', () => {
    const camera = makeCamera({ bearingDeg: 0, fovDeg: 40, rangeM: 50 });
    const onArc = preparedOf([polygonSite([rect(-10, 50, 10, 70)], { id: 'touch-arc' })]);
    expect(evaluateCamera(camera, onArc, ZERO_BUFFERS).violations).toEqual([
      expect.objectContaining({ siteId: 'touch-arc', distanceM: 0, overlapM2: 0 }),
    ]);
    const [ex, ey] = polar(20, 30); // a corner placed exactly on the right edge
    const onEdge = preparedOf([
      polygonSite(
        [
          [
            [ex, ey],
            [ex + 10, ey],
            [ex + 10, ey + 10],
            [ex, ey],
          ],
        ],
        { id: 'touch-edge' },
      ),
    ]);
    expect(evaluateCamera(camera, onEdge, ZERO_BUFFERS).compliant).toBe(false);
    const gap = preparedOf([polygonSite([rect(-10, 50.01, 10, 70)], { id: 'gap' })]);
    expect(evaluateCamera(camera, gap, ZERO_BUFFERS).compliant).toBe(true);
  });

  it('is non-compliant when the buffer is just reached and compliant when it is just missed', () => {
    const camera = makeCamera({ bearingDeg: 0, fovDeg: 40, rangeM: 50 });
    const reached = preparedOf([polygonSite([rect(-10, 80, 10, 100)], { id: 'at-30m' })]);
    expect(evaluateCamera(camera, reached, DEFAULT_BUFFERS)).toMatchObject({
      compliant: false,
      violations: [{ siteId: 'at-30m', distanceM: 30, overlapM2: 0, bufferM: 30 }],
    });
    const missed = preparedOf([polygonSite([rect(-10, 80.01, 10, 100)], { id: 'at-30.01m' })]);
    expect(evaluateCamera(camera, missed, DEFAULT_BUFFERS).compliant).toBe(true);
    // The same for an entrance point.
    const door = (y: number) =>
      preparedOf([
        polygonSite([rect(-10, 200, 10, 220)], { id: 'far-parcel' }),
        entrance('far-parcel', [0, y]),
      ]);
    expect(evaluateCamera(camera, door(80), DEFAULT_BUFFERS).compliant).toBe(false);
    expect(evaluateCamera(camera, door(80.01), DEFAULT_BUFFERS).compliant).toBe(true);
  });

  it('applies each category its own buffer', () => {
    const camera = makeCamera({ bearingDeg: 0, fovDeg: 40, rangeM: 50 });
    const prepared = preparedOf([
      polygonSite([rect(-10, 90, 10, 100)], { id: 'rh', category: 'reproductive_health' }),
      polygonSite([rect(-10, 90, 10, 100)], { id: 'ro', category: 'religious_observance' }),
    ]);
    const v = evaluateCamera(camera, prepared, { reproductive_health: 50, religious_observance: 30 });
    expect(v.violations.map((x) => x.siteId)).toEqual(['rh']);
  });

  it('measures a MultiPolygon with a hole: a camera in the hole sees nothing until it reaches the rim', () => {
    const ring = [square(0, 0, 100), square(0, 0, 50)]; // a courtyard with the camera in the middle
    const prepared = preparedOf([
      multiPolygonSite([ring, [square(500, 500, 20)]], { id: 'cloister', category: 'religious_observance' }),
    ]);
    const short = evaluateCamera(
      makeCamera({ bearingDeg: 0, fovDeg: 40, rangeM: 20 }),
      prepared,
      ZERO_BUFFERS,
    );
    expect(short.compliant).toBe(true);
    const buffered = evaluateCamera(makeCamera({ bearingDeg: 0, fovDeg: 40, rangeM: 20 }), prepared, {
      ...ZERO_BUFFERS,
      religious_observance: 30,
    });
    expect(buffered.violations[0]).toMatchObject({ siteId: 'cloister', distanceM: 30, overlapM2: 0 });
    const long = evaluateCamera(
      makeCamera({ bearingDeg: 0, fovDeg: 40, rangeM: 60 }),
      prepared,
      ZERO_BUFFERS,
    );
    // Sector area beyond y = 50: pi*60²*40/360 - 50² * tan(20°).
    const expected = (Math.PI * 3600 * 40) / 360 - 2500 * Math.tan((20 * Math.PI) / 180);
    expect(long.violations[0]!.distanceM).toBe(0);
    expect(long.violations[0]!.overlapM2).toBeCloseTo(expected, 0);
  });

  it('counts entrances and driveways outside the parcel with the same buffer', () => {
    const camera = makeCamera({ bearingDeg: 0, fovDeg: 40, rangeM: 50 });
    const parcelOnly = [
      polygonSite([rect(100, 100, 150, 150)], { id: 'clinic', category: 'reproductive_health' }),
    ];
    expect(evaluateCamera(camera, preparedOf(parcelOnly), DEFAULT_BUFFERS).compliant).toBe(true);
    const withDoor = evaluateCamera(
      camera,
      preparedOf([...parcelOnly, entrance('clinic', [0, 60])]),
      DEFAULT_BUFFERS,
    );
    expect(withDoor.violations).toEqual([
      expect.objectContaining({ siteId: 'clinic', distanceM: 10, overlapM2: 0, nearest: 'entrance' }),
    ]);
    const driveway = entrance('clinic', [
      [-60, 20],
      [100, 40],
    ]);
    const crossing = evaluateCamera(camera, preparedOf([...parcelOnly, driveway]), ZERO_BUFFERS);
    expect(crossing.violations[0]).toMatchObject({ siteId: 'clinic', distanceM: 0, nearest: 'entrance' });
  });

  it('measures a circular parcel from its rim', () => {
    const camera = makeCamera({ bearingDeg: 0, fovDeg: 40, rangeM: 50 });
    const v = evaluateCamera(camera, preparedOf([circleSite(0, 75, 15, { id: 'c' })]), DEFAULT_BUFFERS);
    expect(v.violations[0]).toMatchObject({ siteId: 'c', distanceM: 10 });
  });

  it('names the registry version and camera hash it judged, and finds the same sites with or without the index', () => {
    const features = [
      polygonSite([square(0, 60, 5)], { id: 'a' }),
      circleSite(-300, 0, 10, { id: 'b' }),
      polygonSite([square(40, 40, 5)], { id: 'c', category: 'reproductive_health' }),
    ];
    const prepared = preparedOf(features);
    for (let bearingDeg = 0; bearingDeg < 360; bearingDeg += 30) {
      const camera = makeCamera({ bearingDeg, fovDeg: 60, rangeM: 40 });
      const indexed = evaluateCamera(camera, prepared, DEFAULT_BUFFERS);
      expect(indexed).toEqual(evaluateCamera(camera, prepared, DEFAULT_BUFFERS, { useIndex: false }));
      expect(indexed.registryVersion).toBe(prepared.registry.version);
      expect(indexed.cameraHash).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
