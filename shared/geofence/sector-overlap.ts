// Exact area of a ring's overlap with a sector. The sector is star-shaped around the camera, so a
// ring's area splits into signed triangles (camera, edge start, edge end) — the fan — and each
// triangle meets the sector in pieces bounded by straight edges and the true arc, whose areas have
// closed forms. No polygonised arc, no clipping: O(edges) with a few trigonometric calls each.
import type { LocalXy } from './local-frame.js';
import type { SectorShape } from './sector.js';

const DEG = Math.PI / 180;
const TAU = 2 * Math.PI;

/**
 * Signed area of triangle (origin, p, q) ∩ disc(radius): positive when p→q turns counter-clockwise.
 * Along p→q the segment is inside the disc (a triangle slice) or outside it (a circular slice).
 */
function fanSliceArea(px: number, py: number, qx: number, qy: number, radius: number): number {
  const dx = qx - px;
  const dy = qy - py;
  const a = dx * dx + dy * dy;
  const b = 2 * (px * dx + py * dy);
  const c = px * px + py * py - radius * radius;
  const cuts = [0];
  const disc = b * b - 4 * a * c;
  if (a > 0 && disc > 0) {
    const s = Math.sqrt(disc);
    for (const t of [(-b - s) / (2 * a), (-b + s) / (2 * a)]) if (t > 0 && t < 1) cuts.push(t);
  }
  cuts.push(1);
  let area = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const ux = px + cuts[i]! * dx;
    const uy = py + cuts[i]! * dy;
    const vx = px + cuts[i + 1]! * dx;
    const vy = py + cuts[i + 1]! * dy;
    const cross = ux * vy - uy * vx;
    const mx = (ux + vx) / 2;
    const my = (uy + vy) / 2;
    area +=
      mx * mx + my * my <= radius * radius
        ? cross / 2
        : (radius * radius * Math.atan2(cross, ux * vx + uy * vy)) / 2;
  }
  return area;
}

/** Math angle (counter-clockwise from east, radians) of a compass bearing in degrees. */
const mathAngle = (bearingDeg: number) => (90 - bearingDeg) * DEG;

/**
 * Signed area of (ring ∩ sector): positive for a counter-clockwise ring. Take |value| per ring and
 * subtract holes for a polygon.
 * @example ringSectorArea([[-100, -100], [100, -100], [100, 100], [-100, 100], [-100, -100]], new SectorShape(0, 360, 10)) // ≈ 314.16
 */
export function ringSectorArea(ring: readonly LocalXy[], shape: SectorShape): number {
  const R = shape.rangeM;
  // The wedge in math angles: from `start` counter-clockwise over `span` (bearings grow clockwise).
  const span = shape.full ? TAU : shape.fovDeg * DEG;
  const start = mathAngle(shape.bearingDeg + shape.fovDeg / 2);
  let total = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [ax, ay] = ring[i]!;
    const [bx, by] = ring[i + 1]!;
    const cross = ax * by - ay * bx;
    if (cross === 0) continue; // degenerate triangle: the edge points at the camera
    if (shape.full) {
      total += fanSliceArea(ax, ay, bx, by, R);
      continue;
    }
    // The triangle's directions run from angle(a) to angle(b) the short way (less than 180°).
    const sweep = Math.atan2(cross, ax * bx + ay * by);
    const [from, width, sign] = sweep > 0 ? [Math.atan2(ay, ax), sweep, 1] : [Math.atan2(by, bx), -sweep, -1];
    // Work in offsets from the wedge start; the triangle's range may wrap past 2π.
    const u0 = (((from - start) % TAU) + TAU) % TAU;
    for (const [lo, hi] of [
      [u0, Math.min(u0 + width, TAU)],
      [0, u0 + width - TAU],
    ]) {
      const l = Math.max(lo!, 0);
      const h = Math.min(hi!, span);
      if (h <= l) continue;
      const [p, q] = [pointAtAngle(ax, ay, bx, by, start + l), pointAtAngle(ax, ay, bx, by, start + h)];
      total += sign * Math.abs(fanSliceArea(p[0], p[1], q[0], q[1], R));
    }
  }
  return total;
}

/** Where the ray from the origin at math angle `theta` meets the line through a and b. */
function pointAtAngle(ax: number, ay: number, bx: number, by: number, theta: number): LocalXy {
  const dx = Math.cos(theta);
  const dy = Math.sin(theta);
  const den = dx * (by - ay) - dy * (bx - ax);
  const t = den === 0 ? 0 : Math.min(1, Math.max(0, -(dx * ay - dy * ax) / den));
  return [ax + t * (bx - ax), ay + t * (by - ay)];
}
