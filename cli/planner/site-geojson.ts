// `alpr site check --geojson FILE`: one check as GeoJSON for GIS tools (QGIS, geojson.io): the camera, its
// capture sector, each nearby site's parcel, entrances and buffers, and the verdict. The shapes are drawn
// with Turf (arcs and buffers become polygons of `steps` points); they are a picture of the check. The
// verdict in the file is the exact one from shared/geofence (docs/decisions/0001-turf.md), never these shapes.
import { buffer } from '@turf/buffer';
import { feature, featureCollection, lineString, point } from '@turf/helpers';
import { sector } from '@turf/sector';
import type { LngLat } from '../../shared/geofence/local-frame.js';
import type { CameraGeometry } from '../../shared/geofence/sector.js';
import type { Site } from '../../shared/geofence/site-registry.js';
import type { Verdict } from '../../shared/geofence/verdict.js';

/** Points per drawn arc (sector arc, circle parcels, buffers): smooth enough for a map, small in a file. */
const STEPS = 64;

type Geo = ReturnType<typeof feature>;

/** A mutable GeoJSON position (Turf's type) from the registry's read-only one. */
const pos = (p: LngLat): number[] => [p[0], p[1]];

export interface CheckGeoJsonInput {
  camera: CameraGeometry;
  verdict: Verdict;
  /** The sites near the sector (as drawn on `--map`). */
  sites: readonly Site[];
  /** False under --public: confidential site names stay out of the file. */
  showNames: boolean;
}

/** The check as a GeoJSON FeatureCollection; every feature says what it is in `properties.role`. */
export function checkGeoJson(input: CheckGeoJsonInput) {
  const { verdict, camera } = input;
  const s = verdict.sector;
  const half = Math.min(s.fovDeg, 360) / 2;
  const features: Geo[] = [
    point([camera.position.lng, camera.position.lat], {
      role: 'camera',
      bearingDeg: s.bearingDeg,
      fovDeg: s.fovDeg,
      rangeM: s.rangeM,
      rangeSource: s.rangeSource,
    }) as Geo,
    sector(pos(s.origin), s.rangeM, s.bearingDeg - half, s.bearingDeg + half, {
      units: 'meters',
      steps: STEPS,
      properties: {
        role: 'sector',
        compliant: verdict.compliant,
        violations: verdict.violations.length,
        registryVersion: verdict.registryVersion,
        cameraHash: verdict.cameraHash,
        rangeM: s.rangeM,
      },
    }) as Geo,
  ];
  const violations = new Map(verdict.violations.map((v) => [v.siteId, v]));
  for (const site of input.sites) {
    const bufferM = verdict.bufferM[site.category];
    const violation = violations.get(site.id);
    const props = {
      role: 'site',
      id: site.id,
      category: site.category,
      ...(input.showNames && site.name !== undefined ? { name: site.name } : {}),
      bufferM,
      violation: violation
        ? { distanceM: violation.distanceM, overlapM2: violation.overlapM2, nearest: violation.nearest }
        : null,
    };
    const parcel = parcelFeature(site, props);
    features.push(parcel);
    if (bufferM > 0) {
      const buffered =
        site.parcel.kind === 'circle' ? parcelFeature(site, {}, bufferM) : grow(parcel, bufferM);
      buffered.properties = { role: 'buffer', siteId: site.id, category: site.category, bufferM };
      features.push(buffered);
    }
    for (const e of site.entrances) {
      const entrance = (
        e.kind === 'point'
          ? point(pos(e.at), { role: 'entrance', siteId: site.id })
          : lineString(e.path.map(pos), { role: 'entrance', siteId: site.id })
      ) as Geo;
      features.push(entrance);
      if (bufferM > 0) {
        const buffered = grow(entrance, bufferM);
        buffered.properties = { role: 'entrance-buffer', siteId: site.id, bufferM };
        features.push(buffered);
      }
    }
  }
  return featureCollection(features);
}

/** The site's parcel: its polygons, or a circle parcel drawn as a polygon (`extraM` wider). */
function parcelFeature(site: Site, properties: Record<string, unknown>, extraM = 0): Geo {
  const p = site.parcel;
  if (p.kind === 'circle') {
    return grow(point(pos(p.center), properties) as Geo, p.radiusM + extraM, properties);
  }
  return feature(
    p.polygons.length === 1
      ? { type: 'Polygon', coordinates: p.polygons[0]!.map((ring) => ring.map(pos)) }
      : { type: 'MultiPolygon', coordinates: p.polygons.map((poly) => poly.map((ring) => ring.map(pos))) },
    properties,
  ) as Geo;
}

/** A shape grown by `m` metres (Turf buffer). */
function grow(shape: Geo, m: number, properties: Record<string, unknown> = {}): Geo {
  const grown = buffer(shape, m, { units: 'meters', steps: STEPS }) as Geo | undefined;
  if (!grown) throw new Error(`could not buffer ${shape.geometry?.type} by ${m} m`);
  grown.properties = properties;
  return grown;
}
