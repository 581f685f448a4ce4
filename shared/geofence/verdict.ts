// The compliance verdict: is a camera's capture area clear of every sensitive site and its buffer?
// One pure function shared by the edge gate and the planner CLI, so both always agree.
//
// Boundary semantics: a site offends when the distance from the sector to its parcel or to any of its
// entrances is <= the buffer of its category. Touching counts (distance 0), and so does a distance
// within BOUNDARY_TOLERANCE_M above the buffer: floating-point ties resolve toward non-compliance.
import type { SiteCategory } from '../config/geofence.schema.js';
import { cameraHash } from './camera-hash.js';
import { type LocalFrame, localFrame } from './local-frame.js';
import { type CameraGeometry, type CaptureSector, captureSector, SectorShape } from './sector.js';
import { measureSite } from './site-distance.js';
import type { Site, SiteRegistry } from './site-registry.js';
import { SpatialIndex } from './spatial-index.js';

/** Ties within a millimetre of the buffer count as within it (fail closed on rounding). */
export const BOUNDARY_TOLERANCE_M = 0.001;

export type SiteBuffers = Record<SiteCategory, number>;

export interface Violation {
  siteId: string;
  category: SiteCategory;
  /** Metres from the capture area to the parcel or nearest entrance (0: overlapping or touching), to the cm. */
  distanceM: number;
  /** Capture area lying on the parcel, m², to 0.01 m². */
  overlapM2: number;
  /** The buffer of the site's category that was applied. */
  bufferM: number;
  /** Which part of the site is closest: the parcel, or an entrance/driveway. */
  nearest: 'parcel' | 'entrance';
}

export interface Verdict {
  compliant: boolean;
  /** Offending sites, nearest first. */
  violations: Violation[];
  registryVersion: string;
  cameraHash: string;
  sector: CaptureSector;
  bufferM: SiteBuffers;
}

/** A registry with its spatial index; build once per registry version. */
export interface PreparedRegistry {
  registry: SiteRegistry;
  index: SpatialIndex;
}

/** Index a registry for fast verdicts. */
export function prepareRegistry(registry: SiteRegistry): PreparedRegistry {
  return { registry, index: SpatialIndex.build(registry.sites.map((s) => s.bbox)) };
}

const round = (x: number, places: number) => {
  const f = 10 ** places;
  return Math.round(x * f) / f;
};

/**
 * Evaluate one camera against the registry.
 * @example evaluateCamera(cameraGeometry, prepareRegistry(registry), { reproductive_health: 30, religious_observance: 30 })
 *   // { compliant: false, violations: [{ siteId: 'rh-1', distanceM: 12.4, ... }], registryVersion, cameraHash, ... }
 */
export function evaluateCamera(
  camera: CameraGeometry,
  prepared: PreparedRegistry,
  buffers: SiteBuffers,
  options: { useIndex?: boolean } = {},
): Verdict {
  const sector = captureSector(camera);
  const frame = localFrame(sector.origin);
  const shape = new SectorShape(sector.bearingDeg, sector.fovDeg, sector.rangeM);
  const maxBuffer = Math.max(...Object.values(buffers));
  const candidates =
    options.useIndex === false
      ? prepared.registry.sites
      : sitesNear(prepared, frame, shape.bbox(), maxBuffer + BOUNDARY_TOLERANCE_M);
  const violations: Violation[] = [];
  for (const site of candidates) {
    const bufferM = buffers[site.category];
    const m = measureSite(site, frame, shape);
    if (m.distanceM <= bufferM + BOUNDARY_TOLERANCE_M) {
      violations.push({
        siteId: site.id,
        category: site.category,
        distanceM: round(m.distanceM, 2),
        overlapM2: round(m.overlapM2, 2),
        bufferM,
        nearest: m.entranceDistanceM < m.parcelDistanceM ? 'entrance' : 'parcel',
      });
    }
  }
  violations.sort((a, b) => a.distanceM - b.distanceM || (a.siteId < b.siteId ? -1 : 1));
  return {
    compliant: violations.length === 0,
    violations,
    registryVersion: prepared.registry.version,
    cameraHash: cameraHash(camera),
    sector,
    bufferM: { ...buffers },
  };
}

/**
 * Sites whose bounds come within `marginM` of a box given in the frame's metres (a superset of the
 * sites within `marginM` of anything in the box). Splits the query where it crosses the antimeridian.
 */
export function sitesNear(
  prepared: PreparedRegistry,
  frame: LocalFrame,
  box: readonly [number, number, number, number],
  marginM: number,
): Site[] {
  const [lng0, lat0] = frame.origin;
  // 1 m of slack on top: the frame is affine, so this is only for floating-point safety.
  const pad = marginM + 1;
  const minLng = lng0 + (box[0] - pad) / frame.kx;
  const maxLng = lng0 + (box[2] + pad) / frame.kx;
  const minLat = lat0 + (box[1] - pad) / frame.ky;
  const maxLat = lat0 + (box[3] + pad) / frame.ky;
  const ids: number[] = [];
  prepared.index.search(Math.max(-180, minLng), minLat, Math.min(180, maxLng), maxLat, ids);
  if (minLng < -180) prepared.index.search(minLng + 360, minLat, 180, maxLat, ids);
  if (maxLng > 180) prepared.index.search(-180, minLat, maxLng - 360, maxLat, ids);
  const unique = ids.length > 1 ? [...new Set(ids)] : ids;
  return unique.map((i) => prepared.registry.sites[i]!);
}
