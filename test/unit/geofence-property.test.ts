// Property: for random cameras and sites, the exact verdict agrees with dense point sampling of the
// sector, measured by a deliberately simple oracle written in metres.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LocalXy } from '../../shared/geofence/local-frame.js';
import { SectorShape } from '../../shared/geofence/sector.js';
import { measureSite } from '../../shared/geofence/site-distance.js';
import { BOUNDARY_TOLERANCE_M, evaluateCamera } from '../../shared/geofence/verdict.js';
import {
  circleSite,
  entrance,
  FRAME,
  makeCamera,
  polygonSite,
  preparedOf,
} from '../support/geofence-factories.js';

type OracleSite =
  | { kind: 'circle'; c: LocalXy; r: number; door?: LocalXy }
  | { kind: 'polygon'; outer: LocalXy[]; hole?: LocalXy[]; door?: LocalXy };

const starRing = (cx: number, cy: number, radii: number[], jitter: number[], phase: number): LocalXy[] => {
  const k = radii.length;
  const ring: LocalXy[] = radii.map((r, i) => {
    const a = phase + ((i + jitter[i]!) * 2 * Math.PI) / k;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });
  return [...ring, ring[0]!];
};

// Uniform in value (to the millimetre): fc.double is uniform over float bit patterns, which puts most
// values next to 0, i.e. most sites on the camera.
const num = (min: number, max: number) =>
  fc.noBias(fc.integer({ min: Math.round(min * 1000), max: Math.round(max * 1000) })).map((v) => v / 1000);
const door = fc.option(fc.tuple(num(-40, 40), num(-40, 40)), { nil: undefined });

/** Site shapes centred on (0, 0); `placed` moves them next to the camera's sector. */
const shapeArb: fc.Arbitrary<OracleSite> = fc.oneof(
  fc.record({ r: num(1, 40), door }).map(({ r, door: d }) => ({
    kind: 'circle' as const,
    c: [0, 0] as LocalXy,
    r,
    door: d && ([d[0] + Math.sign(d[0]) * r, d[1]] as LocalXy),
  })),
  fc
    .record({
      // Star-shaped rings with angular gaps under 120° stay simple, and a hole under 0.45× the smallest
      // outer radius stays inside.
      size: num(5, 40),
      radii: fc.array(num(0.6, 1), { minLength: 5, maxLength: 10 }),
      jitter: fc.array(num(-0.3, 0.3), { minLength: 10, maxLength: 10 }),
      phase: num(0, 6.28),
      hole: fc.option(num(0.2, 0.45), { nil: undefined }),
      door,
    })
    .map(({ size, radii: fractions, jitter, phase, hole, door: d }) => {
      const radii = fractions.map((f) => f * size);
      const minR = Math.min(...radii);
      return {
        kind: 'polygon' as const,
        outer: starRing(0, 0, radii, jitter, phase),
        hole:
          hole === undefined
            ? undefined
            : starRing(
                0,
                0,
                [1, 1, 1, 1, 1, 1].map(() => minR * hole),
                jitter,
                phase,
              ).reverse(),
        door: d && ([d[0] + Math.sign(d[0]) * 45, d[1]] as LocalXy),
      };
    }),
);

/** Where the site goes relative to the camera: any direction, from on the camera to well past the range. */
const placementArb = fc.record({ offsetDeg: num(-180, 180), rangeFraction: num(0, 1.8), extraM: num(0, 60) });

function placed(
  site: OracleSite,
  cam: { bearingDeg: number; rangeM: number },
  p: { offsetDeg: number; rangeFraction: number; extraM: number },
): OracleSite {
  const a = ((cam.bearingDeg + p.offsetDeg) * Math.PI) / 180;
  const d = cam.rangeM * p.rangeFraction + p.extraM;
  const [dx, dy] = [d * Math.sin(a), d * Math.cos(a)];
  const move = (q: LocalXy): LocalXy => [q[0] + dx, q[1] + dy];
  const doorAt = site.door && move(site.door);
  return site.kind === 'circle'
    ? { ...site, c: move(site.c), door: doorAt }
    : { ...site, outer: site.outer.map(move), hole: site.hole?.map(move), door: doorAt };
}

const cameraArb = fc.record({
  bearingDeg: num(0, 359.999),
  fovDeg: fc.oneof(num(1, 359), fc.constant(360)),
  rangeM: num(5, 150),
});

// --- the oracle: plain point-in-polygon and point-to-segment arithmetic in metres.
function segDist(p: LocalXy, a: LocalXy, b: LocalXy): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
}
function inside(p: LocalXy, ring: LocalXy[]): boolean {
  let c = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [a, b] = [ring[i]!, ring[j]!];
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) c = !c;
  }
  return c;
}
function parcelDist(p: LocalXy, s: OracleSite): number {
  if (s.kind === 'circle') return Math.max(0, Math.hypot(p[0] - s.c[0], p[1] - s.c[1]) - s.r);
  if (inside(p, s.outer) && !(s.hole && inside(p, s.hole))) return 0;
  let best = Infinity;
  for (const ring of s.hole ? [s.outer, s.hole] : [s.outer]) {
    for (let i = 0; i + 1 < ring.length; i++) best = Math.min(best, segDist(p, ring[i]!, ring[i + 1]!));
  }
  return best;
}
const siteDist = (p: LocalXy, s: OracleSite) =>
  Math.min(parcelDist(p, s), s.door ? Math.hypot(p[0] - s.door[0], p[1] - s.door[1]) : Infinity);

