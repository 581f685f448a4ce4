// A camera's capture area: the sector (wedge of a disc) it can read plates in, from position, bearing,
// horizontal field of view and range (given, or derived from the optics). Distances from points and
// segments to the sector are computed exactly (the arc is a true arc, not a polygon).

import type { LngLat, LocalXy } from './local-frame.js';
import { closestParam, distToSegment } from './planar.js';

const DEG = Math.PI / 180;

/** What the geofence needs to know about a camera: where it is, where it looks, how far it reads. */
export interface CameraGeometry {
  position: { lng: number; lat: number };
  /** Compass bearing of the optical axis, degrees clockwise from north (any value; normalised). */
  bearingDeg: number;
  /** Horizontal field of view, 0 < fov <= 360 degrees. */
  fovDeg: number;
  /** Capture range in metres; when absent it is derived from the optics below. */
  rangeM?: number;
  frameWidthPx: number;
  minPlateWidthPx: number;
  plateWidthM: number;
}

export interface CaptureSector {
  origin: LngLat;
  bearingDeg: number;
  fovDeg: number;
  rangeM: number;
  rangeSource: 'given' | 'derived';
}

/**
 * The farthest distance at which a plate still spans `minPlateWidthPx` pixels. Below 180° the lens is
 * taken as rectilinear (pinhole): range = plateWidthM * frameWidthPx / (2 * tan(fov/2) * minPlateWidthPx).
 * No rectilinear lens reaches 180°, so from 180° up the lens is taken as an equidistant fisheye (pixels
 * per radian = frameWidthPx / fov): range = plateWidthM * frameWidthPx / (fov_rad * minPlateWidthPx).
 * @example deriveRangeM({ fovDeg: 40, frameWidthPx: 1280, minPlateWidthPx: 40, plateWidthM: 0.305 }) // ≈ 13.4
 */
export function deriveRangeM(optics: {
  fovDeg: number;
  frameWidthPx: number;
  minPlateWidthPx: number;
  plateWidthM: number;
}): number {
  const fov = optics.fovDeg * DEG;
  const lensFactor = optics.fovDeg < 180 ? 2 * Math.tan(fov / 2) : fov;
  return (optics.plateWidthM * optics.frameWidthPx) / (lensFactor * optics.minPlateWidthPx);
}

/** Bearing normalised into [0, 360). */
export function normaliseBearing(deg: number): number {
  const b = deg % 360;
  return b < 0 ? b + 360 : b === 0 ? 0 : b;
}

/**
 * The capture sector of a camera, with the range it used and where that range came from.
 * @example captureSector({ position: { lng: -121.89, lat: 37.33 }, bearingDeg: 350, fovDeg: 40, rangeM: 50, ... })
 */
export function captureSector(camera: CameraGeometry): CaptureSector {
  const given = camera.rangeM !== undefined;
  return {
    origin: [camera.position.lng, camera.position.lat],
    bearingDeg: normaliseBearing(camera.bearingDeg),
    fovDeg: Math.min(360, camera.fovDeg),
    rangeM: given ? camera.rangeM! : deriveRangeM(camera),
    rangeSource: given ? 'given' : 'derived',
  };
}

/** A unit vector for a compass bearing in a local frame (x east, y north). */
export function bearingVector(bearingDeg: number): LocalXy {
  return [Math.sin(bearingDeg * DEG), Math.cos(bearingDeg * DEG)];
}

/**
 * The sector in its own local frame (origin at the camera), with exact distance queries.
 * Points exactly on the boundary belong to the sector (the sector is closed).
 */
export class SectorShape {
  readonly full: boolean;
  private readonly ux: number;
  private readonly uy: number;
  private readonly cosHalf: number;
  /** Arc ends: left edge (bearing - fov/2) and right edge (bearing + fov/2), at the range. */
  readonly left: LocalXy;
  readonly right: LocalXy;

