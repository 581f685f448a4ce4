// Planner suggestions: which bearings keep a camera's whole view clear of every site and its buffer,
// and how far the camera may read at the bearing asked for. Built on the same exact distances as the
// verdict, and every suggested range is re-checked with evaluateCamera before it is returned.
import { localFrame } from './local-frame.js';
import { type CameraGeometry, captureSector, normaliseBearing, SectorShape } from './sector.js';
import { measureSite } from './site-distance.js';
import type { Site } from './site-registry.js';
import {
  BOUNDARY_TOLERANCE_M,
  evaluateCamera,
  type PreparedRegistry,
  type SiteBuffers,
  sitesNear,
} from './verdict.js';

export interface BearingRange {
  /** Clockwise from `fromDeg` to `toDeg`, both allowed; `toDeg` may be below `fromDeg` across north. */
  fromDeg: number;
  toDeg: number;
}

/** The schema's largest rangeM: the search for the largest compliant range stops there. */
export const MAX_RANGE_M = 2000;
const SAMPLE_STEP_DEG = 0.1;
const VERIFY_STEP_DEG = 0.1;

/**
 * Bearings (centre of view) at which the camera, with its FOV and range, is compliant. Directions are
 * sampled every 0.1° plus the direction of every corner, centre and entrance of nearby sites, and
 * boundaries are refined by bisection; results are rounded inward to 0.1° and re-verified every 0.1°.
 * @example compliantBearings(camera, prepared, buffers) // [{ fromDeg: 95.1, toDeg: 170.3 }]
 */
export function compliantBearings(
  camera: CameraGeometry,
  prepared: PreparedRegistry,
  buffers: SiteBuffers,
): BearingRange[] {
  const sector = captureSector(camera);
  const frame = localFrame(sector.origin);
  const R = sector.rangeM;
  const maxBuffer = Math.max(...Object.values(buffers));
  const sites = sitesNear(prepared, frame, [-R, -R, R, R], maxBuffer + BOUNDARY_TOLERANCE_M);
  // A direction is blocked when a zero-width view along it (the ray to the range) reaches a site.
  const blockedAt = (bearing: number) => {
    const ray = new SectorShape(bearing, 0, R);
    return sites.some(
      (s) => measureSite(s, frame, ray).distanceM <= buffers[s.category] + BOUNDARY_TOLERANCE_M,
    );
  };
  const angles = sampleAngles(sites, frame);
  const blocked: Array<[number, number]> = [];
  let runStart: number | undefined;
  let prev = { angle: angles[0]!, blocked: blockedAt(angles[0]!) };
  if (prev.blocked) runStart = prev.angle;
  for (const angle of [...angles.slice(1), 360]) {
    const isBlocked = angle === 360 ? blockedAt(0) : blockedAt(angle);
    if (isBlocked !== prev.blocked) {
      const edge = bisect(prev.angle, angle, prev.blocked, blockedAt);
      if (isBlocked) runStart = edge.blockedSide;
      else blocked.push([runStart!, edge.blockedSide]);
    }
    prev = { angle, blocked: isBlocked };
  }
  if (prev.blocked) blocked.push([runStart!, 360]);
  if (blocked.length === 0) return [{ fromDeg: 0, toDeg: 360 }];
  // A bearing is compliant when no blocked direction lies within half the FOV of it.
  const half = sector.fovDeg / 2;
  if (sector.fovDeg >= 360) return [];
  const free = complementOnCircle(blocked.map(([a, b]) => [a - half, b + half] as [number, number]));
  return verify(free, camera, prepared, buffers);
}

/**
 * The largest range (metres, to 0.1 m, at most MAX_RANGE_M) at which the camera is compliant at its
 * own bearing; 0 when even a zero range offends (the camera stands on a site or in its buffer).
 * @example maxCompliantRange(camera, prepared, buffers) // 23.4
 */
