import { describe, expect, it } from 'vitest';
import { cameraHash } from '../../shared/geofence/camera-hash.js';
import { localFrame, wrapLngDelta } from '../../shared/geofence/local-frame.js';
import { captureSector, deriveRangeM, normaliseBearing, SectorShape } from '../../shared/geofence/sector.js';
import { ringSectorArea } from '../../shared/geofence/sector-overlap.js';
import { vincentyDistance } from '../support/geodesic.js';
import { at, FRAME, makeCamera, ORIGIN, rect } from '../support/geofence-factories.js';

const optics = { frameWidthPx: 1280, minPlateWidthPx: 40, plateWidthM: 0.305 };

describe('localFrame', () => {
  it('round-trips metres and degrees', () => {
    const p = FRAME.toLngLat([123.4, -56.7]);
    const [x, y] = FRAME.toXy(p);
    expect(x).toBeCloseTo(123.4, 9);
    expect(y).toBeCloseTo(-56.7, 9);
  });

  it('agrees with the WGS84 geodesic to 1 cm at 200 m and 5 cm at 500 m', () => {
    for (const [dist, tol] of [
      [200, 0.01],
      [500, 0.05],
    ] as const) {
      for (let bearing = 0; bearing < 360; bearing += 15) {
        const r = (bearing * Math.PI) / 180;
        const p = at(dist * Math.sin(r), dist * Math.cos(r));
        expect(Math.abs(vincentyDistance(ORIGIN, p) - dist)).toBeLessThan(tol);
      }
    }
  });

  it('measures across the antimeridian', () => {
    const frame = localFrame([179.9999, 10]);
    const [x] = frame.toXy([-179.9999, 10]);
    expect(x).toBeCloseTo(0.0002 * frame.kx, 6);
    expect(wrapLngDelta(359)).toBe(-1);
    expect(frame.toLngLat([x, 0])[0]).toBeCloseTo(-179.9999, 9);
  });
});

describe('deriveRangeM', () => {
  it('uses the pinhole formula below 180°', () => {
    const expected = (0.305 * 1280) / (2 * Math.tan((40 * Math.PI) / 360) * 40);
    expect(deriveRangeM({ fovDeg: 40, ...optics })).toBeCloseTo(expected, 9);
    expect(expected).toBeCloseTo(13.41, 2);
  });

  it('models lenses of 180° and more as equidistant fisheyes instead of dividing by tan(90°)', () => {
    expect(deriveRangeM({ fovDeg: 180, ...optics })).toBeCloseTo((0.305 * 1280) / (Math.PI * 40), 9);
    expect(deriveRangeM({ fovDeg: 360, ...optics })).toBeCloseTo((0.305 * 1280) / (2 * Math.PI * 40), 9);
  });

  it('is what captureSector uses when rangeM is absent', () => {
    const sector = captureSector(makeCamera({ rangeM: undefined, fovDeg: 40 }));
    expect(sector).toMatchObject({ rangeSource: 'derived' });
    expect(sector.rangeM).toBeCloseTo(deriveRangeM({ fovDeg: 40, ...optics }), 9);
    expect(captureSector(makeCamera({ rangeM: 35 }))).toMatchObject({ rangeM: 35, rangeSource: 'given' });
  });
});

