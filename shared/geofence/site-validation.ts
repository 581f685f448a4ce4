// Geometry checks for the sensitive-site registry: positions, rings, holes and extents, each problem
// reported with the JSON path of the offending value so a planner can find it in the file.
// All checks run in GeoJSON's own [lng, lat] plane, where RFC 7946 defines edges as straight lines.
import type { LngLat } from './local-frame.js';
import { metresPerDegree } from './local-frame.js';
import { pointInRing, signedArea } from './planar.js';
import { findRingIntersection } from './ring-intersections.js';

export interface RegistryProblem {
  /** JSON path of the offending value, e.g. `features[3].geometry.coordinates[0]`; '' for the file. */
  path: string;
  message: string;
}

/** A site parcel or entrance spanning more than this is refused as a probable coordinate typo. */
export const MAX_SITE_SPAN_M = 20_000;
/** Rings longer than this are refused (parcels have tens of corners; this bounds validation time). */
export const MAX_RING_POSITIONS = 20_000;

const fmt = (p: LngLat) => `[${p[0]}, ${p[1]}]`;
const describe = (v: unknown) => (Array.isArray(v) ? 'an array' : v === null ? 'null' : `a ${typeof v}`);

/** Check one GeoJSON position; returns it as [lng, lat] (altitude dropped) or reports why not. */
export function checkPosition(value: unknown, path: string, problems: RegistryProblem[]): LngLat | undefined {
  if (!Array.isArray(value) || value.length < 2) {
    problems.push({
      path,
      message: `expected a position [longitude, latitude], got ${JSON.stringify(value)}`,
    });
    return undefined;
  }
  const [lng, lat] = value as unknown[];
  if (typeof lng !== 'number' || typeof lat !== 'number' || !Number.isFinite(lng) || !Number.isFinite(lat)) {
    problems.push({ path, message: `position must hold two finite numbers, got ${JSON.stringify(value)}` });
    return undefined;
  }
  const latBad = lat < -90 || lat > 90;
  const lngBad = lng < -180 || lng > 180;
  if (latBad || lngBad) {
    const swapped = latBad && !lngBad && Math.abs(lng) <= 90 && Math.abs(lat) <= 180;
    const what = latBad ? `latitude ${lat} is outside [-90, 90]` : `longitude ${lng} is outside [-180, 180]`;
    const hint = swapped
      ? '; the coordinates look swapped: GeoJSON order is [longitude, latitude]'
      : ' (GeoJSON order is [longitude, latitude], decimal degrees)';
    problems.push({ path, message: `${what}${hint}` });
    return undefined;
  }
  return [lng === 0 ? 0 : lng, lat === 0 ? 0 : lat];
}

/** Check an array of positions (a ring or a line). */
export function checkPositions(
  value: unknown,
  path: string,
  problems: RegistryProblem[],
): LngLat[] | undefined {
  if (!Array.isArray(value)) {
    problems.push({ path, message: `expected an array of positions, got ${describe(value)}` });
    return undefined;
  }
  if (value.length > MAX_RING_POSITIONS) {
    problems.push({
      path,
      message: `${value.length} positions is more than the ${MAX_RING_POSITIONS} allowed`,
    });
    return undefined;
  }
  const before = problems.length;
  const out = value.map((p, i) => checkPosition(p, `${path}[${i}]`, problems));
  return problems.length === before ? (out as LngLat[]) : undefined;
}

/** Drop consecutive repeated positions (keeps the closing position of a ring). */
export function dropRepeats(positions: readonly LngLat[]): LngLat[] {
  const out: LngLat[] = [];
  for (const p of positions) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

/** Check a linear ring: enough corners, closed, not self-intersecting, non-zero area. */
export function checkRing(value: unknown, path: string, problems: RegistryProblem[]): LngLat[] | undefined {
  const positions = checkPositions(value, path, problems);
  if (!positions) return undefined;
  if (positions.length < 4) {
    problems.push({
      path,
      message: `a ring needs at least 4 positions (3 corners and the closing repeat of the first), got ${positions.length}`,
    });
    return undefined;
  }
  const first = positions[0]!;
  const last = positions[positions.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    problems.push({
      path,
      message: `ring is not closed: the first position ${fmt(first)} differs from the last ${fmt(last)} (repeat the first position at the end)`,
    });
    return undefined;
  }
  const ring = dropRepeats(positions);
  if (ring.length < 4) {
    problems.push({ path, message: 'ring has fewer than 3 distinct corners' });
    return undefined;
  }
  const crossing = findSelfIntersection(ring);
  if (crossing) {
    const [i, j] = crossing;
    problems.push({
      path,
      message: `ring intersects itself: edge ${fmt(ring[i]!)}→${fmt(ring[i + 1]!)} meets edge ${fmt(ring[j]!)}→${fmt(ring[j + 1]!)}`,
    });
    return undefined;
  }
  if (signedArea(ring) === 0) {
    problems.push({ path, message: 'ring has zero area' });
    return undefined;
  }
  return ring;
}

/**
 * Two edges of a closed ring (no repeated consecutive positions) that touch or cross, other than
 * neighbours meeting at their shared corner; undefined when the ring is simple. O(n log n) (a sweep
 * line, see ring-intersections.ts), so a long ring cannot stall a registry reload.
 */
export function findSelfIntersection(ring: readonly LngLat[]): [number, number] | undefined {
  const pair = findRingIntersection([ring]);
  return pair && [pair[0].index, pair[1].index];
}

/** Check a Polygon's coordinates: an outer ring and holes that lie inside it without crossing it. */
export function checkPolygon(
  value: unknown,
  path: string,
  problems: RegistryProblem[],
): LngLat[][] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ path, message: 'a Polygon needs an array of rings (the outer ring first, then holes)' });
    return undefined;
  }
  const before = problems.length;
  const rings = value.map((r, i) => checkRing(r, `${path}[${i}]`, problems));
  if (problems.length > before) return undefined;
  const [outer, ...holes] = rings as LngLat[][];
  // One sweep over every ring: each is simple by now, so any meeting edges belong to two rings.
  const meeting = holes.length > 0 ? findRingIntersection(rings as LngLat[][]) : undefined;
  if (meeting) {
    const [a, b] = meeting; // a.ring < b.ring, and b is a hole
    const edge = (ring: LngLat[], i: number) => `${fmt(ring[i]!)}→${fmt(ring[i + 1]!)}`;
    const ringA = rings[a.ring]!;
    problems.push({
      path: `${path}[${b.ring}]`,
      message:
        a.ring === 0
          ? `hole crosses or touches the outer ring at edge ${edge(ringA, a.index)}`
          : `hole crosses or touches hole ${path}[${a.ring}] at edge ${edge(ringA, a.index)}`,
    });
    return undefined;
  }
  holes.forEach((hole, h) => {
    if (!pointInRing(hole[0]![0], hole[0]![1], outer!)) {
      problems.push({
        path: `${path}[${h + 1}]`,
        message: 'hole lies outside the outer ring (a hole must be inside its polygon)',
      });
    }
  });
  return problems.length > before ? undefined : (rings as LngLat[][]);
}

/** [minLng, minLat, maxLng, maxLat] of some positions. */
export function boundsOf(positions: Iterable<LngLat>): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of positions) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

/** Width and height in metres of lng/lat bounds (at their middle latitude). */
export function boundsSpanM(b: readonly [number, number, number, number]): number {
  const k = metresPerDegree((b[1] + b[3]) / 2);
  return Math.max((b[2] - b[0]) * k.lng, (b[3] - b[1]) * k.lat);
}