export function maxCompliantRange(
  camera: CameraGeometry,
  prepared: PreparedRegistry,
  buffers: SiteBuffers,
): number {
  const ok = (rangeM: number) => evaluateCamera({ ...camera, rangeM }, prepared, buffers).compliant;
  if (ok(MAX_RANGE_M)) return MAX_RANGE_M;
  if (!ok(0.01)) return 0;
  let lo = 0.01;
  let hi = MAX_RANGE_M;
  while (hi - lo > 0.01) {
    const mid = (lo + hi) / 2;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return Math.floor(lo * 10) / 10;
}

/** Every 0.1°, plus the bearing of every corner, centre and entrance of the nearby sites. */
function sampleAngles(sites: readonly Site[], frame: ReturnType<typeof localFrame>): number[] {
  const angles = new Set<number>();
  for (let i = 0; i < 3600; i++) angles.add(i * SAMPLE_STEP_DEG);
  const add = (p: readonly [number, number]) => {
    const [x, y] = frame.toXy(p);
    if (x !== 0 || y !== 0) angles.add(normaliseBearing((Math.atan2(x, y) * 180) / Math.PI));
  };
  for (const s of sites) {
    if (s.parcel.kind === 'circle') add(s.parcel.center);
    else for (const poly of s.parcel.polygons) for (const ring of poly) ring.forEach(add);
    for (const e of s.entrances) (e.kind === 'point' ? [e.at] : e.path).forEach(add);
  }
  return [...angles].sort((a, b) => a - b);
}

/** Narrow the change between two sampled bearings to 0.001°; returns the blocked side's bearing. */
function bisect(a: number, b: number, aBlocked: boolean, blockedAt: (bearing: number) => boolean) {
  let [lo, hi] = [a, b];
  while (hi - lo > 0.001) {
    const mid = (lo + hi) / 2;
    if (blockedAt(mid % 360) === aBlocked) lo = mid;
    else hi = mid;
  }
  return { blockedSide: aBlocked ? lo : hi };
}

/** Complement of a union of intervals on the circle [0, 360), as clockwise ranges. */
function complementOnCircle(intervals: Array<[number, number]>): BearingRange[] {
  if (intervals.some(([a, b]) => b - a >= 360)) return [];
  // Unroll onto [0, 720) so wrapping intervals become plain ones, then read the gaps in [s, s + 360).
  const pieces = intervals
    .map(([a, b]) => {
      const shift = Math.floor(a / 360) * 360;
      return [a - shift, b - shift] as [number, number];
    })
    .flatMap(([a, b]) => [[a, b] as [number, number], [a + 360, b + 360] as [number, number]])
    .sort((x, y) => x[0] - y[0]);
  const start = pieces[0]![0];
  const out: BearingRange[] = [];
  let reach = pieces[0]![1];
  for (const [a, b] of pieces.slice(1)) {
    if (a >= start + 360) break;
    if (a > reach) out.push({ fromDeg: reach, toDeg: a });
    reach = Math.max(reach, b);
  }
  if (reach < start + 360) out.push({ fromDeg: reach, toDeg: start + 360 });
  return out.map((r) => ({ fromDeg: normaliseBearing(r.fromDeg), toDeg: normaliseBearing(r.toDeg) }));
}

/** Round inward to 0.1°, then keep only the bearings evaluateCamera confirms, checked every 0.1°. */
function verify(
  ranges: BearingRange[],
  camera: CameraGeometry,
  prepared: PreparedRegistry,
  buffers: SiteBuffers,
): BearingRange[] {
  const ok = (bearing: number) =>
    evaluateCamera({ ...camera, bearingDeg: bearing }, prepared, buffers).compliant;
  const out: BearingRange[] = [];
  for (const r of ranges) {
    const from = Math.ceil((r.fromDeg + 1e-9) * 10) / 10;
    const width = Math.floor((((r.toDeg - from + 360) % 360) - 1e-9) * 10) / 10;
    if (width < 0) continue;
    let runFrom: number | undefined;
    const steps = Math.ceil(width / VERIFY_STEP_DEG);
    for (let k = 0; k <= steps; k++) {
      const off = Math.min(width, k * VERIFY_STEP_DEG);
      const bearing = normaliseBearing(from + off);
      if (ok(bearing)) runFrom ??= off;
      else if (runFrom !== undefined) {
        out.push({
          fromDeg: normaliseBearing(from + runFrom),
          toDeg: normaliseBearing(from + off - VERIFY_STEP_DEG),
        });
        runFrom = undefined;
      }
    }
    if (runFrom !== undefined)
      out.push({ fromDeg: normaliseBearing(from + runFrom), toDeg: normaliseBearing(from + width) });
  }
  return out.map((r) => ({ fromDeg: Math.round(r.fromDeg * 10) / 10, toDeg: Math.round(r.toDeg * 10) / 10 }));
}
