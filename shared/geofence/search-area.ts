// Geometry a search filter needs, built only from the verdict's own exact measures: does a camera's
// capture sector reach a search area, and does a search area meet a site's parcel or entrances? A point
// is measured as a zero-radius full sector and a circular parcel as a full sector of its radius, so
// the distances are parcelDistance's exact ones; only polygon-against-polygon adds an edge-crossing test.
import { type LngLat, localFrame } from './local-frame.js';
import { segmentsIntersect } from './planar.js';
import { type CameraGeometry, captureSector, SectorShape, sectorShape } from './sector.js';
import { parcelDistance } from './site-distance.js';
import type { Parcel, Site } from './site-registry.js';
import { boundsOf } from './site-validation.js';

/** A search area: a GeoJSON Polygon's rings in [lng, lat], outer ring first. */
export type SearchArea = readonly (readonly LngLat[])[];

const asParcel = (area: SearchArea): Parcel => ({ kind: 'polygons', polygons: [area.map((r) => [...r])] });
const POINT = new SectorShape(0, 360, 0);

/** Is the point on or inside the parcel (outside its holes)? */
function pointOnParcel(point: LngLat, parcel: Parcel): boolean {
  return parcelDistance(parcel, localFrame(point), POINT).distanceM === 0;
}

function ringsCross(a: readonly LngLat[], b: readonly LngLat[]): boolean {
  for (let i = 0; i + 1 < a.length; i++) {
    for (let k = 0; k + 1 < b.length; k++)
      if (segmentsIntersect(a[i]!, a[i + 1]!, b[k]!, b[k + 1]!)) return true;
  }
  return false;
}

function boxesMeet(a: readonly number[], b: readonly number[]): boolean {
  return a[0]! <= b[2]! && b[0]! <= a[2]! && a[1]! <= b[3]! && b[1]! <= a[3]!;
}

/**
 * Does the camera's capture sector reach into the area (touching counts)?
 * @example sectorReachesArea(camera, [[[-121.89, 37.33], [-121.88, 37.33], [-121.88, 37.34], [-121.89, 37.33]]]) // true
 */
export function sectorReachesArea(camera: CameraGeometry, area: SearchArea): boolean {
  const sector = captureSector(camera);
  return parcelDistance(asParcel(area), localFrame(sector.origin), sectorShape(sector)).distanceM === 0;
}

/**
 * Does the area meet the site: its parcel (polygon or circle) or any entrance, touching included?
 * @example areaMeetsSite(area, registry.sites[0]) // false
 */
export function areaMeetsSite(area: SearchArea, site: Site): boolean {
  const areaParcel = asParcel(area);
  if (!boxesMeet(boundsOf(area.flat()), site.bbox)) return false;
  for (const e of site.entrances) {
    const path = e.kind === 'point' ? [e.at] : e.path;
    if (path.some((p) => pointOnParcel(p, areaParcel))) return true;
    if (path.length > 1 && area.some((ring) => ringsCross(path, ring))) return true;
  }
  const parcel = site.parcel;
  if (parcel.kind === 'circle') {
    return (
      parcelDistance(areaParcel, localFrame(parcel.center), new SectorShape(0, 360, parcel.radiusM))
        .distanceM === 0
    );
  }
  for (const polygon of parcel.polygons) {
    if (polygon[0]!.some((p) => pointOnParcel(p, areaParcel))) return true;
    if (area[0]!.some((p) => pointOnParcel(p, { kind: 'polygons', polygons: [polygon] }))) return true;
    if (polygon.some((ring) => area.some((r) => ringsCross(ring, r)))) return true;
  }
  return false;
}