  constructor(
    readonly bearingDeg: number,
    readonly fovDeg: number,
    readonly rangeM: number,
  ) {
    this.full = fovDeg >= 360;
    [this.ux, this.uy] = bearingVector(bearingDeg);
    this.cosHalf = this.full ? -1 : Math.cos((fovDeg / 2) * DEG);
    const l = bearingVector(bearingDeg - fovDeg / 2);
    const r = bearingVector(bearingDeg + fovDeg / 2);
    this.left = [l[0] * rangeM, l[1] * rangeM];
    this.right = [r[0] * rangeM, r[1] * rangeM];
  }

  /** Is the direction of (x, y) inside the wedge (ignoring range)? */
  inWedge(x: number, y: number): boolean {
    if (this.full) return true;
    const r = Math.hypot(x, y);
    return r === 0 || x * this.ux + y * this.uy >= this.cosHalf * r;
  }

  /** Exact distance in metres from (x, y) to the sector; 0 inside or on it. */
  pointDistance(x: number, y: number): number {
    const r = Math.hypot(x, y);
    if (r === 0) return 0;
    if (this.full || x * this.ux + y * this.uy >= this.cosHalf * r)
      return r > this.rangeM ? r - this.rangeM : 0;
    // Outside the wedge the nearest point is on one of the two straight edges.
    const [lx, ly] = this.left;
    const [rx, ry] = this.right;
    return Math.min(distToSegment(x, y, 0, 0, lx, ly), distToSegment(x, y, 0, 0, rx, ry));
  }

  /**
   * Exact distance from the segment a→b to the sector. The distance along the segment is piecewise
   * convex, split where the segment crosses the edge lines; each piece has its minimum at the origin's
   * foot, an arc end's foot, a crossing or an endpoint, so evaluating those parameters is exact.
   */
  segmentDistance(ax: number, ay: number, bx: number, by: number): number {
    let best = Math.min(this.pointDistance(ax, ay), this.pointDistance(bx, by));
    if (best === 0 || (ax === bx && ay === by)) return best;
    const at = (t: number) => {
      const d = this.pointDistance(ax + t * (bx - ax), ay + t * (by - ay));
      if (d < best) best = d;
    };
    at(closestParam(0, 0, ax, ay, bx, by));
    if (best === 0 || this.full) return best;
    const [lx, ly] = this.left;
    const [rx, ry] = this.right;
    at(closestParam(lx, ly, ax, ay, bx, by));
    at(closestParam(rx, ry, ax, ay, bx, by));
    const dx = bx - ax;
    const dy = by - ay;
    for (const [ex, ey] of [this.left, this.right]) {
      const denom = ex * dy - ey * dx;
      if (denom === 0) continue;
      const t = -(ex * ay - ey * ax) / denom;
      if (t > 0 && t < 1) at(t);
    }
    return best;
  }

  /** Axis-aligned bounds in the local frame: [minX, minY, maxX, maxY]. */
  bbox(): [number, number, number, number] {
    const pts: LocalXy[] = [[0, 0], this.left, this.right];
    for (const b of [0, 90, 180, 270]) {
      const [vx, vy] = bearingVector(b);
      if (this.inWedge(vx, vy)) pts.push([vx * this.rangeM, vy * this.rangeM]);
    }
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  }

  /** Outline for drawing: the camera, then the arc from the left edge to the right edge. */
  outline(stepDeg = 1): LocalXy[] {
    const start = this.full ? 0 : this.bearingDeg - this.fovDeg / 2;
    const span = this.full ? 360 : this.fovDeg;
    const steps = Math.max(2, Math.ceil(span / stepDeg));
    const ring: LocalXy[] = this.full ? [] : [[0, 0]];
    for (let k = 0; k <= steps; k++) {
      const [vx, vy] = bearingVector(start + (span * k) / steps);
      ring.push([vx * this.rangeM, vy * this.rangeM]);
    }
    return ring;
  }
}

/** The sector shape of a capture sector. */
export function sectorShape(sector: CaptureSector): SectorShape {
  return new SectorShape(sector.bearingDeg, sector.fovDeg, sector.rangeM);
}
