import { describe, expect, it } from 'vitest';
import { compliantBearings, MAX_RANGE_M, maxCompliantRange } from '../../shared/geofence/suggest.js';
import { evaluateCamera } from '../../shared/geofence/verdict.js';
import {
  circleSite,
  DEFAULT_BUFFERS,
  makeCamera,
  polygonSite,
  preparedOf,
  square,
  ZERO_BUFFERS,
} from '../support/geofence-factories.js';

const north = () => circleSite(0, 100, 5, { id: 'north' });

describe('compliantBearings', () => {
  it('allows every bearing when no site is near', () => {
    expect(compliantBearings(makeCamera(), preparedOf([circleSite(5000, 5000, 5)]), DEFAULT_BUFFERS)).toEqual(
      [{ fromDeg: 0, toDeg: 360 }],
    );
  });

  it('keeps half the FOV clear of a site on either side, rounded inward to 0.1°', () => {
    const camera = makeCamera({ fovDeg: 40, rangeM: 150 });
    const prepared = preparedOf([north()]);
    const ranges = compliantBearings(camera, prepared, ZERO_BUFFERS);
    const edge = 20 + (Math.asin(5 / 100) * 180) / Math.PI; // 22.87°
    expect(ranges).toEqual([
      { fromDeg: Math.ceil(edge * 10) / 10, toDeg: Math.floor((360 - edge) * 10) / 10 },
    ]);
    const at = (bearingDeg: number) =>
      evaluateCamera({ ...camera, bearingDeg }, prepared, ZERO_BUFFERS).compliant;
    expect(at(22.9)).toBe(true);
    expect(at(22.8)).toBe(false);
    expect(at(337.1)).toBe(true);
    expect(at(337.2)).toBe(false);
  });

  it('wraps across north and merges overlapping blocked directions', () => {
    const camera = makeCamera({ fovDeg: 30, rangeM: 80 });
    const prepared = preparedOf([
      circleSite(60, 0, 5, { id: 'east' }),
      circleSite(0, -60, 5, { id: 'south' }),
    ]);
    const ranges = compliantBearings(camera, prepared, ZERO_BUFFERS);
    expect(ranges).toHaveLength(2);
    const [a, b] = ranges;
    // One range between east and south; the other from past south, through north, back to east.
    expect(a!.fromDeg).toBeGreaterThan(90);
    expect(a!.toDeg).toBeLessThan(180);
    expect(b!.fromDeg).toBeGreaterThan(180);
    expect(b!.toDeg).toBeLessThan(90);
  });

  it('finds no bearing for a 360° camera that sees a site, or a camera standing in a buffer', () => {
    expect(
      compliantBearings(makeCamera({ fovDeg: 360, rangeM: 150 }), preparedOf([north()]), ZERO_BUFFERS),
    ).toEqual([]);
    expect(
      compliantBearings(makeCamera(), preparedOf([polygonSite([square(0, 20, 5)])]), DEFAULT_BUFFERS),
    ).toEqual([]);
  });
});

describe('maxCompliantRange', () => {
  it('stops just short of the buffer around the first site in view', () => {
    const camera = makeCamera({ bearingDeg: 0, fovDeg: 40, rangeM: 150 });
    // 100 m to the centre, 5 m radius, 30 m buffer: compliant while range < 65 m.
    expect(maxCompliantRange(camera, preparedOf([north()]), DEFAULT_BUFFERS)).toBe(64.9);
  });

  it('is the schema maximum with nothing in view, and 0 on a site', () => {
    expect(maxCompliantRange(makeCamera({ bearingDeg: 180 }), preparedOf([north()]), DEFAULT_BUFFERS)).toBe(
      MAX_RANGE_M,
    );
    expect(
      maxCompliantRange(makeCamera(), preparedOf([polygonSite([square(0, 0, 10)])]), DEFAULT_BUFFERS),
    ).toBe(0);
  });
});
