// Exact orientation and segment-intersection predicates for registry validation. A sweep line orders
// segments by these signs, and an order built from rounded signs can contradict itself on nearly
// collinear input; every double is an exact binary fraction, so the rare uncertain case is settled in
// BigInt arithmetic and the answer is always the true one.
import type { LngLat } from './local-frame.js';

/** Shewchuk's error bound for the plain floating-point orientation determinant ((3 + 16ε)ε). */
const ORIENT_ERROR_BOUND = (3 + 16 * 2 ** -53) * 2 ** -53;

/**
 * Sign of the cross product (b - a) × (c - a): 1 when c lies left of a→b (counter-clockwise), -1 right,
 * 0 exactly on the line.
 * @example orientSign(0, 0, 1, 0, 0.5, 1e-300) // 1
 */
export function orientSign(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
): -1 | 0 | 1 {
  const left = (bx - ax) * (cy - ay);
  const right = (by - ay) * (cx - ax);
  const det = left - right;
  const bound = ORIENT_ERROR_BOUND * (Math.abs(left) + Math.abs(right));
  if (det > bound) return 1;
  if (-det > bound) return -1;
  return exactOrientSign([ax, ay, bx, by, cx, cy]);
}

const view = new DataView(new ArrayBuffer(8));

/** x = mantissa * 2^exponent exactly. */
function decompose(x: number): [bigint, number] {
  if (x === 0) return [0n, 0];
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  return [hi >>> 31 ? -mantissa : mantissa, exponent];
}

function exactOrientSign(values: number[]): -1 | 0 | 1 {
  const parts = values.map(decompose);
  const emin = Math.min(...parts.map(([m, e]) => (m === 0n ? Number.POSITIVE_INFINITY : e)));
  if (!Number.isFinite(emin)) return 0;
  const [ax, ay, bx, by, cx, cy] = parts.map(([m, e]) => (m === 0n ? 0n : m << BigInt(e - emin)));
  const det = (bx! - ax!) * (cy! - ay!) - (by! - ay!) * (cx! - ax!);
  return det > 0n ? 1 : det < 0n ? -1 : 0;
}

/** Lexicographic order of points: by longitude, then latitude. */
export function comparePoints(p: LngLat, q: LngLat): number {
  return p[0] !== q[0] ? p[0] - q[0] : p[1] - q[1];
}

/** For c known to be on the line through a and b: is it within the closed segment a–b? */
function withinCollinear(a: LngLat, b: LngLat, c: LngLat): boolean {
  const lo = comparePoints(a, b) <= 0 ? a : b;
  const hi = lo === a ? b : a;
  return comparePoints(lo, c) <= 0 && comparePoints(c, hi) <= 0;
}

/** True when the closed segments p1–p2 and q1–q2 share at least one point (touching counts). Exact. */
export function segmentsTouch(p1: LngLat, p2: LngLat, q1: LngLat, q2: LngLat): boolean {
  const d1 = orientSign(q1[0], q1[1], q2[0], q2[1], p1[0], p1[1]);
  const d2 = orientSign(q1[0], q1[1], q2[0], q2[1], p2[0], p2[1]);
  const d3 = orientSign(p1[0], p1[1], p2[0], p2[1], q1[0], q1[1]);
  const d4 = orientSign(p1[0], p1[1], p2[0], p2[1], q2[0], q2[1]);
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  return (
    (d1 === 0 && withinCollinear(q1, q2, p1)) ||
    (d2 === 0 && withinCollinear(q1, q2, p2)) ||
    (d3 === 0 && withinCollinear(p1, p2, q1)) ||
    (d4 === 0 && withinCollinear(p1, p2, q2))
  );
}

/**
 * Neighbouring edges a→shared and shared→b that fold back over each other (a zero-width spike): the
 * three points are collinear and a and b lie on the same side of the shared corner.
 */
export function foldsBack(a: LngLat, shared: LngLat, b: LngLat): boolean {
  if (orientSign(a[0], a[1], shared[0], shared[1], b[0], b[1]) !== 0) return false;
  const sa = Math.sign(comparePoints(a, shared));
  const sb = Math.sign(comparePoints(b, shared));
  return sa !== 0 && sa === sb;
}