/** Polar grid over the sector; every sector point is within `gap` of a sample. */
function sampleSector(bearing: number, fov: number, range: number, arcStepM: number) {
  const nr = 50;
  const span = Math.min(fov, 360);
  const na = Math.max(8, Math.ceil((((span * Math.PI) / 180) * range) / arcStepM));
  const pts: LocalXy[] = [];
  for (let i = 0; i <= nr; i++) {
    const r = (range * i) / nr;
    for (let j = 0; j <= na; j++) {
      const b = ((bearing - span / 2 + (span * j) / na) * Math.PI) / 180;
      pts.push([r * Math.sin(b), r * Math.cos(b)]);
    }
  }
  const gap = range / (2 * nr) + (((span * Math.PI) / 180) * range) / (2 * na);
  return { pts, gap };
}

function toFeatures(s: OracleSite) {
  const features: Record<string, unknown>[] = [
    s.kind === 'circle'
      ? circleSite(s.c[0], s.c[1], s.r, { id: 'S' })
      : polygonSite(s.hole ? [s.outer, s.hole] : [s.outer], { id: 'S' }),
  ];
  if (s.door) features.push(entrance('S', s.door));
  return features;
}

describe('evaluateCamera (property)', () => {
  it('agrees with dense sampling of the sector: distance within the sampling gap, same verdict outside it', () => {
    fc.assert(
      fc.property(cameraArb, shapeArb, placementArb, num(0, 60), (cam, shape0, placement, buffer) => {
        const site = placed(shape0, cam, placement);
        const camera = makeCamera(cam);
        const prepared = preparedOf(toFeatures(site));
        const buffers = { reproductive_health: buffer, religious_observance: buffer };
        const shape = new SectorShape(cam.bearingDeg, cam.fovDeg, cam.rangeM);
        const exact = measureSite(prepared.registry.sites[0]!, FRAME, shape).distanceM;
        const { pts, gap } = sampleSector(cam.bearingDeg, cam.fovDeg, cam.rangeM, 2);
        let sampled = Infinity;
        for (const p of pts) sampled = Math.min(sampled, siteDist(p, site));
        // The frame round-trip (metres → degrees → metres) costs nanometres; allow a micrometre.
        expect(exact).toBeLessThanOrEqual(sampled + 1e-6);
        expect(exact).toBeGreaterThanOrEqual(sampled - gap - 1e-6);
        const verdict = evaluateCamera(camera, prepared, buffers);
        if (sampled <= buffer) expect(verdict.compliant).toBe(false);
        if (sampled - gap > buffer + BOUNDARY_TOLERANCE_M) expect(verdict.compliant).toBe(true);
      }),
      { numRuns: 300, seed: 20260301 },
    );
  });

  it('reports an overlap area matching a ray-by-ray integration over the sector', () => {
    fc.assert(
      fc.property(cameraArb, shapeArb, placementArb, (cam, shape0, placement) => {
        const site = placed({ ...shape0, door: undefined }, cam, placement);
        const prepared = preparedOf(toFeatures(site));
        const shape = new SectorShape(cam.bearingDeg, cam.fovDeg, cam.rangeM);
        const area = measureSite(prepared.registry.sites[0]!, FRAME, shape).overlapM2;
        // Along each ray the parcel is a set of exact intervals of r; integrate r dr exactly, then
        // sum rays with the midpoint rule in angle (0.05° apart).
        const span = Math.min(cam.fovDeg, 360);
        const rays = Math.max(200, Math.ceil(span / 0.05));
        const dTheta = (span * Math.PI) / 180 / rays;
        let integral = 0;
        for (let j = 0; j < rays; j++) {
          const theta = ((cam.bearingDeg - span / 2) * Math.PI) / 180 + (j + 0.5) * dTheta;
          for (const [r1, r2] of insideIntervals(site, [Math.sin(theta), Math.cos(theta)])) {
            const [a, b] = [Math.min(r1, cam.rangeM), Math.min(r2, cam.rangeM)];
            integral += ((b * b - a * a) / 2) * dTheta;
          }
        }
        expect(Math.abs(area - integral)).toBeLessThanOrEqual(2e-3 * integral + 0.05);
      }),
      { numRuns: 200, seed: 20260302 },
    );
  });
});

/** Intervals [r1, r2] of distance along the ray from the camera in direction `d` that lie on the parcel. */
function insideIntervals(s: OracleSite, d: LocalXy): Array<[number, number]> {
  if (s.kind === 'circle') {
    // |r d - c|² = radius²  →  r² - 2 r (d·c) + |c|² - radius² = 0
    const b = d[0] * s.c[0] + d[1] * s.c[1];
    const disc = b * b - (s.c[0] ** 2 + s.c[1] ** 2 - s.r * s.r);
    if (disc <= 0) return [];
    const [r1, r2] = [b - Math.sqrt(disc), b + Math.sqrt(disc)];
    return r2 <= 0 ? [] : [[Math.max(0, r1), r2]];
  }
  // Even-odd over every ring: crossings of the ray with edges, starting inside if the camera is.
  const hits: number[] = [];
  for (const ring of s.hole ? [s.outer, s.hole] : [s.outer]) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [a, b] = [ring[i]!, ring[i + 1]!];
      const e: LocalXy = [b[0] - a[0], b[1] - a[1]];
      const den = d[0] * e[1] - d[1] * e[0];
      if (den === 0) continue;
      const r = (a[0] * e[1] - a[1] * e[0]) / den;
      const t = (a[0] * d[1] - a[1] * d[0]) / den;
      if (r > 0 && t >= 0 && t < 1) hits.push(r);
    }
  }
  hits.sort((x, y) => x - y);
  let isInside = parcelDist([0, 0], s) === 0;
  let from = 0;
  const out: Array<[number, number]> = [];
  for (const r of hits) {
    if (isInside) out.push([from, r]);
    isInside = !isInside;
    from = r;
  }
  if (isInside) out.push([from, Infinity]);
  return out;
}
