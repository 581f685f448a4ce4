// Measures one site against a camera's sector in the camera's local frame: the exact distance from the
// sector to the parcel and to each entrance, and the area of the sector that lies on the parcel.
import type { LocalFrame, LocalXy } from './local-frame.js';
import { pointInRing } from './planar.js';
import type { SectorShape } from './sector.js';
import { ringSectorArea } from './sector-overlap.js';
import type { Entrance, Parcel, Site } from './site-registry.js';

export interface SiteMeasure {
  /** Smallest of parcel and entrance distances, metres (0: the sector touches or overlaps the parcel). */
  distanceM: number;
  parcelDistanceM: number;
  /** Infinity when the site has no entrances. */
  entranceDistanceM: number;
  /** Area of the sector on the parcel, m² (0 when only a buffer or entrance is reached). */
  overlapM2: number;
}

/** Circle parcels are polygonised (1° steps, inscribed: area 0.005% low) only for overlap areas; distances are exact. */
const CIRCLE_AREA_STEPS = 360;

/** Project rings of [lng, lat] into the frame. */
function project(frame: LocalFrame, ring: readonly (readonly [number, number])[]): LocalXy[] {
  return ring.map((p) => frame.toXy(p));
}

/** Exact distance from the sector to a parcel, metres. Rings are projected once and handed back. */
export function parcelDistance(
  parcel: Parcel,
  frame: LocalFrame,
  shape: SectorShape,
): { distanceM: number; rings?: LocalXy[][][] } {
  if (parcel.kind === 'circle') {
    const [cx, cy] = frame.toXy(parcel.center);
    return { distanceM: Math.max(0, shape.pointDistance(cx, cy) - parcel.radiusM) };
  }
  const rings = parcel.polygons.map((poly) => poly.map((ring) => project(frame, ring)));
  // The camera itself on the parcel (inside an outer ring and in none of its holes): distance 0.
  for (const [outer, ...holes] of rings) {
    if (pointInRing(0, 0, outer!) && !holes.some((h) => pointInRing(0, 0, h))) return { distanceM: 0, rings };
  }
  // Otherwise the sets meet only if some parcel edge meets the sector, and when they do not meet the
  // gap is the smallest edge-to-sector distance (holes' edges included, so a sector inside a hole is
  // measured to the hole's rim).
  let best = Infinity;
  for (const poly of rings) {
    for (const ring of poly) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const d = shape.segmentDistance(ring[i]![0], ring[i]![1], ring[i + 1]![0], ring[i + 1]![1]);
        if (d < best) {
          best = d;
          if (best === 0) return { distanceM: 0, rings };
        }
      }
    }
  }
  return { distanceM: best, rings };
}

/** Exact distance from the sector to an entrance (point or driveway line), metres. */
export function entranceDistance(entrance: Entrance, frame: LocalFrame, shape: SectorShape): number {
  if (entrance.kind === 'point') {
    const [x, y] = frame.toXy(entrance.at);
    return shape.pointDistance(x, y);
  }
  const path = project(frame, entrance.path);
  let best = Infinity;
  for (let i = 0; i + 1 < path.length; i++) {
    best = Math.min(best, shape.segmentDistance(path[i]![0], path[i]![1], path[i + 1]![0], path[i + 1]![1]));
  }
  return best;
}

/** Area (m²) of the sector that lies on the parcel: outer rings minus holes, each measured exactly. */
export function overlapArea(
  parcel: Parcel,
  frame: LocalFrame,
  shape: SectorShape,
  rings?: LocalXy[][][],
): number {
  let polygons: LocalXy[][][];
  if (parcel.kind === 'circle') {
    const [cx, cy] = frame.toXy(parcel.center);
    const ring: LocalXy[] = [];
    for (let k = 0; k <= CIRCLE_AREA_STEPS; k++) {
      const a = (2 * Math.PI * k) / CIRCLE_AREA_STEPS;
      ring.push([cx + parcel.radiusM * Math.cos(a), cy + parcel.radiusM * Math.sin(a)]);
    }
    polygons = [[ring]];
  } else polygons = rings ?? parcel.polygons.map((poly) => poly.map((r) => project(frame, r)));
  let area = 0;
  for (const [outer, ...holes] of polygons) {
    area += Math.abs(ringSectorArea(outer!, shape));
    for (const hole of holes) area -= Math.abs(ringSectorArea(hole, shape));
  }
  return Math.max(0, area);
}

/** Every measure of one site against the sector. */
export function measureSite(site: Site, frame: LocalFrame, shape: SectorShape): SiteMeasure {
  const parcel = parcelDistance(site.parcel, frame, shape);
  let entranceDistanceM = Infinity;
  for (const e of site.entrances)
    entranceDistanceM = Math.min(entranceDistanceM, entranceDistance(e, frame, shape));
  const overlapM2 = parcel.distanceM === 0 ? overlapArea(site.parcel, frame, shape, parcel.rings) : 0;
  return {
    distanceM: Math.min(parcel.distanceM, entranceDistanceM),
    parcelDistanceM: parcel.distanceM,
    entranceDistanceM,
    overlapM2,
  };
}