describe('SectorShape', () => {
  const polar = (bearing: number, r: number): [number, number] => {
    const a = (bearing * Math.PI) / 180;
    return [r * Math.sin(a), r * Math.cos(a)];
  };

  it('wraps across north: bearing 350° with 40° FOV covers 330°..10°', () => {
    const s = new SectorShape(350, 40, 50);
    expect(s.pointDistance(...polar(5, 30))).toBe(0);
    expect(s.pointDistance(...polar(335, 30))).toBe(0);
    expect(s.pointDistance(...polar(9.9, 49.9))).toBe(0);
    expect(s.pointDistance(...polar(20, 40))).toBeCloseTo(40 * Math.sin((10 * Math.PI) / 180), 9);
    expect(s.pointDistance(...polar(350, 80))).toBeCloseTo(30, 9);
    expect(s.pointDistance(...polar(170, 10))).toBeCloseTo(10, 9);
    const [minX, minY, maxX, maxY] = s.bbox();
    expect(maxY).toBeCloseTo(50, 9); // due north is inside, so the arc reaches y = 50
    expect(minY).toBe(0);
    expect(minX).toBeCloseTo(-50 * Math.sin((30 * Math.PI) / 180), 9);
    expect(maxX).toBeCloseTo(50 * Math.sin((10 * Math.PI) / 180), 9);
  });

  it('treats 360° FOV as the full disc', () => {
    const s = new SectorShape(123, 360, 50);
    for (let b = 0; b < 360; b += 10) {
      expect(s.pointDistance(...polar(b, 49))).toBe(0);
      expect(s.pointDistance(...polar(b, 60))).toBeCloseTo(10, 9);
    }
    expect(s.bbox()).toEqual([-50, -50, 50, 50].map((v) => expect.closeTo(v, 9)));
  });

  it('measures a segment exactly, including one passing through without an endpoint inside', () => {
    const s = new SectorShape(0, 40, 50);
    expect(s.segmentDistance(-100, 30, 100, 30)).toBe(0); // a chord across the wedge
    expect(s.segmentDistance(-100, 60, 100, 60)).toBeCloseTo(10, 9); // passes above the arc
    expect(s.segmentDistance(-30, -10, 30, -10)).toBeCloseTo(10, 9); // behind the camera
  });

  it('matches dense sampling for many segments', () => {
    const s = new SectorShape(350, 70, 40);
    let seed = 7;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed / 2147483647) * 160 - 80;
    };
    for (let n = 0; n < 200; n++) {
      const [ax, ay, bx, by] = [rnd(), rnd(), rnd(), rnd()];
      let sampled = Infinity;
      for (let k = 0; k <= 2000; k++) {
        const t = k / 2000;
        sampled = Math.min(sampled, s.pointDistance(ax + t * (bx - ax), ay + t * (by - ay)));
      }
      const exact = s.segmentDistance(ax, ay, bx, by);
      expect(exact).toBeLessThanOrEqual(sampled + 1e-9);
      expect(exact).toBeGreaterThan(sampled - Math.hypot(bx - ax, by - ay) / 2000);
    }
  });

  it('has the exact sector area as its overlap with a parcel that contains it', () => {
    const big = rect(-1000, -1000, 1000, 1000);
    for (const [bearing, fov, r] of [
      [350, 40, 50],
      [10, 200, 30],
      [0, 360, 20],
      [90, 0.5, 100],
    ] as const) {
      const area = ringSectorArea(big, new SectorShape(bearing, fov, r));
      expect(area).toBeCloseTo((Math.PI * r * r * fov) / 360, 9);
      expect(ringSectorArea([...big].reverse(), new SectorShape(bearing, fov, r))).toBeCloseTo(-area, 9);
    }
  });

  it('measures a partial overlap exactly: the half-plane north of y = 30 cut from a disc', () => {
    const r = 50;
    const segment = r * r * Math.acos(30 / r) - 30 * Math.sqrt(r * r - 900); // circular segment area
    expect(ringSectorArea(rect(-100, 30, 100, 100), new SectorShape(0, 360, r))).toBeCloseTo(segment, 9);
    // Only the part inside a 60° wedge pointing north: sector minus the triangle below y = 30.
    const wedge = (Math.PI * r * r) / 6 - 30 * 30 * Math.tan(Math.PI / 6);
    expect(ringSectorArea(rect(-100, 30, 100, 100), new SectorShape(0, 60, r))).toBeCloseTo(wedge, 9);
  });
});

describe('cameraHash', () => {
  it('changes when the camera is re-aimed or moved, not for an equivalent bearing', () => {
    const base = makeCamera({ bearingDeg: 10 });
    expect(cameraHash(base)).toBe(cameraHash(makeCamera({ bearingDeg: 370 })));
    expect(cameraHash(base)).not.toBe(cameraHash(makeCamera({ bearingDeg: 11 })));
    expect(cameraHash(base)).not.toBe(cameraHash(makeCamera({ bearingDeg: 10, x: 1 })));
    expect(cameraHash(base)).not.toBe(cameraHash(makeCamera({ bearingDeg: 10, rangeM: 51 })));
  });

  it('covers the optics only when they derive the range', () => {
    const given = makeCamera({ rangeM: 30 });
    expect(cameraHash(given)).toBe(cameraHash({ ...given, minPlateWidthPx: 20 }));
    const derived = makeCamera({ rangeM: undefined });
    expect(cameraHash(derived)).not.toBe(cameraHash({ ...derived, minPlateWidthPx: 20 }));
  });

  it('normalises bearings into [0, 360)', () => {
    expect(normaliseBearing(-10)).toBe(350);
    expect(normaliseBearing(720)).toBe(0);
  });
});
