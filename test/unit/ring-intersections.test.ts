// The sweep-line ring check against the plain quadratic one: same answer on random rings (small integer
// grids, where touching, collinear and vertical edges are common, and continuous ones), and a reported
// pair always truly meets. Plus the worst case of the old check, which the sweep handles in one pass.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sawtoothSitesGeoJson } from '../../bench/sawtooth-sites.js';
import { orientSign, segmentsTouch } from '../../shared/geofence/exact-orient.js';
import type { LngLat } from '../../shared/geofence/local-frame.js';
import {
  type EdgeRef,
  findRingIntersection,
  findRingIntersectionBySweep,
  findRingIntersectionNaive,
} from '../../shared/geofence/ring-intersections.js';
import { dropRepeats } from '../../shared/geofence/site-validation.js';

/** A closed ring from corners, with consecutive repeats dropped (as the registry does before checking). */
function closedRing(corners: LngLat[]): LngLat[] | undefined {
  const ring = dropRepeats([...corners, corners[0]!]);
  return ring.length >= 4 ? ring : undefined;
}

const gridRing = (size: number) =>
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: size }), fc.integer({ min: 0, max: size })), {
      minLength: 3,
      maxLength: 14,
    })
    .map((pts) => closedRing(pts as LngLat[]))
    .filter((r): r is LngLat[] => r !== undefined);

const floatRing = fc
  .array(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })), {
    minLength: 3,
    maxLength: 12,
  })
  .map((pts) => closedRing(pts as LngLat[]))
  .filter((r): r is LngLat[] => r !== undefined);

/** A pair the check reported must really meet: cross or touch, or (neighbours) fold back. */
function reallyMeets(rings: LngLat[][], [a, b]: [EdgeRef, EdgeRef]): boolean {
  const e = (ref: EdgeRef) => [rings[ref.ring]![ref.index]!, rings[ref.ring]![ref.index + 1]!] as const;
  const [p1, p2] = e(a);
  const [q1, q2] = e(b);
  if (!segmentsTouch(p1, p2, q1, q2)) return false;
  const n = rings[a.ring]!.length - 1;
  const neighbours =
    a.ring === b.ring && (Math.abs(a.index - b.index) === 1 || Math.abs(a.index - b.index) === n - 1);
  if (!neighbours) return true;
  // Neighbours share a corner; they only count when all four ends are collinear (a fold).
  return (
    orientSign(p1[0], p1[1], p2[0], p2[1], q1[0], q1[1]) === 0 &&
    orientSign(p1[0], p1[1], p2[0], p2[1], q2[0], q2[1]) === 0
  );
}

/** The sweep (forced, whatever the size) and the quadratic check agree, and a reported pair really meets. */
function agrees(rings: LngLat[][]): void {
  const fast = findRingIntersectionBySweep(rings);
  const slow = findRingIntersectionNaive(rings);
  expect(fast === undefined).toBe(slow === undefined);
  if (fast) expect(reallyMeets(rings, fast)).toBe(true);
  expect(findRingIntersection(rings) === undefined).toBe(slow === undefined);
}

describe('findRingIntersection (the sweep line)', () => {
  it('agrees with the quadratic check on random rings of a small grid (many touching and collinear edges)', () => {
    fc.assert(
      fc.property(gridRing(4), (ring) => agrees([ring])),
      { numRuns: 4000 },
    );
    fc.assert(
      fc.property(gridRing(12), (ring) => agrees([ring])),
      { numRuns: 2000 },
    );
  });

  it('agrees with the quadratic check on random continuous rings', () => {
    fc.assert(
      fc.property(floatRing, (ring) => agrees([ring])),
      { numRuns: 2000 },
    );
  });

  it('agrees with the quadratic check across several rings (a polygon with holes)', () => {
    fc.assert(
      fc.property(fc.array(gridRing(8), { minLength: 2, maxLength: 4 }), (rings) => {
        // Only meetings between rings matter here, so use rings that are simple on their own.
        const simple = rings.filter((r) => findRingIntersectionNaive([r]) === undefined);
        if (simple.length >= 2) agrees(simple);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['the sweep', findRingIntersectionBySweep],
    ['the small-ring path', findRingIntersection],
  ])(
    'finds a crossing, a vertex touching an edge, a repeated vertex and a fold-back spike (%s)',
    (_, find) => {
      const bowtie: LngLat[] = [
        [0, 0],
        [2, 2],
        [2, 0],
        [0, 2],
        [0, 0],
      ];
      expect(find([bowtie])).toEqual([
        { ring: 0, index: 0 },
        { ring: 0, index: 2 },
      ]);
      const touching: LngLat[] = [
        [0, 0],
        [4, 0],
        [4, 4],
        [2, 0.0],
        [0, 4],
        [0, 0],
      ];
      expect(find([touching])).toBeDefined();
      const pinched: LngLat[] = [
        [0, 0],
        [2, 1],
        [4, 0],
        [4, 2],
        [2, 1],
        [0, 2],
        [0, 0],
      ];
      expect(find([pinched])).toBeDefined();
      const spike: LngLat[] = [
        [0, 0],
        [4, 0],
        [4, 4],
        [4, 2],
        [0, 4],
        [0, 0],
      ];
      expect(find([spike])).toBeDefined();
      const square: LngLat[] = [
        [0, 0],
        [4, 0],
        [4, 4],
        [0, 4],
        [0, 0],
      ];
      expect(find([square])).toBeUndefined();
    },
  );

  it('passes a 17,000-position sawtooth ring and finds the one tooth bent across its neighbour', () => {
    const collection = sawtoothSitesGeoJson({
      centre: [-121.8863, 37.3382],
      sites: 1,
      positionsPerRing: 17_000,
    });
    const ring = (collection.features as Array<{ geometry: { coordinates: LngLat[][] } }>)[0]!.geometry
      .coordinates[0]!;
    expect(findRingIntersection([ring])).toBeUndefined();
    const bent = ring.slice();
    const i = 8000; // a west-side vertex, moved above the next west-side vertex
    bent[i] = [bent[i]![0], bent[i + 2]![1] + (bent[i + 2]![1] - bent[i]![1])];
    const found = findRingIntersection([bent]);
    expect(found).toBeDefined();
    expect(reallyMeets([bent], found!)).toBe(true);
  });
});

describe('orientSign', () => {
  it('is exact where the floating-point determinant rounds to the wrong sign or to zero', () => {
    // c is a hair off the line through a and b; the naive product difference loses it.
    const a = 0.5;
    const b = 12;
    const c = 24;
    expect(orientSign(a, a, b, b, c, c)).toBe(0);
    expect(orientSign(a, a, b, b, c, c + 2 ** -48)).toBe(1);
    expect(orientSign(a, a, b, b, c, c - 2 ** -48)).toBe(-1);
    expect(orientSign(0, 0, 1, 0, 0.5, 1e-300)).toBe(1);
  });
});
