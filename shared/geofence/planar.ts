// Planar primitives in a local metric frame (or in degree space for validation): distances to segments,
// segment intersection, point in ring and signed area. Plain numbers, no allocation in the hot paths
// the verdict uses.
import type { LocalXy } from './local-frame.js';

/** Parameter t in [0, 1] of the point of segment a→b closest to p. */
export function closestParam(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return 0;
  const t = ((px - ax) * dx + (py - ay) * dy) / len2;
  return Math.min(1, Math.max(0, t));
}

/** Euclidean distance from p to the segment a→b. */
export function distToSegment(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const t = closestParam(px, py, ax, ay, bx, by);
  return Math.hypot(ax + t * (bx - ax) - px, ay + t * (by - ay) - py);
}

/** Twice the signed area of triangle (a, b, c): > 0 when counter-clockwise. */
export function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);
}

/** True when segments p1→p2 and q1→q2 share at least one point (touching counts). */
export function segmentsIntersect(p1: LocalXy, p2: LocalXy, q1: LocalXy, q2: LocalXy): boolean {
  const d1 = orient(q1[0], q1[1], q2[0], q2[1], p1[0], p1[1]);
  const d2 = orient(q1[0], q1[1], q2[0], q2[1], p2[0], p2[1]);
  const d3 = orient(p1[0], p1[1], p2[0], p2[1], q1[0], q1[1]);
  const d4 = orient(p1[0], p1[1], p2[0], p2[1], q2[0], q2[1]);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  if (d1 === 0 && onSegment(q1[0], q1[1], q2[0], q2[1], p1[0], p1[1])) return true;
  if (d2 === 0 && onSegment(q1[0], q1[1], q2[0], q2[1], p2[0], p2[1])) return true;
  if (d3 === 0 && onSegment(p1[0], p1[1], p2[0], p2[1], q1[0], q1[1])) return true;
  if (d4 === 0 && onSegment(p1[0], p1[1], p2[0], p2[1], q2[0], q2[1])) return true;
  return false;
}

/** Even-odd test: is (x, y) inside the closed ring? Points exactly on an edge may go either way. */
export function pointInRing(x: number, y: number, ring: readonly LocalXy[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Signed area (shoelace): positive for a counter-clockwise ring. The closing vertex may be repeated. */
export function signedArea(ring: readonly LocalXy[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
  }
  return sum / 2;
}
