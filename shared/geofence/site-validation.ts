// Geometry checks for the sensitive-site registry: positions, rings, holes and extents, each problem
// reported with the JSON path of the offending value so a planner can find it in the file.
// All checks run in GeoJSON's own [lng, lat] plane, where RFC 7946 defines edges as straight lines.
import type { LngLat } from './local-frame.js';
import { metresPerDegree } from './local-frame.js';
import { pointInRing, segmentsIntersect, signedArea } from './planar.js';

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
 * neighbours meeting at their shared corner; undefined when the ring is simple. A sweep over edges
 * sorted by their western end keeps this near-linear for real parcels.
 */
export function findSelfIntersection(ring: readonly LngLat[]): [number, number] | undefined {
  const n = ring.length - 1; // edges
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => Math.min(ring[a]![0], ring[a + 1]![0]) - Math.min(ring[b]![0], ring[b + 1]![0]),
  );
  for (let oi = 0; oi < n; oi++) {
    const i = order[oi]!;
    const maxX = Math.max(ring[i]![0], ring[i + 1]![0]);
    for (let oj = oi + 1; oj < n; oj++) {
      const j = order[oj]!;
      if (Math.min(ring[j]![0], ring[j + 1]![0]) > maxX) break;
      const [a, b] = i < j ? [i, j] : [j, i];
      const adjacent = b === a + 1 || (a === 0 && b === n - 1);
      if (adjacent) {
        if (overlapsBack(ring, a, b)) return [a, b];
        continue;
      }
      if (segmentsIntersect(ring[a]!, ring[a + 1]!, ring[b]!, ring[b + 1]!)) return [a, b];
    }
  }
  return undefined;
}

/** Neighbouring edges that fold back over each other (a zero-width spike) also count as crossing. */
function overlapsBack(ring: readonly LngLat[], a: number, b: number): boolean {
  // Shared corner: b's start when b = a + 1, else (a = 0, b = n - 1) a's start.
  const [shared, p, q] =
    b === a + 1 ? [ring[b]!, ring[a]!, ring[b + 1]!] : [ring[a]!, ring[a + 1]!, ring[b]!];
  const cross = (p[0] - shared[0]) * (q[1] - shared[1]) - (p[1] - shared[1]) * (q[0] - shared[0]);
  const dot = (p[0] - shared[0]) * (q[0] - shared[0]) + (p[1] - shared[1]) * (q[1] - shared[1]);
  return cross === 0 && dot > 0;
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
  holes.forEach((hole, h) => {
    const holePath = `${path}[${h + 1}]`;
    for (let i = 0; i + 1 < hole.length; i++) {
      for (let k = 0; k + 1 < outer!.length; k++) {
        if (segmentsIntersect(hole[i]!, hole[i + 1]!, outer![k]!, outer![k + 1]!)) {
          problems.push({
            path: holePath,
            message: `hole crosses or touches the outer ring at edge ${fmt(outer![k]!)}→${fmt(outer![k + 1]!)}`,
          });
          return;
        }
      }
    }
    if (!pointInRing(hole[0]![0], hole[0]![1], outer!)) {
      problems.push({
        path: holePath,
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
